"""registry_setting: a panel's record, or its field's default when the record is missing."""

from plone import api

from ratusz.gis.tiles import IMapSettings
from ratusz.settings import registry_setting


def test_a_record_is_read_and_a_missing_one_gives_the_default(integration):
    api.portal.set_registry_record("ratusz.gis.zoom", 11)
    assert registry_setting(IMapSettings, "ratusz.gis", "zoom") == 11
    del api.portal.get_tool("portal_registry").records["ratusz.gis.zoom"]
    assert registry_setting(IMapSettings, "ratusz.gis", "zoom") == 13
