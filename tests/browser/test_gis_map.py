"""The map page in a real Chromium: an editor's new place appears as a marker and in the list
beside the map; markers, popups and the list work when the tiles cannot load; the type
switches hide markers at once; no serious accessibility findings."""

import pytest
import transaction
from playwright.sync_api import expect
from plone import api
from plone.formwidget.geolocation.geolocation import Geolocation

from tests.browser.conftest import describe

TILES = ("**/tile.openstreetmap.org/**", "**/mapy.geoportal.gov.pl/**")


@pytest.fixture
def places(browser_layer):
    portal = browser_layer["portal"]
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=portal.pl, type="Folder", id="miejsca-testowe", title="Miejsca"
        )
        api.content.transition(folder, "publish")
        for place_id, title, kind, where in (
            ("ratusz", "Ratusz <b>Miejski</b>", "office", (51.7621, 18.0906)),
            ("biblioteka", "Biblioteka <b>Główna</b>", "library", (51.7575, 18.0858)),
        ):
            place = api.content.create(
                container=folder,
                type="Place",
                id=place_id,
                title=title,
                place_kind=kind,
                address=f"ul. Testowa 1 ({place_id})",
                geolocation=Geolocation(*where),
            )
            api.content.transition(place, "publish")
        event = api.content.create(
            container=folder,
            type="Event",
            id="festyn",
            title="Festyn na Rynku",
            # at the library's very point: the two stay a cluster at every zoom
            geolocation=Geolocation(51.7575, 18.0858),
        )
        api.content.transition(event, "publish")
    transaction.commit()
    yield folder
    transaction.begin()  # see what the browser's requests committed
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(portal.pl["miejsca-testowe"], check_linkintegrity=False)
    transaction.commit()


def block_tiles(page):
    for pattern in TILES:
        page.route(pattern, lambda route: route.abort())


def markers_loaded(page):
    page.wait_for_selector(".ratusz-map[data-loaded='1']")
    return int(page.locator(".ratusz-map").get_attribute("data-markers"))


def test_the_map_page_shows_markers_popups_and_the_list_without_tiles(
    page, site_url, places, axe_violations
):
    block_tiles(page)
    page.goto(f"{site_url}/pl/mapa")
    assert markers_loaded(page) == 3
    expect(page.locator(".ratusz-map-list li")).to_have_count(3)
    expect(page.locator(".ratusz-map-list")).to_contain_text("ul. Testowa 1 (ratusz)")
    # the tiles failed: the page says so, the rest works
    page.wait_for_selector(".ratusz-map[data-tiles-failed='1']")
    expect(page.locator(".ratusz-map-status")).to_be_visible()
    # markers are clustered when close: zoom in until the town hall's marker is there
    marker = page.locator(".leaflet-marker-icon[title='Ratusz <b>Miejski</b>']")
    for _ in range(6):
        if marker.count():
            break
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    # a hostile title is text in the popup, never markup
    expect(popup).to_contain_text("Ratusz <b>Miejski</b>")
    assert popup.locator("b").count() == 0
    expect(popup).to_contain_text("ul. Testowa 1 (ratusz)")
    expect(popup.locator("a")).to_have_attribute("href", f"{site_url}/pl/miejsca-testowe/ratusz")
    # the library and the festival share a point: a cluster named by its count
    cluster = page.locator(".marker-cluster")
    expect(cluster.first).to_contain_text("2")
    assert cluster.first.get_attribute("aria-label") is None
    # a hostile title is text in the popup and the list, never markup
    assert page.locator(".ratusz-map-list b").count() == 0
    # (the popup fades in: check it as the reader sees it, not half-transparent)
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_a_type_switch_hides_its_markers_and_list_entries_at_once(page, site_url, places):
    block_tiles(page)
    page.goto(f"{site_url}/pl/mapa")
    assert markers_loaded(page) == 3
    events = page.locator(".ratusz-map-list li[data-type='Event']")
    expect(events).to_be_visible()
    the_map = page.locator(".ratusz-map")
    page.locator("#ratusz-map-type-event").uncheck()
    expect(events).to_be_hidden()
    expect(the_map).to_have_attribute("data-markers", "2")  # its marker left the map
    page.locator("#ratusz-map-type-event").check()
    expect(the_map).to_have_attribute("data-markers", "3")
    page.locator("#ratusz-map-type-event").uncheck()
    # the server's answer to the same filter (the "Show" button) agrees
    page.locator("#ratusz-map-filters button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator(".ratusz-map-list li")).to_have_count(2)
    assert markers_loaded(page) == 2
    # switched on again without "Show": its marker was loaded all along
    page.locator("#ratusz-map-type-event").check()
    expect(page.locator(".ratusz-map")).to_have_attribute("data-markers", "3")


def test_an_editor_sets_a_place_with_the_widget_and_it_is_on_the_map(page, site_url, places, login):
    block_tiles(page)
    login("redaktor", "demo-redaktor")
    page.goto(f"{site_url}/pl/miejsca-testowe/++add++Place")
    page.fill("#form-widgets-IBasic-title", "Punkt Informacji Turystycznej")
    page.locator("nav.autotoc-nav a", has_text="Położenie").click()
    latitude = page.locator("input.latitude")
    longitude = page.locator("input.longitude")
    widget = page.locator(".geolocation_wrapper.edit .pat-leaflet.leaflet-container")
    expect(widget).to_be_visible()
    page.wait_for_function(
        "document.querySelector('.geolocation_wrapper.edit .pat-leaflet').dataset.ratuszPick"
    )
    # a click on the widget's map puts the point there (the item had none)
    box = widget.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(latitude).not_to_have_value("")
    first = (float(latitude.input_value()), float(longitude.input_value()))
    # the marker it made can be dragged: the point follows
    marker = page.locator(".pat-leaflet .awesome-marker").first
    expect(marker).to_be_visible()
    mark = marker.bounding_box()
    page.mouse.move(mark["x"] + mark["width"] / 2, mark["y"] + mark["height"] - 6)
    page.mouse.down()
    page.mouse.move(mark["x"] + mark["width"] / 2 + 60, mark["y"] + mark["height"] - 6, steps=8)
    page.mouse.up()
    expect(longitude).not_to_have_value(f"{first[1]:.6f}")
    assert float(longitude.input_value()) > first[1]  # dragged east
    assert -90 <= first[0] <= 90
    page.fill("input[name='form.widgets.ILocation.address']", "ul. Zamkowa 2, Kalisz")
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_text("Punkt Informacji Turystycznej")
    # the editor sees the new (private) place on the map page and in its list
    page.goto(f"{site_url}/pl/mapa")
    assert markers_loaded(page) == 4
    expect(page.locator(".ratusz-map-list")).to_contain_text("Punkt Informacji Turystycznej")
    expect(page.locator(".ratusz-map-list")).to_contain_text("ul. Zamkowa 2, Kalisz")
