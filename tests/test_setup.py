"""Installing, upgrading and uninstalling ratusz:default."""

import pytest
from plone import api
from plone.browserlayer.utils import registered_layers

from ratusz.interfaces import IRatuszLayer
from ratusz.setuphandlers import GROUPS


def left_column_assignments(portal):
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    manager = getUtility(IPortletManager, name="plone.leftcolumn", context=portal)
    return list(getMultiAdapter((portal, manager), IPortletAssignmentMapping))


def hidden_footer_viewlets(portal):
    from plone.app.viewletmanager.interfaces import IViewletSettingsStorage
    from zope.component import getUtility

    return getUtility(IViewletSettingsStorage).getHidden("plone.portalfooter", "*")


PROFILE_VERSION = "1008"


class TestInstall:
    def test_product_installed(self, installer):
        assert installer.is_product_installed("ratusz")

    def test_browser_layer(self, portal):
        assert IRatuszLayer in registered_layers()

    def test_profile_version(self, setup_tool):
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)

    def test_city_settings_configlet(self, controlpanel_actions):
        assert "ratusz-city-settings" in controlpanel_actions

    def test_theme_active(self, portal):
        from plone.app.theming.utils import getCurrentTheme

        assert getCurrentTheme() == "ratusz"

    def test_languages(self, portal):
        assert api.portal.get_registry_record("plone.default_language") == "pl"
        assert api.portal.get_registry_record("plone.available_languages") == ["pl", "en", "uk"]

    def test_language_roots(self, portal):
        for code in ("pl", "en", "uk"):
            assert portal[code].portal_type == "LRF"
            assert api.content.get_state(portal[code]) == "published"

    @pytest.mark.parametrize("group_id", list(GROUPS))
    def test_groups(self, portal, group_id):
        assert api.group.get(groupname=group_id) is not None

    def test_group_titles_polish(self, portal):
        assert api.group.get(groupname="ratusz-clerks").getProperty("title") == "Urzędnicy"

    def test_editors_group_roles(self, portal):
        roles = api.group.get_roles(groupname="ratusz-editors")
        assert {"Editor", "Contributor", "Reviewer"} <= set(roles)

    def test_dependencies_installed(self, installer):
        for package in ("plone.restapi", "plone.app.multilingual", "collective.easyform"):
            assert installer.is_product_installed(package), package

    def test_navigation_portlet_removed_from_left_column(self, portal):
        assert "navigation" not in left_column_assignments(portal)

    def test_plone_footer_viewlet_hidden(self, portal):
        assert "plone.footer" in hidden_footer_viewlets(portal)

    def test_language_selector_offers_only_the_site_languages(self, portal):
        from ratusz.site.languages import supported_language_information

        info = supported_language_information(api.portal.get_tool("portal_languages"))
        assert list(info) == ["pl", "en", "uk"]
        assert info["uk"]["native"] == "Українська"

    def test_demo_and_uninstall_profiles_hidden(self, portal):
        from Products.CMFPlone.interfaces import INonInstallable
        from zope.component import getUtility

        hidden = getUtility(INonInstallable, "ratusz").getNonInstallableProfiles()
        assert {"ratusz:uninstall", "ratusz:demo"} <= set(hidden)


