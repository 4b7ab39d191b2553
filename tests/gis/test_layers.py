"""Map layers: uploads checked (forms and REST alike), served to who may view them, drawn
over the maps, and the districts layer answering which district holds a point."""

import ast
import json
from io import BytesIO

import pytest
import transaction
from plone import api
from zope.i18n import translate

from ratusz.gis import layerdata
from ratusz.gis.layerdata import LayerFileError
from ratusz.gis.layerdata import LayerShapes
from ratusz.gis.layerdata import check_layer_data
from ratusz.gis.layers import district_at
from ratusz.gis.layers import overlays_for
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused
from tests.gis.layer_helpers import DISTRICTS
from tests.gis.layer_helpers import POINTS
from tests.gis.layer_helpers import create_layer
from tests.gis.layer_helpers import file_body
from tests.gis.layer_helpers import geojson_bytes
from tests.gis.layer_helpers import layer_file

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
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[18, 51], [18.1, 51.1], [18.1, 51], [18, 51.1], [18, 51]]],
}


def feature_collection(*geometries):
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }


def point(longitude, latitude):
    return {"type": "Point", "coordinates": [longitude, latitude]}


BAD_FILES = [
    # (what, data, words of the message)
    ("empty", b"  \n", ["empty"]),
    ("not UTF-8", "Śródmieście".encode("cp1250"), ["UTF-8"]),
    ("not JSON", b'{"type": "FeatureCollection", "features": [', ["JSON", "line 1"]),
    ("NaN", b'{"type": "Point", "coordinates": [NaN, 51]}', ["NaN"]),
    ("a JSON list", b"[1, 2]", ["GeoJSON"]),
    ("an unknown type", b'{"type": "Circle"}', ["Circle"]),
    ("no features list", b'{"type": "FeatureCollection"}', ["features"]),
    ("no features", b'{"type": "FeatureCollection", "features": []}', ["no features"]),
    (
        "a feature that is not one",
        json.dumps(feature_collection(point(18, 51)) | {"features": [{"type": "Point"}]}).encode(),
        ["Feature 1"],
    ),
    (
        "projected (PUWG 1992)",
        json.dumps(PROJECTED).encode(),
        ["Feature 1", "500000", "EPSG:2180", "EPSG:4326"],
    ),
    (
        "latitude out of range",
        json.dumps(feature_collection(point(18, 51), point(18, 51), point(18.1, 95))).encode(),
        ["Feature 3", "95", "-90"],
    ),
    (
        "a crs other than WGS84",
        json.dumps(
            DISTRICTS
            | {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}}}
        ).encode(),
        ["EPSG::2180", "WGS84"],
    ),
    (
        "a self-intersecting polygon",
        json.dumps(feature_collection(point(18, 51), BOWTIE)).encode(),
        ["Feature 2", "Self-intersection"],
    ),
    (
        "an unclosed ring",
        json.dumps(
            feature_collection(
                {
                    "type": "Polygon",
                    "coordinates": [[[18, 51], [18.1, 51], [18.1, 51.1], [18, 51.2]]],
                }
            )
        ).encode(),
        ["Feature 1", "Polygon"],
    ),
    (
        "coordinates not in GeoJSON's form",
        json.dumps(feature_collection({"type": "LineString", "coordinates": [18, 51]})).encode(),
        ["Feature 1", "LineString"],
    ),
    ("nested too deeply", b"[" * 100_000, ["nested"]),
]


def english(error):
    return translate(error.doc(), target_language="en")


@pytest.mark.parametrize("what, data, words", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_is_refused_with_a_message_naming_the_problem(what, data, words):
    with pytest.raises(LayerFileError) as raised:
        check_layer_data(data)
    message = english(raised.value)
    for word in words:
        assert word in message, (what, message)


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    data = geojson_bytes()
    with pytest.raises(LayerFileError) as raised:
        check_layer_data(data, max_bytes=len(data) - 1)
    assert "MB" in english(raised.value)


@pytest.mark.parametrize(
    "document",
    [
        DISTRICTS,
        DISTRICTS["features"][0],
        DISTRICTS["features"][0]["geometry"],
        DISTRICTS
        | {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}},
        feature_collection(None, point(18, 51)),
    ],
    ids=["collection", "feature", "geometry", "crs84", "null geometry"],
)
def test_good_geojson_is_accepted(document):
    assert check_layer_data(geojson_bytes(document))
    assert check_layer_data(b"\xef\xbb\xbf" + geojson_bytes(document))  # with a BOM


