"""Install and uninstall handlers of the ``ratusz:default`` profile."""

from plone import api
from plone.app.multilingual.browser.setup import SetupMultilingualSite
from Products.CMFPlone.interfaces import INonInstallable
from zope.interface import implementer

from ratusz.i18n import _

# The groups a city needs on day one; later capabilities give them roles and
# local roles (cases, BIP). id -> (title, global roles).
GROUPS = {
    "ratusz-citizens": (_("Residents"), ["Member"]),
    "ratusz-staff": (_("Staff"), ["Member", "Staff"]),
    "ratusz-clerks": (_("Clerks"), ["Member", "Staff"]),
    "ratusz-department-heads": (_("Heads of department"), ["Member", "Staff"]),
    "ratusz-registry": (_("Registry office (kancelaria)"), ["Member", "Staff", "Registrar"]),
    "ratusz-secretariat": (_("Mayor's secretariat"), ["Member", "Staff", "Secretariat"]),
    "ratusz-editors": (_("Editors"), ["Member", "Editor", "Contributor", "Reviewer"]),
    "ratusz-bip-editors": (_("BIP editors"), ["Member", "BIP Editor"]),
    "ratusz-bip-administrators": (_("BIP administrators"), ["Member", "BIP Administrator"]),
}


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """Keep the uninstall and demo profiles out of the add-ons control panel."""
        return [
            "ratusz:uninstall",
            "ratusz:demo",
            "ratusz:demo-bip",
            "ratusz:demo-eservices",
            "ratusz:demo-gis",
        ]


def post_install(context):
    """Create the language roots, the staff groups, the BIP, the intranet, the e-service
    catalogues, the map pages and the citizen reports' boards."""
    from ratusz.bip.structure import create_bip
    from ratusz.cases.structure import create_intranet
    from ratusz.eservices.structure import create_catalogues
    from ratusz.gis.reports.structure import create_boards
    from ratusz.gis.structure import create_map_pages

    portal = api.portal.get()
    create_language_roots(portal)
    create_groups()
    create_bip(portal)
    create_intranet(portal)
    create_catalogues(portal)
    create_map_pages(portal)
    create_boards(portal)


def uninstall(context):
    """Remove the groups and staff notices; content (language roots included) stays, it is
    the city's."""
    from zope.annotation.interfaces import IAnnotations

    from ratusz.cases.notices import KEY
    from ratusz.eservices.structure import remove_catalogues
    from ratusz.gis.open311.install import uninstall_open311
    from ratusz.gis.reports.structure import remove_boards
    from ratusz.gis.structure import remove_map_pages

    remove_catalogues()
    remove_map_pages()
    remove_boards()
    uninstall_open311()
    remove_groups()
    IAnnotations(api.portal.get()).pop(KEY, None)


def create_language_roots(portal):
    """Create ``/pl``, ``/en`` and ``/uk`` (plone.app.multilingual language roots).

    >>> create_language_roots(api.portal.get())
    >>> sorted(api.portal.get().objectIds(["LRF"]))
    ['en', 'pl', 'uk']
    """
    SetupMultilingualSite(portal).setupSite(portal)


def create_groups():
    """Add the Ratusz groups, keeping any that an administrator already made."""
    for group_id, (title, roles) in GROUPS.items():
        if api.group.get(groupname=group_id) is None:
            api.group.create(
                groupname=group_id,
                title=api.portal.translate(title, domain="ratusz", lang="pl"),
                roles=roles,
            )


def grant_group_roles():
    """Give the Ratusz groups their global roles, also groups made by an earlier version.

    >>> grant_group_roles()
    >>> "Staff" in api.group.get_roles(groupname="ratusz-clerks")
    True
    """
    groups = api.portal.get_tool("portal_groups")
    for group_id, (_title, roles) in GROUPS.items():
        group = groups.getGroupById(group_id)
        if group is not None:
            wanted = sorted(set(group.getRoles()) - {"Authenticated"} | set(roles))
            groups.setRolesForGroup(group_id, wanted)


def remove_groups():
    """Delete the Ratusz groups; their members stay as users."""
    for group_id in GROUPS:
        if api.group.get(groupname=group_id) is not None:
            api.group.delete(groupname=group_id)
