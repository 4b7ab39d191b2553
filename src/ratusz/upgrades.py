"""Upgrade step handlers of ``ratusz:default`` (registered in profiles/upgrades.zcml)."""

from plone.app.theming.utils import applyTheme
from plone.app.theming.utils import getTheme


def activate_theme(context):
    """Switch the site to the Ratusz theme (1000 → 1001)."""
    applyTheme(getTheme("ratusz"))


def install_bip(context):
    """Add the BIP groups and create the BIP of every language (1001 → 1002)."""
    from ratusz.bip.structure import create_bip
    from ratusz.setuphandlers import create_groups

    create_groups()
    create_bip()


def install_intranet(context):
    """Staff roles for the staff groups and the intranet with its departments (1002 → 1003)."""
    from ratusz.cases.structure import create_intranet
    from ratusz.setuphandlers import create_groups
    from ratusz.setuphandlers import grant_group_roles

    create_groups()
    grant_group_roles()
    create_intranet()


CIRCULATION_INDEXES = (
    "case_year",
    "case_jrwa",
    "case_start",
    "case_parties",
    "case_disposal_year",
    "incoming_copies",
    "incoming_pending",
    "SearchableText",
)


def index_circulation(context):
    """Staff news and document library; fill the new indexes for existing cases (1003 → 1004)."""
    from plone import api

    from ratusz.cases.structure import create_intranet

    create_intranet()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type=["Case", "IncomingItem"]):
        obj = brain._unrestrictedGetObject()
        catalog.reindexObject(obj, idxs=list(CIRCULATION_INDEXES), update_metadata=True)


def install_eservices(context):
    """Create the e-service catalogues (1004 → 1005)."""
    from ratusz.eservices.structure import create_catalogues

    create_catalogues()


def use_register_folders(context):
    """The incoming register and the case folder as RegisterFolder (1005 → 1006)."""
    from plone import api

    from ratusz.cases.containers import use_register_class
    from ratusz.cases.structure import CASES_ID
    from ratusz.cases.structure import INCOMING_ID
    from ratusz.cases.structure import INTRANET_ID

    intranet = api.portal.get().get(INTRANET_ID)
    for folder_id in (INCOMING_ID, CASES_ID):
        if intranet is not None and folder_id in intranet:
            use_register_class(intranet[folder_id])


def install_map_widget(context):
    """plone.formwidget.geolocation's profile, now a dependency (1006 → 1007)."""
    from plone import api
    from plone.base.utils import get_installer

    installer = get_installer(api.portal.get())
    if not installer.is_product_installed("plone.formwidget.geolocation"):
        installer.install_product("plone.formwidget.geolocation")


def install_maps(context):
    """The map page of every language root (1007 → 1008)."""
    from ratusz.gis.structure import create_map_pages

    create_map_pages()
