"""Renderers of a :class:`~bordermap.spec.MapSpec`: the Leaflet page and the print image."""
