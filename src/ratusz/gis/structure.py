"""What the profile creates for maps: the site map page of every language root.

``/pl/mapa`` (``/en/map``, ``/uk/mapa``) is a collection of everything under its language
root, shown with the "Map" display: every item on the maps (the marker types) appears
there, whatever folder an editor put it in, and ``@geojson`` answers for it too
(``/pl/mapa/++api++/@geojson``). A collection, not a view, so editors can narrow it.
"""

from ratusz.i18n import _
from ratusz.languages import create_in_language_roots
from ratusz.languages import remove_from_language_roots

MAP_IDS = {"pl": "mapa", "en": "map", "uk": "mapa"}
MAP_TITLE = _("Map")
MAP_DESCRIPTION = _(
    "Offices, service points, events and more on the city map — with a list of the same "
    "places beside it."
)
EVERYTHING_HERE = [
    {
        "i": "path",
        "o": "plone.app.querystring.operation.string.relativePath",
        "v": "..",
    }
]


def create_map_pages(portal=None):
    """Create and publish the map page of every language root; link them as translations.

    >>> create_map_pages()["pl"].absolute_url_path()
    '/Plone/pl/mapa'
    """
    return create_in_language_roots(
        MAP_IDS,
        "Collection",
        MAP_TITLE,
        MAP_DESCRIPTION,
        layout="map",
        query=EVERYTHING_HERE,
        sort_on="sortable_title",
    )


def remove_map_pages(portal=None):
    """Remove the map pages the profile made (uninstall), unless an editor changed their
    query: then they are the city's."""

    def changed(page):
        return page.portal_type != "Collection" or list(page.query or []) != EVERYTHING_HERE

    remove_from_language_roots(MAP_IDS, keep=changed)
