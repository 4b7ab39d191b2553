"""What the profile creates for e-services: a published catalogue in each language root.

The tracking page is a view of each language root (``/pl/status-sprawy``,
``/en/case-status``, ``/uk/status-spravy``): it holds no content to edit.
"""

from ratusz.i18n import _
from ratusz.languages import create_in_language_roots
from ratusz.languages import remove_from_language_roots

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
    return create_in_language_roots(
        CATALOGUE_IDS, "ServiceCatalogue", CATALOGUE_TITLE, CATALOGUE_DESCRIPTION
    )


def remove_catalogues(portal=None):
    """Remove the empty catalogues (uninstall); a catalogue holding cards stays."""
    remove_from_language_roots(CATALOGUE_IDS, keep=lambda catalogue: catalogue.objectIds())
