"""A place in a real Chromium: the editor sets its point with the Leaflet widget, the page
shows the address as text, and neither page has serious accessibility findings."""

import pytest
import requests
import transaction
from playwright.sync_api import expect
from plone import api
from plone.formwidget.geolocation.geolocation import Geolocation

from tests.browser.conftest import describe


@pytest.fixture
def place_url(browser_layer, site_url):
    portal = browser_layer["portal"]
    with api.env.adopt_roles(["Manager"]):
        place = api.content.create(
            container=portal.pl,
            type="Place",
            id="biblioteka-glowna",
            title="Biblioteka Główna",
            description="Wypożyczalnia i czytelnia.",
            place_kind="library",
            opening_hours="Pn–Pt 9:00–18:00\nSob 9:00–14:00",
            phone="+48 62 000 00 00",
            address="ul. Łazienna 10, 62-800 Kalisz",
            geolocation=Geolocation(51.7575, 18.0858),
        )
        api.content.transition(place, "publish")
    transaction.commit()
    yield f"{site_url}/pl/biblioteka-glowna"
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(portal.pl["biblioteka-glowna"], check_linkintegrity=False)
    transaction.commit()


def test_the_place_page_shows_the_address_and_hours_and_passes_axe(page, place_url, axe_violations):
    page.goto(place_url)
    expect(page.locator("h1")).to_have_text("Biblioteka Główna")
    main = page.locator("#content")
    expect(main).to_contain_text("ul. Łazienna 10, 62-800 Kalisz")
    expect(main).to_contain_text("Pn–Pt 9:00–18:00")
    marker = page.locator(".leaflet-container [role=button].awesome-marker")
    expect(marker).to_have_attribute("aria-label", "Znacznik na mapie")
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_an_editor_places_the_marker_with_the_map_widget(page, site_url, login, axe_violations):
    login("redaktor", "demo-redaktor")
    page.goto(f"{site_url}/pl/++add++Place")
    page.fill("#form-widgets-IBasic-title", "Punkt obsługi mieszkańców")
    page.locator("nav.autotoc-nav a", has_text="Położenie").click()
    latitude = page.locator("input.latitude")
    longitude = page.locator("input.longitude")
    expect(latitude).to_be_attached()
    violations = axe_violations()
    assert violations == [], describe(violations)
    # The widget keeps the point in these inputs (the map writes them when the marker moves).
    latitude.evaluate("(input, value) => { input.value = value }", "51.7621")
    longitude.evaluate("(input, value) => { input.value = value }", "18.0906")
    page.fill("input[name='form.widgets.ILocation.address']", "Główny Rynek 20, Kalisz")
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_text("Punkt obsługi mieszkańców")
    # the marker is on the maps (for the editor: the new place is still private)
    answer = page.request.get(f"{site_url}/++api++/@geojson?q=Punkt obsługi mieszkańców")
    features = answer.json()["features"]
    assert [f["geometry"]["coordinates"] for f in features] == [[18.0906, 51.7621]]
    assert features[0]["properties"]["address"] == "Główny Rynek 20, Kalisz"
    # anonymous visitors do not see the draft
    anonymous = requests.get(f"{site_url}/++api++/@geojson?q=Punkt", timeout=30).json()
    assert anonymous["features"] == []
