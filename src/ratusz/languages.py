"""Items the profile keeps once per language root (``/pl``, ``/en``, ``/uk``), linked as
translations: the e-service catalogues, the map pages, the citizen reports' boards."""

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.indexing import processQueue


def create_in_language_roots(ids, portal_type, title, description, layout=None, **fields):
    """Create the missing item of every language root, publish it, link the translations.

    ``ids`` maps a language to the item's id; ``title`` and ``description`` are message
    ids translated into each language; ``layout`` and ``fields`` are set on creation only
    (an editor's later changes stay, its state too). Returns ``{language: item}``.

    >>> create_in_language_roots({"pl": "mapa", "en": "map"}, "Collection",
    ...                          _("Map"), _("…"), layout="map")["pl"].absolute_url_path()
    '/Plone/pl/mapa'
    """
    portal = api.portal.get()
    made = {}
    for language, item_id in ids.items():
        root = portal.get(language)
        if root is None:
            continue
        item = root.get(item_id)
        created = item is None
        if created:
            # A language root allows only globally addable types.
            item = createContentInContainer(
                root,
                portal_type,
                checkConstraints=False,
                id=item_id,
                title=api.portal.translate(title, lang=language),
                description=api.portal.translate(description, lang=language),
                language=language,
                **fields,
            )
            if layout:
                item.setLayout(layout)
        if created and api.content.get_state(item, default=None) == "private":
            # Whoever runs the profile: these pages show each visitor only what they may see.
            # Only when made here: one the city has since made private stays so.
            with api.env.adopt_roles(["Manager"]):
                api.content.transition(obj=item, transition="publish")
        made[language] = item
    link_translations(made)
    return made


def link_translations(items, source_language="pl"):
    """Register each item of ``{language: item}`` as a translation of the Polish one.

    >>> link_translations({"pl": catalogue_pl, "en": catalogue_en})
    """
    source = items.get(source_language)
    if source is None:
        return
    for language, item in items.items():
        if language == source_language:
            continue
        # The translation manager finds translations through the catalog: the indexing
        # queue must be flushed before each lookup.
        processQueue()
        manager = ITranslationManager(source)
        if not manager.has_translation(language):
            manager.register_translation(language, item)
    processQueue()


def remove_from_language_roots(ids, keep=None):
    """Delete the item of every language root unless ``keep(item)`` says it is the city's.

    >>> remove_from_language_roots({"pl": "zgloszenia"}, keep=lambda board: board.objectIds())
    """
    portal = api.portal.get()
    for language, item_id in ids.items():
        root = portal.get(language)
        item = root.get(item_id) if root is not None else None
        if item is not None and not (keep and keep(item)):
            # Whoever runs the uninstall profile: the item is the profile's, not theirs.
            root._delObject(item_id)