class TestUninstall:
    @pytest.fixture(autouse=True)
    def uninstall(self, installer):
        installer.uninstall_product("ratusz")

    def test_product_uninstalled(self, installer):
        assert not installer.is_product_installed("ratusz")

    def test_browser_layer_removed(self, portal):
        assert IRatuszLayer not in registered_layers()

    def test_configlet_removed(self, controlpanel_actions):
        assert "ratusz-city-settings" not in controlpanel_actions
        assert "ratusz-jrwa" not in controlpanel_actions

    def test_registry_records_removed(self, portal):
        registry = api.portal.get_tool("portal_registry")
        assert "ratusz.city.city_name" not in registry.records

    def test_theme_back_to_barceloneta(self, portal):
        from plone.app.theming.utils import getCurrentTheme

        assert getCurrentTheme() == "barceloneta"

    def test_groups_removed(self, portal):
        for group_id in GROUPS:
            assert api.group.get(groupname=group_id) is None

    def test_plone_footer_viewlet_shown_again(self, portal):
        assert "plone.footer" not in hidden_footer_viewlets(portal)

    def test_navigation_portlet_given_back(self, portal):
        assert "navigation" in left_column_assignments(portal)

    def test_content_stays(self, portal):
        assert "pl" in portal.objectIds()
        assert "bip" in portal.pl.objectIds()

    def test_document_circulation_types_workflows_indexes_and_settings_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        for type_id in (
            "Intranet",
            "DepartmentDirectory",
            "Department",
            "IncomingRegister",
            "IncomingItem",
        ):
            assert type_id not in types
        workflows = api.portal.get_tool("portal_workflow").objectIds()
        assert "ratusz_intranet_workflow" not in workflows
        assert "ratusz_incoming_workflow" not in workflows
        for workflow_id in ("ratusz_case_simple", "ratusz_case_supplement", "ratusz_case_approval"):
            assert workflow_id not in workflows
        assert "case_phase" not in api.portal.get_tool("portal_catalog").indexes()
        assert not [
            r
            for r in api.portal.get_tool("portal_registry").records
            if r.startswith("ratusz.cases.kinds/")
        ]
        catalog = api.portal.get_tool("portal_catalog")
        assert "incoming_received" not in catalog.indexes()
        assert "case_sign" not in catalog.indexes()
        assert "incoming_summary" not in catalog.schema()
        registry = api.portal.get_tool("portal_registry")
        assert "ratusz.cases.incoming_number_pattern" not in registry.records
        controlpanel = [a.getId() for a in api.portal.get_tool("portal_controlpanel").listActions()]
        assert "ratusz-cases-settings" not in controlpanel

    def test_case_documents_letters_and_their_indexes_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        assert "CaseNote" not in types
        assert "OutgoingLetter" not in types
        assert "ratusz_letter_workflow" not in api.portal.get_tool("portal_workflow").objectIds()
        catalog = api.portal.get_tool("portal_catalog")
        for index in ("case_year", "case_parties", "case_disposal_year", "incoming_pending"):
            assert index not in catalog.indexes()
        records = api.portal.get_tool("portal_registry").records
        assert not [r for r in records if r.startswith("ratusz.cases.letter_templates/")]
        assert "ratusz.cases.archive_after_days" not in records

    def test_eservice_types_index_and_settings_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        assert "ServiceCard" not in types and "ServiceCatalogue" not in types
        catalog = api.portal.get_tool("portal_catalog")
        assert "service_life_events" not in catalog.indexes()
        assert "service_summary" not in catalog.schema()
        records = api.portal.get_tool("portal_registry").records
        assert "ratusz.eservices.max_file_mb" not in records
        assert "e-uslugi" not in portal.pl.objectIds()  # the empty catalogue goes

    def test_gis_type_behavior_and_indexes_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        assert "Place" not in types
        for type_id in ("Event", "News Item"):
            assert type_id in types  # plone.app.contenttypes' own stay
            assert "ratusz.gis.location" not in types[type_id].behaviors
        catalog = api.portal.get_tool("portal_catalog")
        for index in ("geo_latitude", "geo_longitude", "geo_category"):
            assert index not in catalog.indexes()
        for column in ("geo_latitude", "geo_address", "geo_properties"):
            assert column not in catalog.schema()

    def test_map_display_settings_and_pages_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        for type_id in ("Folder", "Collection"):
            assert "map" not in types[type_id].view_methods
            assert "listing_view" in types[type_id].view_methods  # Plone's own stay
        records = api.portal.get_tool("portal_registry").records
        assert "ratusz.gis.tile_layers" not in records
        controlpanel = [a.getId() for a in api.portal.get_tool("portal_controlpanel").listActions()]
        assert "ratusz-map-settings" not in controlpanel
        assert "mapa" not in portal.pl.objectIds()  # the profile's own map page goes

    def test_map_layers_investments_and_reports_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        for type_id in ("CitizenReport", "ReportsBoard", "MapLayer", "Investment"):
            assert type_id not in types
        workflows = api.portal.get_tool("portal_workflow").objectIds()
        assert "ratusz_report_workflow" not in workflows
        catalog = api.portal.get_tool("portal_catalog")
        assert "report_number" not in catalog.indexes()
        assert "report_summary" not in catalog.schema()
        records = api.portal.get_tool("portal_registry").records
        assert not [
            r for r in records if r.startswith(("ratusz.gis.reports.", "ratusz.gis.layers."))
        ]
        controlpanel = [a.getId() for a in api.portal.get_tool("portal_controlpanel").listActions()]
        assert "ratusz-reports-settings" not in controlpanel
        assert "zgloszenia" not in portal.pl.objectIds()  # the empty board goes

    def test_bip_types_and_workflows_removed(self, portal):
        types = api.portal.get_tool("portal_types")
        workflows = api.portal.get_tool("portal_workflow")
        assert "BipLegalAct" not in types
        assert "BipSection" not in types
        assert "ratusz_bip_workflow" not in workflows.objectIds()
        assert "ratusz_bip_section_workflow" not in workflows.objectIds()

    def test_bip_catalog_indexes_and_settings_removed(self, portal):
        catalog = api.portal.get_tool("portal_catalog")
        assert "bip_year" not in catalog.indexes()
        assert "bip_summary" not in catalog.schema()
        registry = api.portal.get_tool("portal_registry")
        assert "ratusz.bip.editor_email" not in registry.records

    def test_bip_types_no_longer_versioned(self, portal):
        repository = api.portal.get_tool("portal_repository")
        assert "BipLegalAct" not in repository.getVersionableContentTypes()

    def test_reinstall(self, installer, portal):
        installer.install_product("ratusz")
        assert installer.is_product_installed("ratusz")
        assert IRatuszLayer in registered_layers()
        assert api.portal.get_registry_record("ratusz.city.city_name") == "Przykładowo"


