"""bordermap's version, in one place (the package, exports and images read it here)."""

__version__ = "0.1.0"
