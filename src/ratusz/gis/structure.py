"""What the profile creates for maps: the site map page of every language root.

``/pl/mapa`` (``/en/map``, ``/uk/mapa``) is a collection of everything under its language
root, shown with the "Map" display: every item on the maps (the marker types) appears
there, whatever folder an editor put it in, and ``@geojson`` answers for it too
(``/pl/mapa/++api++/@geojson``). A collection, not a view, so editors can narrow it.
"""

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.indexing import processQueue

from ratusz.i18n import _

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
    portal = portal or api.portal.get()
    made = {}
    for language, page_id in MAP_IDS.items():
        root = portal.get(language)
        if root is None:
            continue
        page = root.get(page_id)
        if page is None:
            page = createContentInContainer(
                root,
                "Collection",
                checkConstraints=False,
                id=page_id,
                title=api.portal.translate(MAP_TITLE, lang=language),
                description=api.portal.translate(MAP_DESCRIPTION, lang=language),
                language=language,
                query=EVERYTHING_HERE,
                sort_on="sortable_title",
            )
            page.setLayout("map")
        if api.content.get_state(page, default=None) == "private":
            # Whoever runs the profile: the page shows only what each visitor may see.
            with api.env.adopt_roles(["Manager"]):
                api.content.transition(obj=page, transition="publish")
        made[language] = page
    _link(made)
    return made


def _link(pages):
    source = pages.get("pl")
    if source is None:
        return
    for language, page in pages.items():
        if language == "pl":
            continue
        processQueue()
        manager = ITranslationManager(source)
        if not manager.has_translation(language):
            manager.register_translation(language, page)
    processQueue()


def remove_map_pages(portal=None):
    """Remove the map pages the profile made (uninstall), unless an editor changed their
    query: then they are the city's."""
    portal = portal or api.portal.get()
    for language, page_id in MAP_IDS.items():
        root = portal.get(language)
        page = root.get(page_id) if root is not None else None
        is_ours = (
            getattr(page, "portal_type", "") == "Collection"
            and list(page.query or []) == EVERYTHING_HERE
        )
        if is_ours:
            root._delObject(page_id)
