"""The location behavior: points checked on the way in, catalogued for the maps."""

import pytest
import transaction
from plone import api
from plone.formwidget.geolocation.geolocation import Geolocation

from ratusz.gis.location import ILocation
from ratusz.gis.location import OutOfRange
from ratusz.gis.location import is_on_the_map
from ratusz.gis.location import point_of
from tests.bip.security_helpers import rest


@pytest.mark.parametrize(
    "latitude, longitude, ok",
    [
        (51.76, 18.09, True),
        (90, 180, True),
        (-90, -180, True),
        (90.01, 18, False),
        (51, -180.5, False),
        (None, None, True),
    ],
)
def test_a_point_must_be_on_the_map(latitude, longitude, ok):
    value = Geolocation(latitude, longitude)
    if ok:
        assert is_on_the_map(value)
        ILocation["geolocation"].validate(value)
    else:
        with pytest.raises(OutOfRange):
            ILocation["geolocation"].validate(value)


def test_point_of_reads_a_value():
    assert point_of(Geolocation(51.5, 18.25)) == (51.5, 18.25)
    assert point_of(Geolocation("x", 18)) is None
    assert point_of(None) is None


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def place_body(**fields):
    return {
        "@type": "Place",
        "title": "Punkt obsługi",
        "place_kind": "service_point",
        "address": "ul. Główna 1, Kalisz",
        "geolocation": {"latitude": 51.76, "longitude": 18.09},
        **fields,
    }


def test_an_editor_adds_a_place_and_it_is_catalogued_for_the_maps(site):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", place_body())
    assert response.status_int == 201, response.text
    transaction.begin()
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="Place", Title="Punkt obsługi"
    )[0]
    assert (brain.geo_latitude, brain.geo_longitude) == (51.76, 18.09)
    assert brain.geo_address == "ul. Główna 1, Kalisz"
    assert brain.geo_properties == {"category": "service_point"}
    place = brain._unrestrictedGetObject()
    assert response.json["geolocation"] == {"latitude": 51.76, "longitude": 18.09}

    # moved: the catalog follows
    moved = rest(
        app,
        "PATCH",
        place.absolute_url(),
        "redaktor",
        {"geolocation": {"latitude": 51.0, "longitude": 18.5}},
    )
    assert moved.status_int == 204, moved.text
    transaction.begin()
    found = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=place.UID())
    assert (found[0].geo_latitude, found[0].geo_longitude) == (51.0, 18.5)


@pytest.mark.parametrize(
    "geolocation, says",
    [
        ({"latitude": 95, "longitude": 18}, "poza mapą"),
        ({"latitude": 51, "longitude": -181}, "poza mapą"),
        ({"latitude": "pięćdziesiąt", "longitude": 18}, "muszą być liczbami"),
        ({"latitude": "NaN", "longitude": 18}, "muszą być liczbami"),
        ({"latitude": 51}, "muszą być liczbami"),
        ({"lat": 51, "lng": 18}, "Podaj położenie"),
        ("51.7,18.0", "Podaj położenie"),
    ],
)
def test_a_wrong_point_is_refused_and_nothing_is_made(site, geolocation, says):
    # the message in the site's language (Polish)
    portal, app = site
    response = rest(
        app, "POST", f"{portal.absolute_url()}/pl", "redaktor", place_body(geolocation=geolocation)
    )
    assert response.status_int == 400, response.text
    assert says in response.json["message"]  # plone.restapi lists the field errors there
    transaction.begin()
    assert not api.portal.get_tool("portal_catalog").unrestrictedSearchResults(portal_type="Place")


def test_markup_in_the_address_is_refused(site):
    portal, app = site
    body = place_body(address='<script>alert("x")</script>')
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", body)
    assert response.status_int == 400


def test_a_place_without_a_point_is_not_on_the_maps(site):
    portal, app = site
    response = rest(
        app, "POST", f"{portal.absolute_url()}/pl", "redaktor", place_body(geolocation=None)
    )
    assert response.status_int == 201, response.text
    transaction.begin()
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog.unrestrictedSearchResults(portal_type="Place")
    assert not catalog.unrestrictedSearchResults(
        portal_type="Place", geo_latitude={"query": (-90, 90), "range": "min:max"}
    )


@pytest.mark.parametrize(
    "login, allowed",
    [
        (None, False),
        ("mieszkaniec", False),
        ("urzednik", False),
        ("redaktor", True),
        ("administrator", True),
    ],
)
def test_who_may_add_a_place(site, login, allowed):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", login, place_body())
    assert (response.status_int == 201) is allowed, (login, response.status_int)
