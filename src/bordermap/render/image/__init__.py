"""The print image: a :class:`~bordermap.spec.MapSpec` drawn with matplotlib (PNG, SVG, PDF)."""
