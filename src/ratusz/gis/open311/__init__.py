"""Open311 GeoReport v2 for citizen reports (docs/gis-open311.md)."""
