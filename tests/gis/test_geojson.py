"""``@geojson``: RFC 7946 output from catalog metadata, filters, permissions, ETag."""

import math
from datetime import datetime

import pytest
import transaction
from plone import api
from plone.formwidget.geolocation.geolocation import Geolocation

from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest

# Kalisz: the town hall, a library across the river, a school in the north-east.
RATUSZ = (51.7621, 18.0906)
LIBRARY = (51.7575, 18.0858)
SCHOOL = (51.7800, 18.1200)
FAR_AWAY = (52.2297, 21.0122)  # Warsaw


def point(latitude, longitude):
    return Geolocation(latitude=latitude, longitude=longitude)


@pytest.fixture
def site(functional):
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=portal.pl, type="Folder", id="mapa-test", title="Mapa"
        )
        api.content.transition(folder, "publish")
        places = {}
        for place_id, title, kind, where, publish in (
            ("ratusz", "Ratusz", "office", RATUSZ, True),
            ("biblioteka", "Biblioteka Miejska", "library", LIBRARY, True),
            ("szkola", "Szkoła Podstawowa nr 1", "school", SCHOOL, True),
            ("warszawa", "Punkt w Warszawie", "service_point", FAR_AWAY, True),
            ("szkic", "Punkt w przygotowaniu", "service_point", RATUSZ, False),
        ):
            place = api.content.create(
                container=folder,
                type="Place",
                id=place_id,
                title=title,
                description=f"Opis: {title}",
                place_kind=kind,
                opening_hours="Pn–Pt 7:30–15:30",
                geolocation=point(*where),
                address=f"ul. Główna 1, Kalisz ({place_id})",
            )
            if publish:
                api.content.transition(place, "publish")
            places[place_id] = place
        event = api.content.create(
            container=folder,
            type="Event",
            id="festyn",
            title="Festyn",
            geolocation=point(*RATUSZ),
            start=datetime(2026, 6, 1, 12, 0),
            end=datetime(2026, 6, 1, 20, 0),
            location="Rynek Główny",
        )
        api.content.transition(event, "publish")
        news = api.content.create(
            container=folder, type="News Item", id="bez-mapy", title="Bez mapy"
        )
        api.content.transition(news, "publish")
    transaction.commit()
    return portal, functional["app"], places


def api_url(portal, path="", query=""):
    return f"{portal.absolute_url()}/++api++{path}/@geojson{query}"


def get(app, url, login=None):
    return rest(app, "GET", url, login)


def titles(response):
    return sorted(f["properties"]["title"] for f in response.json["features"])


