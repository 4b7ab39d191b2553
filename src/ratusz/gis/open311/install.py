"""Open311's upgrade and uninstall handlers (the profiles' import steps do the rest)."""

from plone import api

from ratusz.gis.open311.store import remove_open311_store


def install_open311(context=None):
    """The upgrade step's handler, after the ``catalog`` and ``controlpanel`` steps: give the
    reports already filed their ``open311_updated`` metadata.

    >>> install_open311()
    0
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="CitizenReport")
    for brain in brains:
        brain._unrestrictedGetObject().reindexObject(idxs=["getId"])
    return len(brains)


def uninstall_open311(context=None):
    """The uninstall's handler: forget the API keys and the token hints (the reports filed
    through Open311 stay: they are the city's records)."""
    remove_open311_store()
