"""The demo map (``ratusz:demo-gis``): the places, districts, investments and citizen reports
of Przykładowo, as `make start` creates them."""

import io
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import logout
from plone.app.testing import setRoles
from shapely.geometry import Point
from shapely.geometry import shape
from shapely.ops import unary_union

from ratusz.gis.demo import DISTRICTS
from ratusz.gis.demo import create_demo_places
from ratusz.gis.demo import demo_investments
from ratusz.gis.demo import demo_places
from ratusz.gis.demo import demo_reports
from ratusz.gis.demo_images import SCENES
from ratusz.gis.demo_images import SIZE
from ratusz.gis.demo_images import demo_photo
from ratusz.gis.layerdata import check_layer_data
from ratusz.gis.layers import district_at
from ratusz.gis.layers import overlays_for
from ratusz.gis.location import point_of
from ratusz.gis.reports.content import PUBLIC_STATES
from ratusz.gis.reports.create import REPORTS
from ratusz.gis.reports.create import check_rate
from ratusz.gis.statistics import layer_statistics

DISTRICT_NAMES = ["Śródmieście", "Północ", "Wschód", "Południe", "Zachód"]


def district_shapes():
    document = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    return {
        feature["properties"]["name"]: shape(feature["geometry"])
        for feature in document["features"]
    }


def districts_holding(latitude, longitude):
    point = Point(longitude, latitude)
    return [name for name, area in district_shapes().items() if area.covers(point)]


# --- the data files -------------------------------------------------------------------------


def test_every_demo_place_is_in_the_town_and_has_an_address():
    for spec in demo_places():
        assert 51.7 < spec["latitude"] < 51.8 and 18.0 < spec["longitude"] < 18.2
        assert spec["address"].endswith("Przykładowo")


def test_the_districts_file_passes_the_upload_check():
    features = check_layer_data(DISTRICTS.read_bytes(), 5 * 1024 * 1024)
    assert [properties["name"] for _geometry, properties in features] == DISTRICT_NAMES


def test_the_districts_tile_the_town_without_gaps_or_overlaps():
    areas = district_shapes()
    assert all(area.is_valid and area.geom_type == "Polygon" for area in areas.values())
    town = unary_union(list(areas.values()))
    assert town.geom_type == "Polygon" and not town.interiors  # one piece, no hole
    assert sum(area.area for area in areas.values()) == pytest.approx(town.area, rel=1e-9)


@pytest.mark.parametrize(
    "spec",
    demo_places() + demo_investments() + demo_reports(),
    ids=lambda spec: spec.get("id") or spec["key"],
)
def test_every_demo_point_lies_in_exactly_one_district(spec):
    found = districts_holding(spec["latitude"], spec["longitude"])
    assert len(found) == 1
    assert found[0] == spec.get("district", found[0])


def test_every_district_has_an_investment_and_a_report():
    assert {spec["district"] for spec in demo_investments()} == set(DISTRICT_NAMES)
    assert {spec["district"] for spec in demo_reports()} == set(DISTRICT_NAMES)


def test_the_demo_reports_hold_no_real_personal_data():
    for spec in demo_reports():
        assert set(spec) <= {
            "key",
            "category",
            "state",
            "duplicate_of",
            "district",
            "latitude",
            "longitude",
            "address",
            "description",
            "photo",
            "email",
            "comment",
        }
        email = spec.get("email")
        assert email is None or email.rsplit("@", 1)[1] in ("example.com", "example.org")
    assert 1 <= sum(1 for spec in demo_reports() if spec.get("email")) <= 2


@pytest.mark.parametrize(
    "scene, variant",
    sorted(
        {
            (photo["scene"], photo["variant"])
            for spec in demo_investments() + demo_reports()
            for photo in spec.get("photos", [spec["photo"]] if "photo" in spec else [])
        }
    ),
)
def test_each_demo_picture_is_a_jpeg_of_its_scene(scene, variant):
    assert scene in SCENES
    image = Image.open(io.BytesIO(demo_photo(scene, variant)))
    assert image.format == "JPEG" and image.size == SIZE
    # Drawn, not blank: a flat picture would have few colours, but more than sky and grass.
    assert len(image.convert("P", palette=Image.Palette.ADAPTIVE).getcolors()) > 4


# --- the profile, as `make start` applies it -----------------------------------------------


@pytest.fixture
def demo_gis(portal, apply_profiles):
    """The site after ``ratusz:demo-gis``; the reports' rate limit as after a restart."""
    REPORTS.clear()
    with api.env.adopt_roles(["Manager"]):
        apply_profiles(portal, ["ratusz:demo-gis"])
    yield portal
    REPORTS.clear()


def demo_report_objects(portal):
    return [
        brain._unrestrictedGetObject()
        for brain in api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
            portal_type="CitizenReport", path="/".join(portal.pl.zgloszenia.getPhysicalPath())
        )
    ]