def assert_rfc7946(collection):
    """The members RFC 7946 requires of a FeatureCollection of Points, in WGS84."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # §4: no other reference system
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], str) and feature["id"]
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]  # §3.1.1: longitude first
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert all(isinstance(n, float) and math.isfinite(n) for n in (longitude, latitude))


def test_anonymous_gets_the_published_markers_as_geojson(site):
    portal, app, _places = site
    response = get(app, api_url(portal))
    assert response.status_int == 200
    assert response.headers["Content-Type"].startswith("application/geo+json")
    assert_rfc7946(response.json)
    assert titles(response) == [
        "Biblioteka Miejska",
        "Festyn",
        "Punkt w Warszawie",
        "Ratusz",
        "Szkoła Podstawowa nr 1",
    ]  # the draft is not there, nor the news item without a point
    ratusz = next(f for f in response.json["features"] if f["properties"]["title"] == "Ratusz")
    assert ratusz["geometry"]["coordinates"] == [RATUSZ[1], RATUSZ[0]]
    properties = ratusz["properties"]
    assert properties["url"].endswith("/pl/mapa-test/ratusz")
    # in the site's language (Polish here)
    assert properties["type"] == "Place" and properties["type_title"] == "Miejsca"
    assert properties["review_state"] == "published"
    assert properties["address"] == "ul. Główna 1, Kalisz (ratusz)"
    assert properties["category"] == "office" and properties["category_title"] == "Urząd"
    assert properties["opening_hours"] == "Pn–Pt 7:30–15:30"
    assert properties["description"] == "Opis: Ratusz"
    festyn = next(f for f in response.json["features"] if f["properties"]["title"] == "Festyn")
    assert festyn["properties"]["type_title"] == "Wydarzenia"
    assert festyn["properties"]["start"].startswith("2026-06-01T12:00")
    assert festyn["properties"]["location"] == "Rynek Główny"


def test_the_place_page_shows_the_address_and_opening_hours_as_text(site):
    portal, app, places = site
    browser = browser_for(app, handle_errors=False)
    browser.open(places["ratusz"].absolute_url())
    page = (
        browser.contents.decode("utf-8")
        if isinstance(browser.contents, bytes)
        else browser.contents
    )
    assert browser.headers["status"].startswith("200")
    assert "ul. Główna 1, Kalisz (ratusz)" in page
    assert "Pn–Pt 7:30–15:30" in page


def test_staff_see_the_draft_too(site):
    portal, app, _places = site
    assert "Punkt w przygotowaniu" in titles(get(app, api_url(portal), "redaktor"))
    assert "Punkt w przygotowaniu" not in titles(get(app, api_url(portal), "mieszkaniec"))


def test_bbox_keeps_what_is_inside(site):
    portal, app, _places = site
    response = get(app, api_url(portal, query="?bbox=18.08,51.75,18.10,51.77"))
    assert titles(response) == ["Biblioteka Miejska", "Festyn", "Ratusz"]
    across = get(app, api_url(portal, query="?bbox=170,-10,-170,10"))  # the antimeridian
    assert across.status_int == 200 and titles(across) == []


@pytest.mark.parametrize(
    "bbox",
    ["18,51", "a,b,c,d", "18,51,18.1,51.8,1", "18,95,19,96", "18,52,19,51", "200,51,201,52", ""],
)
def test_a_wrong_bbox_is_refused_naming_it(site, bbox):
    portal, app, _places = site
    response = get(app, api_url(portal, query=f"?bbox={bbox}"))
    if bbox == "":  # no box: everything
        assert response.status_int == 200
        return
    assert response.status_int == 400
    error = response.json["error"]
    assert error["field"] == "bbox"
    assert "minLon" in error["message"] or "poza mapę" in error["message"]  # Polish


def test_types_text_and_category_filter(site):
    portal, app, _places = site
    assert titles(get(app, api_url(portal, query="?portal_type=Event"))) == ["Festyn"]
    assert titles(get(app, api_url(portal, query="?q=Biblioteka"))) == ["Biblioteka Miejska"]
    assert titles(get(app, api_url(portal, query='?q=szko%C5%82a"%20OR%20('))) == [
        "Szkoła Podstawowa nr 1"
    ]
    assert titles(get(app, api_url(portal, query="?category=library&category=school"))) == [
        "Biblioteka Miejska",
        "Szkoła Podstawowa nr 1",
    ]
    unknown = get(app, api_url(portal, query="?portal_type=Document,Nic"))
    assert unknown.status_int == 400
    assert unknown.json["error"]["field"] == "portal_type"
    assert "Document, Nic" in unknown.json["error"]["message"]


def test_a_folder_answers_for_what_is_under_it(site):
    portal, app, _places = site
    assert len(get(app, api_url(portal, "/pl/mapa-test")).json["features"]) == 5
    assert get(app, api_url(portal, "/en")).json["features"] == []


def test_a_collection_keeps_its_criteria(site):
    portal, app, _places = site
    with api.env.adopt_roles(["Manager"]):
        collection = api.content.create(
            container=portal.pl,
            type="Collection",
            id="biblioteki",
            title="Biblioteki",
            query=[
                {
                    "i": "portal_type",
                    "o": "plone.app.querystring.operation.selection.any",
                    "v": ["Place"],
                },
                {
                    "i": "SearchableText",
                    "o": "plone.app.querystring.operation.string.contains",
                    "v": "Biblioteka",
                },
            ],
        )
        api.content.transition(collection, "publish")
    transaction.commit()
    url = api_url(portal, "/pl/biblioteki")
    assert titles(get(app, url)) == ["Biblioteka Miejska"]
    # the filters narrow the collection, never widen it
    assert titles(get(app, url + "?portal_type=Event")) == []
    assert titles(get(app, url + "?q=Ratusz")) == []
    assert titles(get(app, url + "?q=Miejska")) == ["Biblioteka Miejska"]


def test_a_map_loaded_again_gets_304_until_something_changes(site):
    portal, app, places = site
    caller = browser_for(app).testapp
    first = caller.get(api_url(portal), headers={"Accept": "application/json"})
    etag = first.headers["ETag"]
    again = caller.get(api_url(portal), headers={"If-None-Match": etag}, status=304)
    assert again.body == b""
    other_user = get(app, api_url(portal), "redaktor")
    assert other_user.headers["ETag"] != etag
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(places["szkic"], "publish")
    transaction.commit()
    changed = caller.get(api_url(portal), headers={"If-None-Match": etag})
    assert changed.status_int == 200 and changed.headers["ETag"] != etag
    assert "Punkt w przygotowaniu" in titles(changed)


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1.5"])
def test_a_wrong_limit_is_refused(site, limit):
    portal, app, _places = site
    response = get(app, api_url(portal, query=f"?limit={limit}"))
    assert response.status_int == 400 and response.json["error"]["field"] == "limit"


def test_limit_caps_the_features(site):
    portal, app, _places = site
    assert len(get(app, api_url(portal, query="?limit=2")).json["features"]) == 2
