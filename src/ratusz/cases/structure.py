"""The staff-only area the profile creates: ``/intranet``, its departments and its register."""

from plone import api
from plone.dexterity.utils import createContentInContainer

from ratusz.i18n import _

INTRANET_ID = "intranet"
DEPARTMENTS_ID = "wydzialy"
INCOMING_ID = "kancelaria"


def create_intranet(portal=None):
    """Create the intranet and its departments folder unless they exist; return the intranet.

    Both are in the intranet workflow's only state, "internal": staff see them,
    anonymous visitors and residents do not (not even in search or the REST API).

    >>> create_intranet().absolute_url_path()
    '/Plone/intranet'
    """
    portal = portal or api.portal.get()
    language = api.portal.get_default_language()
    intranet = portal.get(INTRANET_ID)
    if intranet is None:
        # One per site, made here whoever runs the profile: the types of the
        # structure are not addable by hand.
        intranet = createContentInContainer(
            portal,
            "Intranet",
            checkConstraints=False,
            id=INTRANET_ID,
            title=api.portal.translate(_("Intranet"), lang=language),
            description=api.portal.translate(
                _("The office's staff area: departments, cases, documents."), lang=language
            ),
        )
    if DEPARTMENTS_ID not in intranet:
        createContentInContainer(
            intranet,
            "DepartmentDirectory",
            checkConstraints=False,
            id=DEPARTMENTS_ID,
            title=api.portal.translate(_("Departments"), lang=language),
        )
    if INCOMING_ID not in intranet:
        createContentInContainer(
            intranet,
            "IncomingRegister",
            checkConstraints=False,
            id=INCOMING_ID,
            title=api.portal.translate(_("Incoming register"), lang=language),
        )
    return intranet