def test_areas_know_their_holes_and_parts():
    shapes = LayerShapes(check_layer_data(geojson_bytes()))
    assert shapes.names == ["Śródmieście", "Majków", "Rypinek"]  # the river is not an area
    for _id, latitude, longitude, district in POINTS:
        index = shapes.area_at(longitude, latitude)
        assert (shapes.names[index] if index is not None else None) == district
    counts, outside = shapes.count([p[2] for p in POINTS], [p[1] for p in POINTS])
    assert counts == [2, 1, 0]
    assert outside == 2


@pytest.fixture
def site(functional):
    layerdata.forget_shapes()
    return functional["portal"], functional["app"]


def layer_body(data=None, **fields):
    return {
        "@type": "MapLayer",
        "title": "Dzielnice",
        "file": file_body(geojson_bytes() if data is None else data),
        **fields,
    }


def no_layers():
    transaction.begin()
    return not api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="MapLayer"
    )


def test_an_editor_uploads_a_layer_and_the_maps_draw_it(site):
    portal, app = site
    body = layer_body(line_colour="#8b1a1a", fill_colour="#f4cccc", fill_opacity=0.35)
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", body)
    assert response.status_int == 201, response.text
    url = response.json["@id"]
    transaction.begin()
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(portal_type="MapLayer")[
        0
    ]
    assert brain.geo_properties["style"] == {
        "color": "#8b1a1a",
        "weight": 2,
        "fillColor": "#f4cccc",
        "fillOpacity": 0.35,
    }
    # the editor sees the draft on the maps; anonymous visitors do not
    layer = brain._unrestrictedGetObject()
    with api.env.adopt_user(username="redaktor"):
        overlays = overlays_for(portal.pl)
    assert overlays == [
        {
            "title": "Dzielnice",
            "url": f"{url}/@@layer.geojson",
            "style": brain.geo_properties["style"],
            "choropleth": None,
        }
    ]
    with api.env.adopt_user(username="mieszkaniec"):
        assert overlays_for(portal.pl) == []
    anonymous = browser_for(app)
    anonymous.open(f"{url}/@@layer.geojson")
    assert was_refused(anonymous)

    with api.env.adopt_roles(["Manager"]):
        api.content.transition(layer, "publish")
    transaction.commit()
    anonymous.open(f"{url}/@@layer.geojson")
    assert status_of(anonymous) == 200
    assert anonymous.headers["Content-Type"] == "application/geo+json; charset=utf-8"
    assert json.loads(anonymous.contents) == DISTRICTS
    etag = anonymous.headers["ETag"]
    assert anonymous.headers["Last-Modified"].endswith("GMT")
    # asked again with the tag: 304, no body
    again = browser_for(app)
    again.addHeader("If-None-Match", etag)
    again.open(f"{url}/@@layer.geojson")
    assert status_of(again) == 304
    assert again.contents in ("", b"")
    with api.env.adopt_user(username="mieszkaniec"):
        assert [entry["title"] for entry in overlays_for(portal.pl)] == ["Dzielnice"]


def test_a_layer_not_shown_on_the_maps_is_not_an_overlay(site):
    portal, _app = site
    create_layer(portal, show_on_maps=False)
    create_layer(portal, "osiedla", title="Osiedla")
    transaction.commit()
    assert [entry["title"] for entry in overlays_for(portal.pl)] == ["Osiedla"]