class TestUpgrade:
    def test_upgrade_1000_to_1001_activates_theme(self, portal, setup_tool):
        from plone.app.theming.utils import applyTheme
        from plone.app.theming.utils import getCurrentTheme
        from plone.app.theming.utils import getTheme

        applyTheme(getTheme("barceloneta"))
        setup_tool.setLastVersionForProfile("ratusz:default", "1000")
        assert setup_tool.listUpgrades("ratusz:default"), "no upgrade step from 1000"
        setup_tool.upgradeProfile("ratusz:default")
        assert getCurrentTheme() == "ratusz"
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)

    def test_upgrade_1001_to_1002_installs_the_bip(self, portal, setup_tool):
        from ratusz.setuphandlers import remove_groups

        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=portal.pl.bip, check_linkintegrity=False)
        api.portal.get_tool("portal_types").manage_delObjects(["BipLegalAct"])
        remove_groups()
        setup_tool.setLastVersionForProfile("ratusz:default", "1001")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        assert "BipLegalAct" in api.portal.get_tool("portal_types")
        assert portal.pl.bip["prawo-lokalne"]["uchwaly"].register_type == "BipLegalAct"
        assert api.group.get(groupname="ratusz-bip-administrators") is not None

    def test_upgrade_1002_to_1003_adds_document_circulation(self, portal, setup_tool):
        controlpanel = api.portal.get_tool("portal_controlpanel")
        controlpanel.unregisterConfiglet("ratusz-jrwa")
        portal.manage_permission("ratusz: Manage JRWA", ["Manager"], acquire=True)
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=portal.intranet, check_linkintegrity=False)
        api.portal.get_tool("portal_groups").setRolesForGroup("ratusz-clerks", ["Member"])
        api.group.delete(groupname="ratusz-registry")
        setup_tool.setLastVersionForProfile("ratusz:default", "1002")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        assert "ratusz-jrwa" in [a.getId() for a in controlpanel.listActions()]
        roles = [
            r["name"] for r in portal.rolesOfPermission("ratusz: Manage JRWA") if r["selected"]
        ]
        assert "Site Administrator" in roles

    def test_upgrade_1003_to_1004_adds_letters_and_indexes_existing_cases(self, portal, setup_tool):
        from ratusz.cases.case import create_case

        with api.env.adopt_roles(["Manager"]):
            case = create_case(
                portal.intranet.sprawy,
                title="Sprawa sprzed aktualizacji",
                department="OR",
                jrwa="0020",
                kind="general",
                parties=["Jan Kowalski"],
            )
        catalog = api.portal.get_tool("portal_catalog")
        catalog.manage_delIndex(["case_parties", "case_year"])
        api.portal.get_tool("portal_types").manage_delObjects(["OutgoingLetter"])
        setup_tool.setLastVersionForProfile("ratusz:default", "1003")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        assert "OutgoingLetter" in api.portal.get_tool("portal_types")
        assert [b.getObject() for b in catalog(case_parties="Kowalski")] == [case]
        assert [b.getObject() for b in catalog(case_year=case.start_date.year)] == [case]

    def test_upgrade_1004_to_1005_adds_eservices(self, portal, setup_tool):
        portal.pl._delObject("e-uslugi")
        api.portal.get_tool("portal_catalog").delIndex("service_life_events")
        setup_tool.setLastVersionForProfile("ratusz:default", "1004")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        assert portal.pl["e-uslugi"].portal_type == "ServiceCatalogue"
        assert api.content.get_state(portal.en["e-services"]) == "published"
        assert "service_life_events" in api.portal.get_tool("portal_catalog").indexes()
        assert api.portal.get_registry_record("ratusz.eservices.max_file_mb") == 10

    def test_upgrade_1006_to_1007_adds_the_maps(self, portal, setup_tool):
        types = api.portal.get_tool("portal_types")
        catalog = api.portal.get_tool("portal_catalog")
        types.manage_delObjects(["Place"])
        types["Event"].behaviors = tuple(
            b for b in types["Event"].behaviors if b != "ratusz.gis.location"
        )
        catalog.delIndex("geo_latitude")
        catalog.delColumn("geo_properties")
        registry = api.portal.get_tool("portal_registry")
        del registry.records["geolocation.map_layers"]
        setup_tool.setLastVersionForProfile("plone.formwidget.geolocation:default", "unknown")
        setup_tool.setLastVersionForProfile("ratusz:default", "1006")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        assert "Place" in types
        assert "ratusz.gis.location" in types["Event"].behaviors
        assert "geo_latitude" in catalog.indexes() and "geo_properties" in catalog.schema()
        assert "geolocation.map_layers" in registry.records  # the map widget's settings

    def test_upgrade_1007_to_1008_adds_the_map_display_settings_and_pages(self, portal, setup_tool):
        types = api.portal.get_tool("portal_types")
        registry = api.portal.get_tool("portal_registry")
        types["Folder"].view_methods = tuple(v for v in types["Folder"].view_methods if v != "map")
        del registry.records["ratusz.gis.tile_layers"]
        portal.pl._delObject("mapa")
        portal.pl._delObject("zgloszenia")
        types.manage_delObjects(["CitizenReport", "ReportsBoard", "MapLayer", "Investment"])
        workflows = api.portal.get_tool("portal_workflow")
        workflows.manage_delObjects(["ratusz_report_workflow"])
        catalog = api.portal.get_tool("portal_catalog")
        catalog.delIndex("report_number")
        catalog.delColumn("report_summary")
        setup_tool.setLastVersionForProfile("ratusz:default", "1007")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        assert "map" in types["Folder"].view_methods
        assert "map" in types["Collection"].view_methods
        assert api.portal.get_registry_record("ratusz.gis.tile_layers")[0].startswith(
            "OpenStreetMap"
        )
        assert portal.pl.mapa.getLayout() == "map"
        assert api.content.get_state(portal.pl.mapa) == "published"
        controlpanel = [a.getId() for a in api.portal.get_tool("portal_controlpanel").listActions()]
        assert "ratusz-map-settings" in controlpanel
        assert "ratusz-reports-settings" in controlpanel
        for type_id in ("CitizenReport", "ReportsBoard", "MapLayer", "Investment"):
            assert type_id in types
        assert workflows.getChainForPortalType("CitizenReport") == ("ratusz_report_workflow",)
        assert "report_number" in catalog.indexes() and "report_summary" in catalog.schema()
        assert portal.pl.zgloszenia.portal_type == "ReportsBoard"
        assert api.content.get_state(portal.pl.zgloszenia) == "published"

    def test_upgrade_1005_to_1006_makes_register_folders(self, portal, setup_tool):
        from plone.dexterity.content import Container

        from ratusz.cases.containers import REGISTER_CLASS
        from ratusz.cases.containers import RegisterFolder

        types = api.portal.get_tool("portal_types")
        for folder_id, type_id in (("kancelaria", "IncomingRegister"), ("sprawy", "CaseFolder")):
            portal.intranet[folder_id].__class__ = Container  # as sites before 1006 have it
            types[type_id].klass = "plone.dexterity.content.Container"
        setup_tool.setLastVersionForProfile("ratusz:default", "1005")
        setup_tool.upgradeProfile("ratusz:default")
        assert setup_tool.getLastVersionForProfile("ratusz:default") == (PROFILE_VERSION,)
        for folder_id, type_id in (("kancelaria", "IncomingRegister"), ("sprawy", "CaseFolder")):
            assert type(portal.intranet[folder_id].aq_base) is RegisterFolder
            assert types[type_id].klass == REGISTER_CLASS


def test_uninstall_removes_the_staff_notices(portal):
    from zope.annotation.interfaces import IAnnotations

    from ratusz.cases.notices import notify
    from ratusz.setuphandlers import uninstall

    assert notify(["urzednik"], "Próba", portal.absolute_url(), mail=False) == ["urzednik"]
    assert "ratusz.cases.notices" in IAnnotations(portal)
    uninstall(None)
    assert "ratusz.cases.notices" not in IAnnotations(portal)
