"""Spatial statistics: investments counted per district (holes, multipolygons, points
outside), only what the visitor may see, as a table, CSV, JSON and a choropleth."""

import csv
import io
import json
import re

import pytest
import transaction
from plone import api

from ratusz.gis import layerdata
from ratusz.gis.geojson import GeoQueryError
from ratusz.gis.statistics import choropleth_classes
from ratusz.gis.statistics import guard_cell
from ratusz.gis.statistics import layer_statistics
from ratusz.gis.statistics import statistics_types
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused
from tests.gis.layer_helpers import DISTRICTS
from tests.gis.layer_helpers import create_investment
from tests.gis.layer_helpers import create_investments
from tests.gis.layer_helpers import create_layer
from tests.gis.layer_helpers import geojson_bytes
from tests.gis.layer_helpers import layer_file


def test_classes_start_with_none_and_end_with_the_largest():
    assert [(c["min"], c["max"]) for c in choropleth_classes([0, 3, 10])] == [
        (0, 0),
        (1, 3),
        (4, 5),
        (6, 8),
        (9, 10),
    ]
    assert [c["label"] for c in choropleth_classes([0, 0])] == ["0"]
    two = choropleth_classes([2, 1])
    assert [c["label"] for c in two] == ["0", "1", "2"]
    assert two[-1]["color"] == "#08306b"  # the largest is the darkest
    assert [c["label"] for c in choropleth_classes([])] == ["0"]


@pytest.mark.parametrize(
    "text, shown",
    [
        ('=HYPERLINK("http://zly.example")', '\'=HYPERLINK("http://zly.example")'),
        ("+48 600", "'+48 600"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("Śródmieście", "Śródmieście"),
        ("Osiedle =1", "Osiedle =1"),
    ],
)
def test_cells_that_look_like_formulas_are_kept_as_text(text, shown):
    assert guard_cell(text) == shown


def test_the_types_asked_must_be_on_the_maps(integration):
    assert "Investment" in statistics_types(None)
    assert statistics_types("Investment,Place") == ["Investment", "Place"]
    assert statistics_types(["Place", "Place"]) == ["Place"]
    with pytest.raises(GeoQueryError) as raised:
        statistics_types(["Document"])
    assert raised.value.field == "portal_type"


@pytest.fixture
def site(functional):
    layerdata.forget_shapes()
    portal = functional["portal"]
    layer = create_layer(portal)
    create_investments(portal)
    return portal, functional["app"], layer


def test_points_are_counted_per_area_with_holes_and_parts(site):
    portal, _app, layer = site
    # a draft investment in Rypinek: its editors count it, nobody else does
    create_investment(portal, "rypinek", 51.75, 18.55, state="private")
    transaction.commit()
    with api.env.adopt_user(username="mieszkaniec"):
        stats = layer_statistics(layer, ["Investment"])
    assert [(area.name, area.counts) for area in stats.areas] == [
        ("Śródmieście", {"Investment": 2}),  # not the one in the park (the hole)
        ("Majków", {"Investment": 1}),  # in the second part of the MultiPolygon
        ("Rypinek", {"Investment": 0}),
    ]
    assert stats.outside == {"Investment": 2}
    assert stats.totals == {"Investment": 5}
    with api.env.adopt_user(username="redaktor"):
        stats = layer_statistics(layer, ["Investment"])
    assert stats.areas[2].counts == {"Investment": 1}
    assert stats.total == 6


def test_a_point_on_an_edge_belongs_to_the_area(site):
    portal, _app, layer = site
    create_investment(portal, "granica", 51.70, 18.05)  # on Śródmieście's southern edge
    transaction.commit()
    stats = layer_statistics(layer, ["Investment"])
    assert stats.areas[0].counts == {"Investment": 3}


def test_places_are_counted_when_asked(site):
    portal, _app, layer = site
    with api.env.adopt_roles(["Manager"]):
        from plone.formwidget.geolocation.geolocation import Geolocation

        api.content.create(
            container=portal.pl,
            type="Place",
            id="urzad",
            title="Urząd",
            geolocation=Geolocation(51.79, 18.15),
        )
    transaction.commit()
    with api.env.adopt_user(username="redaktor"):
        stats = layer_statistics(layer, ["Place", "Investment"])
    assert stats.areas[1].counts == {"Place": 1, "Investment": 1}
    assert stats.areas[1].total == 2


def test_the_page_shows_the_table_and_the_choropleth(site):
    _portal, app, layer = site
    browser = browser_for(app)
    browser.open(f"{layer.absolute_url()}/@@map-statistics?portal_type=Investment")
    assert status_of(browser) == 200
    html = browser.contents
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert "<caption>" in table and "Dzielnice" in table
    assert table.count('scope="col"') == 3  # area, investments, total
    assert table.count('scope="row"') == 5  # three areas, outside, all
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)

    def cells(row):
        return [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]

    assert cells(rows[1]) == ["Śródmieście", "2", "2"]
    assert cells(rows[2]) == ["Majków", "1", "1"]
    assert cells(rows[3]) == ["Rypinek", "0", "0"]
    assert cells(rows[4])[1:] == ["2", "2"]  # outside every area
    assert "<tfoot>" in table and cells(rows[5])[1:] == ["5", "5"]
    # the map: an overlay of the statistics' GeoJSON with the classes, and a text legend
    config = json.loads(
        re.search(r"data-ratusz-map=\"([^\"]*)\"", html)
        .group(1)
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )
    overlay = config["overlays"][0]
    assert overlay["url"].endswith("/@@map-statistics.geojson?portal_type=Investment")
    assert overlay["name_properties"] == ["name"]  # the tooltip's name
    assert overlay["choropleth"]["property"] == "count"
    assert [c["label"] for c in overlay["choropleth"]["classes"]] == ["0", "1", "2"]
    legend = re.search(
        r'<ul class="list-unstyled ratusz-choropleth-legend".*?</ul>', html, re.S
    ).group(0)
    assert legend.count("<li") == 3
    assert "@@map-statistics.csv?portal_type=Investment" in html