def test_the_demo_places_are_published_on_the_map(integration):
    portal = integration["portal"]
    with api.env.adopt_roles(["Manager"]):
        folder = create_demo_places()
        create_demo_places()  # twice: nothing doubled
    assert len(folder.objectIds()) == len(demo_places()) == 12
    assert folder.getLayout() == "map"
    found = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="Place", review_state="published", path="/".join(folder.getPhysicalPath())
    )
    assert len(found) == 12
    assert portal.pl.miejsca["biblioteka"].place_kind == "library"


def test_the_districts_layer_is_published_and_drawn_on_the_maps(demo_gis):
    layer = demo_gis.pl["mapa-warstwy"]["dzielnice"]
    assert layer.portal_type == "MapLayer"
    assert layer.districts and layer.show_on_maps
    assert api.content.get_state(layer) == "published"
    assert api.content.get_state(demo_gis.pl["mapa-warstwy"]) == "published"
    assert demo_gis.pl["mapa-warstwy"].exclude_from_nav
    logout()  # a visitor's maps draw it
    assert [entry["title"] for entry in overlays_for(demo_gis.pl)] == ["Dzielnice"]
    assert district_at(51.7621, 18.0906) == "Śródmieście"  # the town hall on the market square
    assert district_at(51.7801, 18.1204) == "Północ"  # the waste collection point
    assert district_at(52.2297, 21.0122) is None  # Warsaw is not in Przykładowo


def test_the_investments_are_published_with_their_facts_and_photos(demo_gis):
    folder = demo_gis.pl["inwestycje"]
    assert folder.getLayout() == "map"
    specs = demo_investments()
    assert 4 <= len(specs) <= 5
    assert folder.objectIds() == [spec["id"] for spec in specs]
    for spec in specs:
        investment = folder[spec["id"]]
        assert api.content.get_state(investment) == "published"
        assert investment.status == spec["status"]
        assert str(investment.budget) == spec["budget"]
        assert investment.address.endswith("Przykładowo")
        assert district_at(*point_of(investment.geolocation)) == spec["district"]
        photos = [item for item in investment.objectValues() if item.portal_type == "Image"]
        assert 1 <= len(photos) <= 2
        for photo in photos:
            assert len(photo.title) > 30  # a sentence saying what it shows: the alt text
            assert photo.image.contentType == "image/jpeg"
            assert photo.image.getImageSize() == SIZE
    statuses = {spec["status"] for spec in specs}
    assert {"planned", "tender", "in_progress", "completed"} <= statuses


def test_the_investments_dates_agree_with_their_status(demo_gis):
    today = date.today()
    for investment in demo_gis.pl["inwestycje"].objectValues():
        if investment.status == "completed":
            assert investment.actual_end < today and investment.contractor
        if investment.status == "in_progress":
            assert investment.actual_start <= today < investment.planned_end
            assert investment.contractor
        if investment.status in ("planned", "tender"):
            assert today < investment.planned_start and not investment.contractor
        assert investment.planned_start < investment.planned_end


def test_the_reports_are_in_their_states_and_districts(demo_gis):
    reports = {report.description: report for report in demo_report_objects(demo_gis)}
    specs = demo_reports()
    assert len(reports) == len(specs) == 8
    assert Counter(api.content.get_state(report) for report in reports.values()) == {
        "new": 2,
        "accepted": 2,
        "in_progress": 1,
        "resolved": 1,
        "rejected": 1,
        "duplicate": 1,
    }
    for spec in specs:
        report = reports[spec["description"]]
        assert api.content.get_state(report) == spec["state"]
        assert report.report_category == spec["category"]
        assert report.report_number.startswith("ZG/")
        # The district is the polygon of the districts layer the report lies in.
        assert report.district == district_at(spec["latitude"], spec["longitude"])
        assert report.district == spec["district"]
        assert report.reporter_name is None and report.reporter_phone is None
        assert report.reporter_email == spec.get("email")
    assert len({spec["category"] for spec in specs}) >= 6


def test_the_duplicate_names_its_original(demo_gis):
    reports = {report.description: report for report in demo_report_objects(demo_gis)}
    by_key = {spec["key"]: reports[spec["description"]] for spec in demo_reports()}
    duplicate, original = by_key["wyrwa-szkolna-ponownie"], by_key["wyrwa-szkolna"]
    assert api.content.get_state(duplicate) == "duplicate"
    assert duplicate.duplicate_of == original.report_number


def test_the_pothole_report_has_its_photo(demo_gis):
    reports = {report.description: report for report in demo_report_objects(demo_gis)}
    with_photos = [report for report in reports.values() if report.photo is not None]
    assert len(with_photos) == 1
    assert with_photos[0].report_category == "road"


def test_a_visitor_sees_only_the_public_reports(demo_gis):
    public = [spec for spec in demo_reports() if spec["state"] in PUBLIC_STATES]
    logout()
    seen = api.content.find(portal_type="CitizenReport")
    assert len(seen) == len(public) == 5
    assert {brain.review_state for brain in seen} == set(PUBLIC_STATES)


