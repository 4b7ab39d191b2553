"""The staff-only area the profile creates: ``/intranet``, its departments and its register."""

from contextlib import suppress

from plone import api
from plone.base.interfaces.constrains import ENABLED
from plone.base.interfaces.constrains import ISelectableConstrainTypes
from plone.dexterity.utils import createContentInContainer

from ratusz.i18n import _

INTRANET_ID = "intranet"
DEPARTMENTS_ID = "wydzialy"
INCOMING_ID = "kancelaria"
CASES_ID = "sprawy"
NEWS_ID = "aktualnosci"
LIBRARY_ID = "dokumenty"


def create_intranet(portal=None):
    """Create the intranet, its departments, register and case folders unless they exist.

    The intranet is in the intranet workflow's only state, "internal", and the
    folders take its settings: staff see them, anonymous visitors and residents
    do not (not even in search or the REST API). Returns the intranet.

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
    _folder(intranet, INCOMING_ID, "IncomingRegister", _("Incoming register"), "Registrar")
    _folder(intranet, CASES_ID, "CaseFolder", _("Cases"), "Staff")
    _content_folder(intranet, NEWS_ID, _("Staff news"), "News Item")
    _content_folder(intranet, LIBRARY_ID, _("Document library"), None)
    if intranet.getLayout() != "intranet-view":
        intranet.setLayout("intranet-view")
    return intranet


def _content_folder(intranet, folder_id, title, only_type):
    """A folder of intranet content (published to staff by the secretariat).

    It follows the intranet content workflow (``ratusz.cases.intranet``) and is
    published to staff at once: an empty folder has nothing to hide.
    """
    folder = intranet.get(folder_id)
    created = folder is None
    if created:
        folder = createContentInContainer(
            intranet,
            "Folder",
            checkConstraints=False,
            id=folder_id,
            title=api.portal.translate(title, lang=api.portal.get_default_language()),
        )

    if api.content.get_state(folder, default=None) == "draft":
        # An empty folder has nothing to hide: staff see it at once.
        # Before the intranet content workflow exists (an upgrade to 1003), 1004 publishes it.
        with api.env.adopt_roles(["Manager"]), suppress(api.exc.InvalidParameterError):
            api.content.transition(obj=folder, transition="publish_internally")
    for type_name in ("News Item", "Document", "File", "Image", "Folder", "Link"):
        # The secretariat adds here (the workflow's "Add portal content" says
        # where); the type's own add permission must let it too.
        permission = f"plone.app.contenttypes: Add {type_name}"
        folder.manage_permission(permission, ["Manager", "Site Administrator", "Secretariat"], 1)
    if only_type and created:
        # The types a folder may hold are checked against what the current
        # user may add; the profile sets them whoever runs it.
        with api.env.adopt_roles(["Manager"]):
            constraints = ISelectableConstrainTypes(folder)
            constraints.setConstrainTypesMode(ENABLED)
            constraints.setLocallyAllowedTypes([only_type])
            constraints.setImmediatelyAddableTypes([only_type])
    return folder


def _folder(intranet, folder_id, portal_type, title, adder_role):
    """A folder of the intranet where ``adder_role`` adds (incoming items, cases), and only there.

    The folder has no workflow: it takes the intranet's view settings. Its
    "Add portal content" is its own, so that the desk's or the staff's add
    right reaches no other intranet folder.
    """
    folder = intranet.get(folder_id)
    if folder is None:
        folder = createContentInContainer(
            intranet,
            portal_type,
            checkConstraints=False,
            id=folder_id,
            title=api.portal.translate(title, lang=api.portal.get_default_language()),
        )
    folder.manage_permission(
        "Add portal content", ["Manager", "Site Administrator", adder_role], acquire=False
    )
    # Listings sort by the catalog; a kept order would be one list every
    # addition writes, and items added at the same moment would conflict on it.
    if folder.getOrdering().__class__.__name__ != "UnorderedOrdering":
        folder.setOrdering("unordered")
    return folder