def test_the_choropleth_geojson_carries_names_and_counts(site):
    _portal, app, layer = site
    browser = browser_for(app)
    browser.open(f"{layer.absolute_url()}/@@map-statistics.geojson?portal_type=Investment")
    assert browser.headers["Content-Type"].startswith("application/geo+json")
    collection = json.loads(browser.contents)
    assert [f["properties"]["name"] for f in collection["features"]] == [
        "Śródmieście",
        "Majków",
        "Rypinek",
    ]
    assert [f["properties"]["count"] for f in collection["features"]] == [2, 1, 0]
    assert collection["features"][1]["geometry"] == DISTRICTS["features"][1]["geometry"]


def test_the_csv_opens_in_a_spreadsheet_with_names_guarded(site):
    _portal, app, layer = site
    document = json.loads(json.dumps(DISTRICTS))
    document["features"][2]["properties"]["nazwa"] = '=HYPERLINK("http://zly.example","Kliknij")'
    with api.env.adopt_roles(["Manager"]):
        layer.file = layer_file(geojson_bytes(document))
        layer.reindexObject()
    transaction.commit()
    browser = browser_for(app)
    browser.open(f"{layer.absolute_url()}/@@map-statistics.csv?portal_type=Investment")
    assert browser.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in browser.headers["Content-Disposition"]
    data = (
        browser.contents.encode("utf-8") if isinstance(browser.contents, str) else browser.contents
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) == 3 and rows[0][1] in ("Investments", "Inwestycje")
    assert rows[1] == ["Śródmieście", "2", "2"]
    assert rows[2] == ["Majków", "1", "1"]
    assert rows[3] == ['\'=HYPERLINK("http://zly.example","Kliknij")', "0", "0"]
    assert rows[4][1:] == ["2", "2"]
    assert rows[5][1:] == ["5", "5"]


def test_the_rest_service_answers_the_same_numbers(site):
    portal, app, layer = site
    response = rest(app, "GET", f"{layer.absolute_url()}/@map-statistics?portal_type=Investment")
    assert response.status_int == 200, response.text
    answer = response.json
    assert answer["areas"] == [
        {"name": "Śródmieście", "counts": {"Investment": 2}, "total": 2},
        {"name": "Majków", "counts": {"Investment": 1}, "total": 1},
        {"name": "Rypinek", "counts": {"Investment": 0}, "total": 0},
    ]
    assert answer["outside"] == {"counts": {"Investment": 2}, "total": 2}
    assert answer["totals"] == {"counts": {"Investment": 5}, "total": 5}
    assert answer["types"][0]["portal_type"] == "Investment"
    wrong = rest(app, "GET", f"{layer.absolute_url()}/@map-statistics?portal_type=Document")
    assert wrong.status_int == 400
    assert wrong.json["error"]["field"] == "portal_type"
    assert "Document" in wrong.json["error"]["message"]


