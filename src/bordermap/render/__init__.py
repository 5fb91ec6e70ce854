"""Renderers: the interactive Leaflet map (html) and, later, the print image (static)."""
