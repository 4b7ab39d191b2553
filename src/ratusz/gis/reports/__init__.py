"""Citizen reports ("Zgłoś problem", FixMyStreet-like): see docs/gis-reports.md."""
