"""Ratusz: a Plone 6.2 platform for Polish city halls."""