@pytest.mark.parametrize(
    "what, data, words", BAD_FILES[:13], ids=[case[0] for case in BAD_FILES[:13]]
)
def test_rest_refuses_a_bad_file_and_creates_nothing(site, what, data, words):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", layer_body(data))
    assert response.status_int == 400, (what, response.text)
    errors = ast.literal_eval(response.json["message"])  # plone.restapi: the list's repr
    assert [error["field"] for error in errors] == ["file"]
    # the site answers in Polish once the translations are merged: words kept verbatim
    stable = [word for word in words if word[0].isdigit() or ":" in word or word.isupper()]
    for word in stable:
        assert word in errors[0]["message"], (what, errors)
    assert no_layers()


def test_rest_refuses_a_huge_file_with_the_limit_and_creates_nothing(site):
    portal, app = site
    api.portal.set_registry_record("ratusz.gis.layers.max_file_mb", 1)
    transaction.commit()
    padding = {"type": "FeatureCollection", "features": DISTRICTS["features"], "x": "." * 1_200_000}
    response = rest(
        app, "POST", f"{portal.absolute_url()}/pl", "redaktor", layer_body(geojson_bytes(padding))
    )
    assert response.status_int == 400, response.text
    message = ast.literal_eval(response.json["message"])[0]["message"]
    assert "1.1 MB" in message and "1 MB" in message
    assert no_layers()


@pytest.mark.parametrize(
    "fields",
    [
        {"line_colour": "red"},
        {"fill_colour": "#12345"},
        {"fill_colour": "#123456;background:url(x)"},
        {"fill_opacity": 1.5},
        {"line_width": 0},
        {"name_property": "<b>nazwa</b>"},
    ],
)
def test_rest_refuses_a_bad_style(site, fields):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", layer_body(**fields))
    assert response.status_int == 400, response.text
    assert no_layers()


@pytest.mark.parametrize(
    "login, allowed",
    [
        (None, False),
        ("mieszkaniec", False),
        ("urzednik", False),
        ("kierownik", False),
        ("redaktor", True),
        ("administrator", True),
    ],
)
def test_who_may_add_a_map_layer(site, login, allowed):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", login, layer_body())
    assert (response.status_int == 201) is allowed, (login, response.status_int)


def add_form(app, data, filename="dzielnice.geojson"):
    browser = browser_for(app, "redaktor")
    browser.open(f"{app.plone.absolute_url()}/pl/++add++MapLayer")
    browser.getControl(name="form.widgets.IBasic.title").value = "Dzielnice"
    browser.getControl(name="form.widgets.file").add_file(
        BytesIO(data), "application/geo+json", filename
    )
    browser.getControl(name="form.buttons.save").click()
    return browser


def test_the_add_form_shows_the_problem_and_creates_nothing(site):
    _portal, app = site
    browser = add_form(app, json.dumps(PROJECTED).encode())
    assert status_of(browser) == 200
    assert "++add++MapLayer" in browser.url
    assert "EPSG:2180" in browser.contents
    assert "500000" in browser.contents
    assert no_layers()


def test_the_add_form_takes_a_good_file_and_the_page_lists_the_areas(site):
    _portal, app = site
    browser = add_form(app, geojson_bytes())
    assert "/pl/dzielnice" in browser.url, browser.url
    for name in ("Śródmieście", "Majków", "Rypinek"):
        assert name in browser.contents
    assert "@@map-statistics" in browser.contents
    assert 'class="ratusz-map"' in browser.contents
    transaction.begin()
    assert not no_layers()


def test_the_districts_layer_names_the_district_of_a_point(site, monkeypatch):
    portal, _app = site
    assert district_at(51.72, 18.02) is None  # no districts layer yet
    create_layer(portal, "osiedla", title="Osiedla")  # not marked: not used
    transaction.commit()
    assert district_at(51.72, 18.02) is None
    layer = create_layer(portal, state="private", districts=True)  # private: still used
    transaction.commit()
    parsed = []
    real = layerdata.LayerShapes.__init__

    def counting(self, *args, **kwargs):
        parsed.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(layerdata.LayerShapes, "__init__", counting)
    with api.env.adopt_user(username="mieszkaniec"):  # who may not see the layer
        for _id, latitude, longitude, district in POINTS:
            assert district_at(latitude, longitude) == district
    assert district_at("x", 18) is None
    assert district_at(float("nan"), 18) is None
    assert len(parsed) == 1  # parsed once, not per call

    # edited: the new file is read
    document = json.loads(json.dumps(DISTRICTS))
    document["features"][0]["properties"]["nazwa"] = "Centrum"
    with api.env.adopt_roles(["Manager"]):
        layer.file = layer_file(geojson_bytes(document))
        layer.reindexObject()  # stamps the modification time
    transaction.commit()
    assert district_at(51.72, 18.02) == "Centrum"
    assert len(parsed) == 2


