"""What the profile creates for citizen reports: a published board in each language root.

``create_boards`` is called from the profile's post_install and from the
upgrade step; ``remove_boards`` from the uninstall (an empty board only:
reports are the city's records).
"""

from plone import api

from ratusz.i18n import _
from ratusz.languages import create_in_language_roots
from ratusz.languages import remove_from_language_roots

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
    return create_in_language_roots(BOARD_IDS, "ReportsBoard", BOARD_TITLE, BOARD_DESCRIPTION)


def remove_boards(portal=None):
    """Remove the empty boards (uninstall); a board holding reports stays."""
    remove_from_language_roots(BOARD_IDS, keep=lambda board: board.objectIds())


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
