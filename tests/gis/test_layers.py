"""Map layers: uploads checked (forms and REST alike), served to who may view them, drawn
over the maps, and the districts layer answering which district holds a point."""

import ast
import gc
import json
import math
import time
import tracemalloc
from email.utils import formatdate
from io import BytesIO

import pytest
import transaction
from plone import api
from zope.i18n import translate
from zope.interface import alsoProvides
from ZPublisher.Iterators import IStreamIterator

from ratusz.gis import layerdata
from ratusz.gis.layer_deserializers import LayerFileDeserializer
from ratusz.gis.layerdata import LayerFileError
from ratusz.gis.layerdata import LayerShapes
from ratusz.gis.layerdata import check_layer_data
from ratusz.gis.layers import IMapLayer
from ratusz.gis.layers import district_at
from ratusz.gis.layers import overlays_for
from ratusz.interfaces import IRatuszLayer
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
    # past a double's range (math.isfinite overflowed: a 500)
    (
        "an integer of 309 digits",
        b'{"type": "Point", "coordinates": [' + b"9" * 309 + b", 51]}",
        ["999999", "309", "too large"],
    ),
    # past Python's 4300-digit limit of int() (it was reported as NaN)
    (
        "an integer of 5000 digits",
        b'{"type": "Point", "coordinates": [18, -' + b"1" * 5000 + b"]}",
        ["-111111", "5000", "too large"],
    ),
    ("a float past a double", b'{"type": "Point", "coordinates": [1e400, 51]}', ["1e400"]),
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


