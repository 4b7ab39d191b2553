"""Spatial statistics in a real Chromium: the districts drawn as a choropleth (coloured by
their counts, tiles or not) beside the same numbers in a table, with no serious
accessibility findings; and a map layer's add form refusing a projected file, saying why."""

import json

import pytest
import transaction
from playwright.sync_api import expect
from plone import api

from ratusz.gis import layerdata
from tests.browser.conftest import describe
from tests.gis.layer_helpers import POINTS
from tests.gis.layer_helpers import create_investment
from tests.gis.layer_helpers import create_layer

TILES = ("**/tile.openstreetmap.org/**", "**/mapy.geoportal.gov.pl/**")


@pytest.fixture
def districts(browser_layer):
    portal = browser_layer["portal"]
    layerdata.forget_shapes()
    layer = create_layer(portal, "dzielnice-test")
    ids = []
    for item_id, latitude, longitude, _district in POINTS:
        create_investment(portal, f"test-{item_id}", latitude, longitude)
        ids.append(f"test-{item_id}")
    transaction.commit()
    yield layer
    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        for item_id in ["dzielnice-test", *ids]:
            if item_id in portal.pl:
                api.content.delete(portal.pl[item_id], check_linkintegrity=False)
    transaction.commit()


def test_the_statistics_page_draws_the_choropleth_and_the_table(
    page, site_url, districts, axe_violations
):
    for pattern in TILES:
        page.route(pattern, lambda route: route.abort())
    page.goto(f"{site_url}/pl/dzielnice-test/@@map-statistics?portal_type=Investment")
    page.wait_for_selector(".ratusz-map[data-overlays-drawn='1']")
    # one shape per district (Majków's two parts are one MultiPolygon), filled by class
    fills = page.locator(".ratusz-map path.leaflet-interactive").evaluate_all(
        "paths => paths.map(path => path.getAttribute('fill'))"
    )
    assert sorted(fills) == sorted(["#08306b", "#c6dbef", "#f7fbff"]), fills
    legend = page.locator(".ratusz-choropleth-legend li")
    expect(legend).to_have_count(3)
    table = page.locator("table.ratusz-statistics-table")
    expect(table.locator("caption")).to_contain_text("Dzielnice")
    expect(table.locator("tbody tr").first).to_contain_text("Śródmieście")
    expect(table.locator("tbody tr").first.locator("td").last).to_have_text("2")
    expect(table.locator("tfoot td").last).to_have_text("5")
    violations = axe_violations()
    assert violations == [], describe(violations)

    # another choice of types: the form is a plain GET form
    page.locator("input[name='portal_type:list'][value='Place']").check()
    page.locator("input[name='portal_type:list'][value='Investment']").uncheck()
    page.locator("#ratusz-statistics-types button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "portal_type%3Alist=Place" in page.url or "portal_type:list=Place" in page.url
    expect(page.locator("table.ratusz-statistics-table tfoot td").last).to_have_text("0")


PROJECTED = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"nazwa": "Śródmieście"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[500000, 300000], [501000, 300000], [501000, 301000], [500000, 300000]]
                ],
            },
        }
    ],
}


def test_the_add_form_refuses_a_projected_file_and_says_why(
    page, site_url, login, tmp_path, axe_violations, browser_layer
):
    login("redaktor", "demo-redaktor")
    page.goto(f"{site_url}/pl/++add++MapLayer")
    page.fill("#form-widgets-IBasic-title", "Dzielnice w PUWG 1992")
    upload = tmp_path / "dzielnice-2180.geojson"
    upload.write_text(json.dumps(PROJECTED), encoding="utf-8")
    page.set_input_files("input[type=file][name='form.widgets.file']", str(upload))
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    error = page.locator("#formfield-form-widgets-file .invalid-feedback")
    expect(error.first).to_contain_text("EPSG:2180")
    expect(error.first).to_contain_text("500000")
    violations = axe_violations()
    assert violations == [], describe(violations)
    transaction.begin()
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(
        portal_type="MapLayer", Title="Dzielnice w PUWG 1992"
    )


def test_the_layer_page_and_an_investment_page_pass_axe(page, site_url, districts, axe_violations):
    for pattern in TILES:
        page.route(pattern, lambda route: route.abort())
    page.goto(f"{site_url}/pl/dzielnice-test")
    page.wait_for_selector(".ratusz-map[data-overlays-drawn='1']")
    expect(page.locator(".ratusz-layer-areas li")).to_have_text(
        ["Śródmieście", "Majków", "Rypinek"]
    )
    violations = axe_violations()
    assert violations == [], describe(violations)

    page.goto(f"{site_url}/pl/test-rynek")
    expect(page.locator(".ratusz-investment-facts")).to_contain_text(
        "1\u00a0250\u00a0000,00\u00a0zł"
    )
    expect(page.locator(".ratusz-address")).to_have_text("ul. Główna 1, Kalisz")
    page.wait_for_selector(".ratusz-map[data-loaded='1']")
    violations = axe_violations()
    assert violations == [], describe(violations)