@pytest.mark.parametrize("view", ["@@map-statistics.csv", "@@map-statistics.geojson"])
def test_unknown_types_are_a_clear_400(site, view):
    _portal, app, layer = site
    browser = browser_for(app)
    browser.open(f"{layer.absolute_url()}/{view}?portal_type=<script>")
    assert status_of(browser) == 400
    # JSON a browser will not sniff as a page, naming the parameter and the type
    assert browser.headers["Content-Type"] == "application/json; charset=utf-8"
    assert browser.headers["X-Content-Type-Options"] == "nosniff"
    error = json.loads(browser.contents)["error"]
    assert error["field"] == "portal_type"
    assert "<script>" in error["message"]


def test_the_choropleth_geojson_answers_304_until_the_counts_change(site):
    portal, app, layer = site
    url = f"{layer.absolute_url()}/@@map-statistics.geojson?portal_type=Investment"

    def fetch(login=None, etag=None):
        browser = browser_for(app, login)
        if etag:
            browser.addHeader("If-None-Match", etag)
        browser.open(url)
        return browser

    first = fetch()
    etag = first.headers["ETag"]
    again = fetch(etag=etag)
    assert status_of(again) == 304
    assert again.contents in ("", b"")
    # an editor sees a draft the visitor does not: other counts, another tag
    create_investment(portal, "rypinek", 51.75, 18.55, state="private")
    transaction.commit()
    editor = fetch("redaktor", etag)
    assert status_of(editor) == 200
    assert editor.headers["ETag"] != etag
    assert [f["properties"]["count"] for f in json.loads(editor.contents)["features"]] == [2, 1, 1]
    assert status_of(fetch(etag=etag)) == 304  # the visitor's counts did not change
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(portal.pl["rypinek"], "publish")
    transaction.commit()
    changed = fetch(etag=etag)
    assert status_of(changed) == 200
    assert [f["properties"]["count"] for f in json.loads(changed.contents)["features"]] == [2, 1, 1]


def test_the_page_explains_an_unknown_type_and_counts_the_default(site):
    _portal, app, layer = site
    browser = browser_for(app)
    browser.open(
        f"{layer.absolute_url()}/@@map-statistics?portal_type=%3Cscript%3Ealert(1)%3C/script%3E"
    )
    assert status_of(browser) == 200
    assert "<script>alert(1)</script>" not in browser.contents
    assert 'role="alert"' in browser.contents
    assert "<table" in browser.contents


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
def test_statistics_of_a_private_layer_are_for_its_editors(functional, login, allowed):
    layerdata.forget_shapes()
    layer = create_layer(functional["portal"], "robocza", state="private")
    transaction.commit()
    browser = browser_for(functional["app"], login)
    browser.open(f"{layer.absolute_url()}/@@map-statistics")
    assert (not was_refused(browser)) is allowed, login
    response = rest(functional["app"], "GET", f"{layer.absolute_url()}/@map-statistics", login)
    assert (response.status_int == 200) is allowed, (login, response.status_int)


def test_a_layer_without_areas_says_so(functional):
    layerdata.forget_shapes()
    river = {"type": "FeatureCollection", "features": [DISTRICTS["features"][3]]}
    layer = create_layer(functional["portal"], "rzeka", file=layer_file(geojson_bytes(river)))
    transaction.commit()
    browser = browser_for(functional["app"])
    browser.open(f"{layer.absolute_url()}/@@map-statistics")
    assert status_of(browser) == 200
    assert "<table" not in browser.contents
    assert "polygons" in browser.contents or "poligon" in browser.contents


def test_a_layer_file_that_cannot_be_read_is_explained_not_a_500(functional):
    layerdata.forget_shapes()
    # stored past the upload check (a script or an import)
    layer = create_layer(functional["portal"], "zepsuta", file=layer_file(b'{"type": "Circle"}'))
    transaction.commit()
    browser = browser_for(functional["app"])
    for view in ("", "/@@map-statistics"):
        browser.open(f"{layer.absolute_url()}{view}")
        assert status_of(browser) == 200, view
        assert 'role="alert"' in browser.contents and "Circle" in browser.contents
    browser.open(f"{layer.absolute_url()}/@@map-statistics.csv")
    assert status_of(browser) == 400
    assert json.loads(browser.contents)["error"]["field"] == "file"
    response = rest(functional["app"], "GET", f"{layer.absolute_url()}/@map-statistics")
    assert response.status_int == 400
    assert "Circle" in response.json["error"]["message"]