def many_areas(count, vertices=40):
    """``count`` round areas of ``vertices`` points each, side by side."""
    features = []
    for number in range(count):
        x, y = 14 + (number % 40) * 0.2, 49 + (number // 40) * 0.2
        ring = [
            [
                round(x + 0.09 * math.cos(2 * math.pi * k / vertices), 6),
                round(y + 0.09 * math.sin(2 * math.pi * k / vertices), 6),
            ]
            for k in range(vertices)
        ]
        geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
        features.append(
            {"type": "Feature", "properties": {"nazwa": f"Obszar {number}"}, "geometry": geometry}
        )
    return {"type": "FeatureCollection", "features": features}


def test_parsed_areas_keep_their_geometry_as_text_not_as_parsed_json():
    data = geojson_bytes(many_areas(300))
    gc.collect()
    tracemalloc.start()
    try:
        shapes = LayerShapes(check_layer_data(data))
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(shapes) == 300
    # the parsed dicts and lists of floats took about seven times the file
    assert kept < 2 * len(data), (kept, len(data))
    first = many_areas(1)["features"][0]["geometry"]
    assert json.loads(shapes.geometry_texts[0]) == first  # the uploaded coordinates


def test_one_version_per_layer_is_kept_within_the_memory_budget(monkeypatch):
    layerdata.forget_shapes()
    features = check_layer_data(geojson_bytes())

    def not_again():
        raise AssertionError("parsed again")

    first = layerdata.shapes_of("uid-a", "1", lambda: features)
    assert layerdata.shapes_of("uid-a", "1", not_again) is first
    layerdata.shapes_of("uid-a", "2", lambda: features)  # edited: replaces version 1
    assert layerdata.cached_layers() == {"uid-a": ("2", None)}
    # a budget with room for two such layers: the least recently used goes
    monkeypatch.setattr(layerdata, "CACHE_BYTES", first.weight * 2 + 1)
    layerdata.shapes_of("uid-b", "1", lambda: features)
    layerdata.shapes_of("uid-c", "1", lambda: features)
    assert list(layerdata.cached_layers()) == ["uid-b", "uid-c"]
    # a layer over the whole budget is still kept while it is the one in use
    monkeypatch.setattr(layerdata, "CACHE_BYTES", 1)
    layerdata.shapes_of("uid-d", "1", lambda: features)
    assert list(layerdata.cached_layers()) == ["uid-d"]
    layerdata.forget_shapes()


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
            # the tooltip reads the names where the server does (feature_name)
            "name_properties": [
                "name",
                "nazwa",
                "NAZWA",
                "Name",
                "NAME",
                "JPT_NAZWA_",
                "title",
                "Title",
            ],
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


def test_the_geojson_answers_conditional_requests_as_http_says(site):
    portal, app = site
    layer = create_layer(portal)
    transaction.commit()
    url = f"{layer.absolute_url()}/@@layer.geojson"
    first = browser_for(app)
    first.open(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    def status(**headers):
        browser = browser_for(app)
        for name, value in headers.items():
            browser.addHeader(name.replace("_", "-"), value)
        browser.open(url)
        return status_of(browser)

    assert status(If_None_Match=etag) == 304
    assert status(If_None_Match=f"W/{etag}") == 304  # weak comparison (RFC 9110 §13.1.2)
    assert status(If_None_Match=f'"inna", {etag}') == 304
    assert status(If_None_Match="*") == 304
    assert status(If_None_Match='"inna"') == 200
    assert status(If_Modified_Since=modified) == 304
    assert status(If_Modified_Since="Mon, 01 Jan 2001 00:00:00 GMT") == 200
    # a date in the future is invalid and ignored (RFC 9110 §13.1.3), as is one not a date
    assert status(If_Modified_Since=formatdate(time.time() + 86400 * 365, usegmt=True)) == 200
    assert status(If_Modified_Since="wczoraj") == 200
    # If-None-Match decides when both are sent
    assert status(If_None_Match='"inna"', If_Modified_Since=modified) == 200


def test_the_geojson_is_streamed_from_the_blob(site, functional):
    portal, _app = site
    layer = create_layer(portal)
    transaction.commit()
    request = functional["request"]
    body = api.content.get_view("layer.geojson", layer, request)()
    try:
        assert IStreamIterator.providedBy(body)  # not the whole file read into memory
        assert b"".join(body) == geojson_bytes()
    finally:
        body.close()
    assert request.response.getHeader("Content-Length") == str(len(geojson_bytes()))


def test_a_layer_not_shown_on_the_maps_is_not_an_overlay(site):
    portal, _app = site
    create_layer(portal, show_on_maps=False)
    create_layer(portal, "osiedla", title="Osiedla")
    transaction.commit()
    assert [entry["title"] for entry in overlays_for(portal.pl)] == ["Osiedla"]


# Through REST: every case but the slowest to build in shapely's terms (checked above).
REST_CASES = [
    case
    for case in BAD_FILES
    if case[0] not in ("an unclosed ring", "coordinates not in GeoJSON's form", "nested too deeply")
]


@pytest.mark.parametrize("what, data, words", REST_CASES, ids=[case[0] for case in REST_CASES])
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


def test_rest_refuses_oversized_text_by_its_length_before_decoding(site):
    portal, app = site
    api.portal.set_registry_record("ratusz.gis.layers.max_file_mb", 1)
    transaction.commit()
    body = layer_body(geojson_bytes())
    body["file"] = dict(body["file"], data="!" * 1_500_000)  # not base64: only its length says
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", body)
    assert response.status_int == 400, response.text
    message = ast.literal_eval(response.json["message"])[0]["message"]
    assert "1.1 MB" in message
    assert no_layers()


def test_an_oversized_rest_file_is_refused_before_it_is_decoded(site, functional):
    portal, _app = site
    api.portal.set_registry_record("ratusz.gis.layers.max_file_mb", 1)
    layer = create_layer(portal)
    request = functional["request"]
    alsoProvides(request, IRatuszLayer)
    deserializer = LayerFileDeserializer(IMapLayer["file"].bind(layer), layer, request)
    # 1.5 MB of text that is not even base64 (decoded, it would be nothing): its length
    # alone refuses it
    with pytest.raises(LayerFileError) as raised:
        deserializer(file_body(b"") | {"data": "!" * 1_500_000})
    assert "1.1 MB" in english(raised.value) and "at most 1 MB" in english(raised.value)
    # within the limit: decoded and checked as before
    assert deserializer(file_body(geojson_bytes())).data == geojson_bytes()
    with pytest.raises(LayerFileError):
        deserializer(file_body(json.dumps(PROJECTED).encode()))


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


def test_the_add_form_explains_a_number_too_large_and_creates_nothing(site):
    _portal, app = site
    browser = add_form(app, b'{"type": "Point", "coordinates": [' + b"7" * 5000 + b", 51]}")
    assert status_of(browser) == 200  # not a 500
    assert "++add++MapLayer" in browser.url
    assert "5000" in browser.contents and "777777" in browser.contents
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
    create_layer(portal, "osiedla", title="Osiedla")  # published, not marked: not used
    transaction.commit()
    assert district_at(51.72, 18.02) is None
    layer = create_layer(portal, districts=True)
    transaction.commit()
    parsed = []
    real = layerdata.LayerShapes.__init__

    def counting(self, *args, **kwargs):
        parsed.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(layerdata.LayerShapes, "__init__", counting)
    with api.env.adopt_user(username="mieszkaniec"):
        for _id, latitude, longitude, district in POINTS:
            assert district_at(latitude, longitude) == district
    assert district_at("x", 18) is None
    assert district_at(float("nan"), 18) is None
    assert len(parsed) == 1  # parsed once, not per call

    # edited: the new file is read, and the new version replaces the old one in memory
    document = json.loads(json.dumps(DISTRICTS))
    document["features"][0]["properties"]["nazwa"] = "Centrum"
    with api.env.adopt_roles(["Manager"]):
        layer.file = layer_file(geojson_bytes(document))
        layer.reindexObject()  # stamps the modification time
    transaction.commit()
    assert district_at(51.72, 18.02) == "Centrum"
    assert len(parsed) == 2
    assert list(layerdata.cached_layers()) == [layer.UID()]


def test_a_private_or_draft_districts_layer_decides_no_district(site):
    portal, _app = site
    published = create_layer(portal, districts=True)
    transaction.commit()
    assert district_at(51.72, 18.02) == "Śródmieście"
    # an editor's newer draft, marked too, with other names: public reports ignore it
    document = json.loads(json.dumps(DISTRICTS))
    document["features"][0]["properties"]["nazwa"] = "Projekt"
    draft = create_layer(
        portal,
        "projekt",
        state="private",
        districts=True,
        file=layer_file(geojson_bytes(document)),
    )
    transaction.commit()
    assert draft.modified() > published.modified()
    assert district_at(51.72, 18.02) == "Śródmieście"
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(published, "retract")
    transaction.commit()
    assert district_at(51.72, 18.02) is None  # no published districts layer left
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(draft, "publish")
    transaction.commit()
    assert district_at(51.72, 18.02) == "Projekt"


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
