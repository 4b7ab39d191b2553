"""The "Map" display (``@@map``) and the site map page ``/pl/mapa``."""

import html
import json
import re
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import transaction
from plone import api

from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused
from tests.gis.test_geojson import RATUSZ
from tests.gis.test_geojson import point
from tests.gis.test_geojson import site  # noqa: F401 - the places of the GeoJSON tests


def map_config(contents):
    """The ``data-ratusz-map`` of the page's map, decoded."""
    found = re.search(r'data-ratusz-map="([^"]*)"', contents)
    assert found, "the page has no map"
    return json.loads(html.unescape(found.group(1)))


def listed_titles(contents):
    """The titles in the list beside the map, in order."""
    listing = contents.split('class="ratusz-map-list', 1)
    if len(listing) == 1:
        return []
    return [
        html.unescape(title)
        for title in re.findall(
            r'<li class="ratusz-map-item[^>]*>.*?<a[^>]*>([^<]*)</a>', listing[1], re.S
        )
    ]


def open_page(app, url, login=None):
    browser = browser_for(app, login)
    browser.open(url)
    return browser


def test_the_site_map_page_lists_the_published_places_of_the_language_root(site):  # noqa: F811
    portal, app, _places = site
    browser = open_page(app, portal.pl.mapa.absolute_url())
    assert status_of(browser) == 200
    titles = listed_titles(browser.contents)
    assert titles == [
        "Biblioteka Miejska",
        "Festyn",
        "Punkt w Warszawie",
        "Ratusz",
        "Szkoła Podstawowa nr 1",
    ]
    assert "Punkt w przygotowaniu" not in browser.contents  # a draft
    assert "ul. Główna 1, Kalisz (ratusz)" in browser.contents  # the address as text


def test_the_editor_sees_the_draft_on_the_map_page_too(site):  # noqa: F811
    portal, app, _places = site
    browser = open_page(app, portal.pl.mapa.absolute_url(), "redaktor")
    assert "Punkt w przygotowaniu" in listed_titles(browser.contents)


def test_the_map_reads_the_same_items_from_geojson(site):  # noqa: F811
    portal, app, _places = site
    config = map_config(open_page(app, portal.pl.mapa.absolute_url()).contents)
    assert config["markers"].startswith(f"{portal.pl.mapa.absolute_url()}/++api++/@geojson?")
    asked = parse_qs(urlsplit(config["markers"]).query)["portal_type"][0].split(",")
    assert {"Event", "News Item", "Place", "ServiceCard"} <= set(asked)
    assert config["tiles"][0]["kind"] == "xyz"
    assert config["tiles"][0]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert config["tiles"][1]["kind"] == "wms" and config["tiles"][1]["layers"] == "Raster"
    assert config["colours"]["Place"] == "#0b5394"
    assert config["labels"]["tiles_failed"]


def test_the_legend_counts_each_type_and_switches_it(site):  # noqa: F811
    portal, app, _places = site
    browser = open_page(app, f"{portal.pl.mapa.absolute_url()}?portal_type:list=Event")
    assert listed_titles(browser.contents) == ["Festyn"]
    legend = browser.contents.split("ratusz-map-legend", 1)[1].split("</fieldset>", 1)[0]
    # the counts are of everything found, so an unchecked type still says how many it has
    assert re.search(r"Places\s*\(\s*4\s*\)|Miejsca\s*\(\s*4\s*\)", legend)
    checked = re.findall(r"<input[^>]*checked[^>]*>", legend)
    assert len(checked) == 1 and 'value="Event"' in checked[0]
    config = map_config(browser.contents)
    assert config["visible_types"] == ["Event"]
    # every type is loaded, so switching one on needs no new request
    asked = parse_qs(urlsplit(config["markers"]).query)["portal_type"][0].split(",")
    assert {"Event", "Place"} <= set(asked)


def test_category_and_words_narrow_map_and_list(site):  # noqa: F811
    portal, app, _places = site
    url = portal.pl.mapa.absolute_url()
    assert listed_titles(open_page(app, f"{url}?category=library").contents) == [
        "Biblioteka Miejska"
    ]
    browser = open_page(app, f"{url}?q=Szko%C5%82a")
    assert listed_titles(browser.contents) == ["Szkoła Podstawowa nr 1"]
    assert "q=Szko%C5%82a" in map_config(browser.contents)["markers"]


def test_a_folder_gets_the_map_display(site):  # noqa: F811
    portal, app, _places = site
    folder = portal.pl["mapa-test"]
    types = api.portal.get_tool("portal_types")
    assert "map" in types["Folder"].view_methods
    folder.setLayout("map")
    transaction.commit()
    browser = open_page(app, folder.absolute_url())
    assert "Ratusz" in listed_titles(browser.contents)
    assert map_config(browser.contents)["markers"].startswith(
        f"{folder.absolute_url()}/++api++/@geojson"
    )


def test_wrong_filters_get_a_message_not_an_error_page(site):  # noqa: F811
    portal, app, _places = site
    url = portal.pl.mapa.absolute_url()
    browser = open_page(app, f"{url}?portal_type:list=Nonsense&b_start=x&q={'x' * 5000}")
    assert status_of(browser) == 200
    assert 'role="alert"' in browser.contents
    assert len(listed_titles(browser.contents)) == 5  # back to everything