def test_each_district_counts_demo_items_in_the_statistics(demo_gis):
    layer = demo_gis.pl["mapa-warstwy"]["dzielnice"]
    setRoles(demo_gis, TEST_USER_ID, ["Staff"])  # staff (every clerk) count every report
    stats = layer_statistics(layer, ["CitizenReport", "Investment"])
    assert [area.name for area in stats.areas] == DISTRICT_NAMES
    for area in stats.areas:
        assert area.counts["CitizenReport"] > 0 and area.counts["Investment"] > 0, area.name
    assert stats.totals == {"CitizenReport": 8, "Investment": 5}
    assert stats.outside == {"CitizenReport": 0, "Investment": 0}
    logout()  # a visitor counts the public reports only
    stats = layer_statistics(layer, ["CitizenReport", "Investment", "Place"])
    assert stats.totals == {"CitizenReport": 5, "Investment": 5, "Place": 12}
    assert stats.outside == {"CitizenReport": 0, "Investment": 0, "Place": 0}
    assert all(area.total > 0 for area in stats.areas)


def test_running_the_profile_again_adds_nothing(demo_gis, apply_profiles):
    numbers = sorted(report.report_number for report in demo_report_objects(demo_gis))
    folder = demo_gis.pl["inwestycje"]
    photos = len(api.content.find(context=folder, portal_type="Image"))
    with api.env.adopt_roles(["Manager"]):
        apply_profiles(demo_gis, ["ratusz:demo-gis"])
    assert sorted(report.report_number for report in demo_report_objects(demo_gis)) == numbers
    assert len(api.content.find(context=folder, portal_type="Image")) == photos
    assert len(demo_gis.pl["inwestycje"].objectIds()) == len(demo_investments())
    assert len(api.content.find(portal_type="MapLayer")) == 1
    assert len(demo_gis.pl.miejsca.objectIds()) == 12


def test_a_deleted_demo_report_is_filed_again(demo_gis, apply_profiles):
    reports = demo_report_objects(demo_gis)
    gone = next(report for report in reports if report.report_category == "lighting")
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(gone)
        apply_profiles(demo_gis, ["ratusz:demo-gis"])
    again = demo_report_objects(demo_gis)
    assert len(again) == 8
    assert Counter(report.report_category for report in again)["lighting"] == 1


def test_the_rate_limit_does_not_stop_the_demo(portal, apply_profiles):
    """Even with one report an hour allowed and the unknown client used up."""
    REPORTS.clear()
    api.portal.set_registry_record("ratusz.gis.reports.reports_per_hour", 1)
    check_rate(None)
    try:
        with api.env.adopt_roles(["Manager"]):
            apply_profiles(portal, ["ratusz:demo-gis"])
        assert len(demo_report_objects(portal)) == 8
    finally:
        REPORTS.clear()


# --- `make start`: the distribution creates the site and applies the demo in one transaction


INSPECT_SITE = """
import json, sys
from Zope2.Startup.run import make_wsgi_app
make_wsgi_app({}, sys.argv[1])
import Zope2
from AccessControl.SecurityManagement import newSecurityManager
from plone import api
from zope.component.hooks import setSite
app = Zope2.app()
setSite(app.Plone)
newSecurityManager(None, app.acl_users.getUser("admin").__of__(app.acl_users))
pl = app.Plone.pl
layer = pl["mapa-warstwy"]["dzielnice"]
print(json.dumps({
    "layer": [api.content.get_state(layer), layer.districts],
    "investments": {i.getId(): len(i.objectIds()) for i in pl.inwestycje.objectValues()},
    "reports": sorted(
        [api.content.get_state(r), r.district] for r in pl.zgloszenia.objectValues()
    ),
}))
app._p_jar.close()
"""


@pytest.mark.slow
def test_make_start_creates_the_site_with_the_demo_map(tmp_path):
    """``ratusz-instance create-site`` (what `make start` runs first), then the database read."""
    env = {**os.environ, "ADMIN_PASSWORD": "t3st-Secret", "RATUSZ_VAR": str(tmp_path / "var")}
    command = [str(Path(sys.executable).parent / "ratusz-instance"), "create-site"]
    created = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert created.returncode == 0, created.stderr[-3000:]
    assert "Site /Plone created." in created.stdout
    zope_conf = str(tmp_path / "var" / "etc" / "zope.conf")
    read = subprocess.run(
        [sys.executable, "-c", INSPECT_SITE, zope_conf],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert read.returncode == 0, read.stderr[-3000:]
    found = json.loads(read.stdout.strip().splitlines()[-1])
    assert found["layer"] == ["published", True]
    assert found["investments"] == {spec["id"]: len(spec["photos"]) for spec in demo_investments()}
    assert found["reports"] == sorted([spec["state"], spec["district"]] for spec in demo_reports())