def test_a_name_property_chooses_the_names(site):
    portal, _app = site
    document = json.loads(json.dumps(DISTRICTS))
    for number, feature in enumerate(document["features"], start=1):
        feature["properties"]["kod"] = f"D{number}"
    create_layer(
        portal, districts=True, name_property="kod", file=layer_file(geojson_bytes(document))
    )
    transaction.commit()
    assert district_at(51.72, 18.02) == "D1"


def test_the_edit_form_keeps_the_file_and_checks_the_style(site):
    portal, app = site
    layer = create_layer(portal)
    transaction.commit()
    browser = browser_for(app, "redaktor")
    browser.open(f"{layer.absolute_url()}/edit")
    browser.getControl(name="form.widgets.fill_colour").value = "zielony"
    browser.getControl(name="form.buttons.save").click()
    assert browser.url.endswith("edit"), browser.url  # refused, shown again
    transaction.begin()
    assert portal.pl["dzielnice"].fill_colour == "#9fc5e8"
    browser.getControl(name="form.widgets.fill_colour").value = "#38761d"
    browser.getControl(name="form.buttons.save").click()
    assert not browser.url.endswith("edit"), browser.url
    transaction.begin()
    assert portal.pl["dzielnice"].fill_colour == "#38761d"
    assert portal.pl["dzielnice"].file.data == geojson_bytes()  # kept


def test_a_districts_layer_that_cannot_be_read_names_no_district(site):
    portal, _app = site
    create_layer(portal, districts=True, file=layer_file(b"{"))  # bypassing the form's check
    transaction.commit()
    assert district_at(51.72, 18.02) is None


def test_the_profile_installs_the_types_and_the_limit(integration):
    types = api.portal.get_tool("portal_types")
    assert types["MapLayer"].klass == "plone.dexterity.content.Item"
    assert types["Investment"].allowed_content_types == ("Image",)
    assert api.portal.get_registry_record("ratusz.gis.layers.max_file_mb") == 5


def test_uninstalling_removes_the_types_and_the_limit(integration, installer):
    installer.uninstall_product("ratusz")
    types = api.portal.get_tool("portal_types")
    assert "MapLayer" not in types.objectIds()
    assert "Investment" not in types.objectIds()
    assert "ratusz.gis.layers.max_file_mb" not in api.portal.get_tool("portal_registry").records


def test_names_with_markup_are_shown_as_text(site):
    portal, app = site
    document = json.loads(json.dumps(DISTRICTS))
    document["features"][0]["properties"]["nazwa"] = '<img src=x onerror="alert(1)">'
    layer = create_layer(portal, file=layer_file(geojson_bytes(document)))
    transaction.commit()
    browser = browser_for(app)
    browser.open(layer.absolute_url())
    assert '<img src=x onerror="alert(1)">' not in browser.contents
    assert '<li>&lt;img src=x onerror="alert(1)"&gt;</li>' in browser.contents


def test_a_bad_replacement_file_keeps_the_old_one(site):
    portal, app = site
    layer = create_layer(portal)
    transaction.commit()
    body = {"file": file_body(json.dumps(PROJECTED).encode())}
    response = rest(app, "PATCH", layer.absolute_url(), "redaktor", body)
    assert response.status_int == 400, response.text
    assert "EPSG:2180" in response.text
    transaction.begin()
    assert portal.pl["dzielnice"].file.data == geojson_bytes()