def test_hostile_titles_are_text_in_the_list_and_the_map_data(site):  # noqa: F811
    portal, app, _places = site
    with api.env.adopt_roles(["Manager"]):
        place = api.content.create(
            container=portal.pl["mapa-test"],
            type="Place",
            id="zly",
            title='<img src=x onerror="alert(1)">',
            address="<script>alert(2)</script>",
            geolocation=point(*RATUSZ),
        )
        api.content.transition(place, "publish")
    transaction.commit()
    contents = open_page(app, portal.pl.mapa.absolute_url()).contents
    assert "<img src=x" not in contents
    assert "<script>alert(2)" not in contents
    assert "&lt;img src=x" in contents


def test_the_list_is_batched_the_map_gets_all(functional):
    portal, app = functional["portal"], functional["app"]
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(container=portal.pl, type="Folder", id="duzo", title="Dużo")
        for number in range(60):
            place = api.content.create(
                container=folder,
                type="Place",
                id=f"p{number:02d}",
                title=f"Punkt {number:02d}",
                geolocation=point(51.7 + number / 1000, 18.09),
            )
            api.content.transition(place, "publish")
        api.content.transition(folder, "publish")
        folder.setLayout("map")
    transaction.commit()
    first = open_page(app, folder.absolute_url())
    assert len(listed_titles(first.contents)) == 50
    assert re.search(r"On the map:\s*60|Na mapie:\s*60", first.contents)
    second = open_page(app, f"{folder.absolute_url()}?b_start:int=50")
    assert listed_titles(second.contents) == [f"Punkt {n}" for n in range(50, 60)]
    # an old link past the end gets the last page, not "nothing matches"
    past = open_page(app, f"{folder.absolute_url()}?b_start:int=500")
    assert listed_titles(past.contents) == [f"Punkt {n}" for n in range(50, 60)]
    config = map_config(first.contents)
    assert "limit" not in config["markers"]  # the map asks for every marker


@pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik", "redaktor"])
def test_only_administrators_change_the_map_settings(functional, login):
    browser = open_page(
        functional["app"], f"{functional['portal'].absolute_url()}/@@ratusz-map-settings", login
    )
    assert was_refused(browser)


def test_the_administrator_sets_the_tile_layers(functional):
    portal, app = functional["portal"], functional["app"]
    browser = open_page(app, f"{portal.absolute_url()}/@@ratusz-map-settings", "administrator")
    assert status_of(browser) == 200
    field = browser.getControl(name="form.widgets.tile_layers")
    field.value = (
        "Geoportal | wmts | https://mapy.geoportal.gov.pl/wss/service/PZGIK/ORTO/WMTS?"
        "TILEMATRIX=EPSG:3857:{z}&TILEROW={y}&TILECOL={x} | © GUGiK"
    )
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    layers = api.portal.get_registry_record("ratusz.gis.tile_layers")
    assert layers[0].startswith("Geoportal | wmts")


@pytest.mark.parametrize(
    "line, problem",
    [
        ("Tylko nazwa", "Wiersz 1"),
        ("Mapa | svg | https://x.example/{z}/{x}/{y}.png | ©", "xyz, wms"),
        ("Mapa | xyz | javascript:alert(1)//{z}{x}{y} | ©", "https://"),
        ("Mapa | xyz | https://x.example/tiles.png | ©", "{z}"),
        ("Mapa | wms | https://x.example/wms | ©", "WMS"),
        (
            "Geoportal | wmts | https://x.example/wmts?M={TileMatrixSet}&Z={z}&X={x}&Y={y} | ©",
            "{TileMatrixSet}",
        ),
        ("<b>Mapa</b> | xyz | https://x.example/{z}/{x}/{y}.png | ©", "niedozwolone"),
    ],
)
def test_a_wrong_tile_layer_is_refused_and_nothing_saved(functional, line, problem):
    portal, app = functional["portal"], functional["app"]
    before = api.portal.get_registry_record("ratusz.gis.tile_layers")
    browser = open_page(app, f"{portal.absolute_url()}/@@ratusz-map-settings", "administrator")
    browser.getControl(name="form.widgets.tile_layers").value = line
    browser.getControl(name="form.buttons.save").click()
    assert status_of(browser) == 200
    assert problem in html.unescape(browser.contents)
    transaction.begin()
    assert api.portal.get_registry_record("ratusz.gis.tile_layers") == before


def test_the_map_settings_through_rest_refuse_a_bad_line(functional):
    from tests.bip.security_helpers import rest

    portal, app = functional["portal"], functional["app"]
    url = f"{portal.absolute_url()}/++api++/@controlpanels/ratusz-map-settings"
    answer = rest(app, "GET", url, "administrator")
    assert answer.status_int == 200
    assert answer.json["data"]["tile_layers"][0].startswith("OpenStreetMap | xyz")
    bad = {"tile_layers": ["Mapa | xyz | javascript:alert(1)/{z}/{x}/{y} | ©"]}
    answer = rest(app, "PATCH", url, "administrator", bad)
    assert answer.status_int == 400
    assert "https://" in answer.text
    assert rest(app, "PATCH", url, "redaktor", {"zoom": 3}).status_int in (401, 403)
    good = {"zoom": 12}
    assert rest(app, "PATCH", url, "administrator", good).status_int == 204
    transaction.begin()
    assert api.portal.get_registry_record("ratusz.gis.zoom") == 12
    assert api.portal.get_registry_record("ratusz.gis.tile_layers")[0].startswith("OpenStreet")


def test_many_categories_are_cut_to_twenty(site):  # noqa: F811
    portal, app, _places = site
    many = "&".join(f"category=c{number}" for number in range(2000))
    browser = open_page(app, f"{portal.pl.mapa.absolute_url()}?{many}&category=library")
    assert status_of(browser) == 200
    config = map_config(browser.contents)
    assert len(parse_qs(urlsplit(config["markers"]).query)["category"]) == 20
