"""The interactive page: folium/Leaflet elements drawn from a map description.

HTML escaping of text from data happens here and only here (through :mod:`bordermap.safe`).
"""
