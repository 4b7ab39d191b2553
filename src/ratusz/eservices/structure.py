"""What the profile creates for e-services: a published catalogue in each language root.

The tracking page is a view of each language root (``/pl/status-sprawy``,
``/en/case-status``, ``/uk/status-spravy``): it holds no content to edit.
"""

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.indexing import processQueue

from ratusz.i18n import _

CATALOGUE_IDS = {"pl": "e-uslugi", "en": "e-services", "uk": "e-posluhy"}
STATUS_IDS = {"pl": "status-sprawy", "en": "case-status", "uk": "status-spravy"}
CATALOGUE_TITLE = _("E-services")
CATALOGUE_DESCRIPTION = _(
    "Matters you can settle with the office: what to bring, what it costs, how long it takes "
    "— and many of them online."
)


def create_catalogues(portal=None):
    """Create and publish the e-service catalogue of every language root; link them.

    >>> create_catalogues()["pl"].absolute_url_path()
    '/Plone/pl/e-uslugi'
    """
    portal = portal or api.portal.get()
    made = {}
    for language, catalogue_id in CATALOGUE_IDS.items():
        root = portal.get(language)
        if root is None:
            continue
        catalogue = root.get(catalogue_id)
        if catalogue is None:
            # A language root allows only globally addable types.
            catalogue = createContentInContainer(
                root,
                "ServiceCatalogue",
                checkConstraints=False,
                id=catalogue_id,
                title=api.portal.translate(CATALOGUE_TITLE, lang=language),
                description=api.portal.translate(CATALOGUE_DESCRIPTION, lang=language),
                language=language,
            )
        if api.content.get_state(catalogue, default=None) == "private":
            # Published whoever runs the profile: an empty catalogue has nothing to hide.
            with api.env.adopt_roles(["Manager"]):
                api.content.transition(obj=catalogue, transition="publish")
        made[language] = catalogue
    _link(made)
    return made


def _link(catalogues):
    source = catalogues.get("pl")
    if source is None:
        return
    for language, catalogue in catalogues.items():
        if language == "pl":
            continue
        processQueue()
        manager = ITranslationManager(source)
        if not manager.has_translation(language):
            manager.register_translation(language, catalogue)
    processQueue()


def remove_catalogues(portal=None):
    """Remove the empty catalogues (uninstall); a catalogue holding cards stays."""
    portal = portal or api.portal.get()
    for language, catalogue_id in CATALOGUE_IDS.items():
        root = portal.get(language)
        catalogue = root.get(catalogue_id) if root is not None else None
        if catalogue is not None and not catalogue.objectIds():
            # Whoever runs the uninstall profile: the catalogue is the profile's, not theirs.
            root._delObject(catalogue_id)
