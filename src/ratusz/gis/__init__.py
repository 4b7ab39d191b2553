"""GIS: geolocated content, places, marker types and GeoJSON for the maps."""
