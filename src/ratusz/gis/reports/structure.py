"""What the profile creates for citizen reports: a published board in each language root.

``create_boards`` is called from the profile's post_install and from the
upgrade step; ``remove_boards`` from the uninstall (an empty board only:
reports are the city's records).
"""

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.indexing import processQueue

from ratusz.i18n import _

BOARD_IDS = {"pl": "zgloszenia", "en": "reports", "uk": "zvernennia"}
BOARD_TITLE = _("Report a problem")
BOARD_DESCRIPTION = _(
    "A pothole, a broken street lamp, litter? Show us where on the map, we will take care of "
    "it — and you can follow what happens."
)


def create_boards(portal=None):
    """Create and publish the reports board of every language root; link them as translations.

    >>> create_boards()["pl"].absolute_url_path()
    '/Plone/pl/zgloszenia'
    """
    portal = portal or api.portal.get()
    made = {}
    for language, board_id in BOARD_IDS.items():
        root = portal.get(language)
        if root is None:
            continue
        board = root.get(board_id)
        if board is None:
            # A language root allows only globally addable types.
            board = createContentInContainer(
                root,
                "ReportsBoard",
                checkConstraints=False,
                id=board_id,
                title=api.portal.translate(BOARD_TITLE, lang=language),
                description=api.portal.translate(BOARD_DESCRIPTION, lang=language),
                language=language,
            )
        if api.content.get_state(board, default=None) == "private":
            # Published whoever runs the profile: the board's page is public by design.
            with api.env.adopt_roles(["Manager"]):
                api.content.transition(obj=board, transition="publish")
        made[language] = board
    _link(made)
    return made


def _link(boards):
    source = boards.get("pl")
    if source is None:
        return
    for language, board in boards.items():
        if language == "pl":
            continue
        processQueue()
        manager = ITranslationManager(source)
        if not manager.has_translation(language):
            manager.register_translation(language, board)
    processQueue()


def remove_boards(portal=None):
    """Remove the empty boards (uninstall); a board holding reports stays."""
    portal = portal or api.portal.get()
    for language, board_id in BOARD_IDS.items():
        root = portal.get(language)
        board = root.get(board_id) if root is not None else None
        if board is not None and not board.objectIds():
            root._delObject(board_id)


def board_of(language):
    """The board of ``language`` (Polish if none), or None.

    >>> board_of("en").getId()
    'reports'
    """
    portal = api.portal.get()
    root = portal.get(language if language in BOARD_IDS else "pl")
    return root.get(BOARD_IDS.get(language, BOARD_IDS["pl"])) if root is not None else None


def install_reports(context=None):
    """The upgrade step's handler: the boards (the profile's import steps do the rest)."""
    create_boards()
