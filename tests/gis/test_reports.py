# ruff: noqa: F811 (the boards fixture is imported)
"""Citizen reports: filed by anyone, numbered, moderated, public without personal data.

The form is used as a resident's browser uses it (zope.testbrowser through the
publisher), REST as a client would, and the checks of ``create_report`` directly.
"""

import io
import json
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import piexif
import pytest
import transaction
from PIL import Image
from plone import api
from plone.testing.zope import Browser

from ratusz.eservices.receipt import key_matches
from ratusz.gis.reports.categories import CategoryLineError
from ratusz.gis.reports.categories import category_title
from ratusz.gis.reports.categories import check_category_lines
from ratusz.gis.reports.categories import parse_category
from ratusz.gis.reports.create import ReportRefused
from ratusz.gis.reports.create import checked_point
from ratusz.gis.reports.create import create_report
from ratusz.gis.reports.create import report_number
from ratusz.gis.reports.photos import PhotoRefused
from ratusz.gis.reports.photos import checked_photo
from ratusz.gis.reports.photos import public_copy
from ratusz.gis.reports.structure import remove_boards
from ratusz.gis.reports.tracking import StatusRefused
from ratusz.gis.reports.tracking import status_url
from ratusz.gis.reports.tracking import verified_report
from ratusz.gis.reports.workflow import number_in
from tests.bip import smtp
from tests.bip.security_helpers import rest
from tests.gis.reports_helpers import boards  # noqa: F401 (a fixture)
from tests.gis.reports_helpers import file_report
from tests.gis.reports_helpers import jpeg_with_gps
from tests.gis.reports_helpers import png
from tests.gis.reports_helpers import transition

smtp_server = smtp.smtp_server
mail_server = smtp.mail_server

YEAR = date.today().year
FIRST = f"ZG/{YEAR}/00001"
SECOND = f"ZG/{YEAR}/00002"
MB = 1024 * 1024


# --- unit: categories, points, numbers, photos ---------------------------------------------


def test_a_category_line_has_a_code_and_titles():
    assert parse_category("lighting | Oświetlenie | Street lighting | Освітлення") == {
        "code": "lighting",
        "pl": "Oświetlenie",
        "en": "Street lighting",
        "uk": "Освітлення",
    }
    assert parse_category("x | Tylko polski")["uk"] == "Tylko polski"


@pytest.mark.parametrize(
    "lines",
    [
        ["Bez kodu"],
        ["Zły Kod | Tytuł"],
        ["a | <b>Tytuł</b>"],
        ["a | A", "a | B"],
        [],
    ],
)
def test_wrong_category_lists_are_refused(lines):
    with pytest.raises(CategoryLineError):
        check_category_lines(lines)


@pytest.mark.parametrize(
    "latitude, longitude, field",
    [
        (95, 18, "latitude"),
        (-90.5, 18, "latitude"),
        (51, 181, "longitude"),
        (51, -180.01, "longitude"),
        ("pięćdziesiąt", 18, "latitude"),
        ("NaN", 18, "latitude"),
        (51, "inf", "longitude"),
        (51, None, "longitude"),
        (True, 18, "latitude"),
    ],
)
def test_a_point_off_the_map_is_refused_naming_the_coordinate(latitude, longitude, field):
    with pytest.raises(ReportRefused) as refused:
        checked_point(latitude, longitude)
    assert refused.value.field == field


def test_a_point_may_be_typed_with_a_comma():
    assert checked_point("51,76", " 18.09 ") == (51.76, 18.09)
    assert checked_point("", None) is None


def test_numbers_and_links_name_reports():
    assert report_number(42, 2026) == "ZG/2026/00042"
    assert number_in(" zg/2026/00042 ") == "ZG/2026/00042"
    assert number_in("http://x/plone/pl/zgloszenia/zg-2026-00042") == "ZG/2026/00042"
    assert number_in("http://x/plone/pl/zgloszenia/zg-2026-00042/view") == ""
    assert number_in("nic") == ""


def _exif_of(data):
    image = Image.open(io.BytesIO(data))
    return image.info.get("exif"), image.getexif()


def test_the_public_copy_has_no_exif_and_stands_upright():
    original = jpeg_with_gps(size=(64, 32), orientation=6)  # to be turned 90° clockwise
    assert piexif.load(original)["GPS"]  # the test photo does carry a position
    assert checked_photo(original, "C:\\fakepath\\dziura.JPG", 10 * MB) == (
        "image/jpeg",
        "dziura.jpg",
    )
    copy, mime, extension = public_copy(original)
    assert (mime, extension) == ("image/jpeg", "jpg")
    raw, exif = _exif_of(copy)
    assert raw is None and len(exif) == 0
    assert b"Kowalski" not in copy and b"Fotokamera" not in copy
    image = Image.open(io.BytesIO(copy))
    assert image.size == (32, 64)  # upright: the orientation was applied, then dropped


def test_a_transparent_png_stays_a_png_without_metadata():
    copy, mime, _extension = public_copy(png(mode="RGBA"))
    assert mime == "image/png"
    assert Image.open(io.BytesIO(copy)).mode == "RGBA"


@pytest.mark.parametrize(
    "data, says",
    [
        (b"", "empty"),
        (b"%PDF-1.4\n%%EOF", "JPEG, PNG or WebP"),
        (b"GIF89a" + b"\x00" * 40, "JPEG, PNG or WebP"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "JPEG, PNG or WebP"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG, PNG or WebP"),  # a broken JPEG
    ],
)
def test_only_images_are_taken(data, says):
    with pytest.raises(PhotoRefused) as refused:
        checked_photo(data, "zdjecie.jpg", 10 * MB)
    assert says in refused.value.message


def test_a_gif_renamed_jpg_is_refused_by_its_content():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF")
    with pytest.raises(PhotoRefused):
        checked_photo(out.getvalue(), "zdjecie.jpg", 10 * MB)


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["broken-exif-struct.jpg", "broken-exif-attribute.webp"])
def test_a_photo_with_broken_exif_is_taken_without_its_exif(name):
    # Found by fuzzing: Pillow's exif_transpose raised struct.error / AttributeError (a 500).
    data = (DATA / name).read_bytes()
    public, mime, _extension = public_copy(data)
    assert mime == "image/jpeg"
    assert "exif" not in Image.open(io.BytesIO(public)).info


def test_a_phone_jpeg_with_more_pictures_mpo_is_a_jpeg():
    first, second = Image.new("RGB", (32, 16), "red"), Image.new("RGB", (32, 16), "blue")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    assert checked_photo(out.getvalue(), "IMG_0001.JPG", 10 * MB)
    assert public_copy(out.getvalue())[1] == "image/jpeg"


def test_a_huge_photo_is_refused_before_it_is_read():
    with pytest.raises(PhotoRefused) as refused:
        checked_photo(b"\xff\xd8" + b"\x00" * (MB + 10), "duze.jpg", MB)
    assert refused.value.message.mapping["max"] == "1"


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 Mpx in a few kilobytes
    with pytest.raises(PhotoRefused):
        checked_photo(out.getvalue(), "bomba.png", 10 * MB)


# --- the boards ------------------------------------------------------------------------------


def test_the_boards_are_published_and_linked_as_translations(functional, boards):
    from plone.app.multilingual.interfaces import ITranslationManager

    assert {language: board.getId() for language, board in boards.items()} == {
        "pl": "zgloszenia",
        "en": "reports",
        "uk": "zvernennia",
    }
    assert api.content.get_state(boards["pl"]) == "published"
    translations = ITranslationManager(boards["pl"]).get_translations()
    assert translations["en"] == boards["en"] and translations["uk"] == boards["uk"]
    browser = Browser(functional["app"])
    browser.open(boards["pl"].absolute_url())
    assert "@@report-problem" in browser.contents
    assert 'id="ratusz-reports-none"' in browser.contents


def test_uninstall_removes_empty_boards_and_keeps_one_with_reports(functional, boards):
    file_report(boards["pl"])
    with api.env.adopt_roles(["Manager"]):
        remove_boards(functional["portal"])
    portal = functional["portal"]
    assert "zgloszenia" in portal.pl.objectIds()
    assert "reports" not in portal.en.objectIds() and "zvernennia" not in portal.uk.objectIds()
    transaction.abort()


# --- filing: create_report ---------------------------------------------------------------------


def test_reports_are_numbered_per_year_without_gaps(functional, boards):
    first, _token = file_report(boards["pl"])
    with pytest.raises(ReportRefused):
        create_report(boards["pl"], "lighting", "", latitude=51, longitude=18)
    transaction.abort()
    second, _token = file_report(boards["en"], category="waste")
    assert (first.report_number, second.report_number) == (FIRST, SECOND)
    assert first.getId() == f"zg-{YEAR}-00001"
    assert first.Title() == f"{FIRST}: Oświetlenie uliczne"
    assert second.Title() == f"{SECOND}: Litter and fly-tipping"


def test_only_the_tokens_hash_is_kept(functional, boards):
    report, token = file_report(boards["pl"])
    assert key_matches(token, report.token_salt, report.token_hash)
    state = repr(report.__dict__)
    assert token not in state and token.replace("-", "") not in state
    assert verified_report(FIRST.lower(), token.lower(), "x").report_number == FIRST
    assert verified_report(f"ZG/{YEAR}/1", token, "x").report_number == FIRST
    with pytest.raises(StatusRefused):
        verified_report(FIRST, "AAAA-BBBB-CCCC", "x")


def test_wrong_tokens_are_throttled(functional, boards):
    report, token = file_report(boards["pl"])
    api.portal.set_registry_record("ratusz.gis.reports.status_attempts", 3)
    for _attempt in range(3):
        with pytest.raises(StatusRefused) as refused:
            verified_report(FIRST, "ZZZZ-ZZZZ-ZZZZ", "203.0.113.5")
        assert "No report matches" in refused.value.message
    with pytest.raises(StatusRefused) as refused:
        verified_report(FIRST, token, "203.0.113.5")  # even the right token waits now
    assert "Too many" in refused.value.message
    transaction.abort()


def test_a_stranger_guessing_tokens_cannot_lock_the_reporter_out(functional, boards):
    report, token = file_report(boards["pl"])
    api.portal.set_registry_record("ratusz.gis.reports.status_attempts", 3)
    for _attempt in range(10):  # someone else, guessing tokens for the reporter's number
        with pytest.raises(StatusRefused):
            verified_report(FIRST, "ZZZZ-ZZZZ-ZZZZ", "203.0.113.66")
    assert verified_report(FIRST, token, "198.51.100.20").report_number == FIRST
    # the status page too, for the reporter's browser
    browser = resident(functional["app"])
    browser.open(status_url(report, token))
    assert _status(browser) == 200 and "report-status-state" in browser.contents
    transaction.abort()


def test_an_address_alone_is_enough_and_nothing_at_all_is_refused(functional, boards):
    report, _token = file_report(boards["pl"], latitude=None, longitude=None, address="Rynek 1")
    assert report.geolocation is None and report.address == "Rynek 1"
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=report.UID())[0]
    assert brain.report_summary["has_point"] is False
    with pytest.raises(ReportRefused) as refused:
        create_report(boards["pl"], "lighting", "Coś", client="x")
    assert refused.value.field == "latitude"
    transaction.abort()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"category": "nie-ma-takiej"}, "category"),
        ({"category": ["lighting"]}, "category"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"latitude": 95}, "latitude"),
        ({"longitude": -200}, "longitude"),
        ({"address": "<img src=x onerror=alert(1)>"}, "address"),
        ({"email": "to nie adres"}, "email"),
        ({"email": "a@b.pl?bcc=c@d.pl"}, "email"),
        ({"phone": "zadzwoń"}, "phone"),
        ({"name": "x" * 201}, "name"),
        ({"photo": ("x.jpg", b"MZ\x90\x00 a program")}, "photo"),
    ],
)
def test_wrong_input_is_refused_naming_the_field_and_nothing_is_made(
    functional, boards, fields, field
):
    with pytest.raises(ReportRefused) as refused:
        file_report(boards["pl"], **fields)
    assert refused.value.field == field
    transaction.abort()
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(portal_type="CitizenReport")
    assert not boards["pl"].objectIds()
    # the number was not taken: the next report is the first
    report, _token = file_report(boards["pl"])
    assert report.report_number == FIRST


def test_without_a_districts_layer_the_district_is_empty(functional, boards):
    report, _token = file_report(boards["pl"])
    assert report.district is None


def test_the_district_comes_from_the_districts_layer(functional, boards):
    from tests.gis.layer_helpers import create_layer

    create_layer(functional["portal"], districts=True)
    transaction.commit()
    inside, _token = file_report(boards["pl"], latitude=51.72, longitude=18.02)
    in_the_park, _token = file_report(boards["pl"], latitude=51.75, longitude=18.05)
    by_address, _token = file_report(boards["pl"], latitude=None, longitude=None)
    assert (inside.district, in_the_park.district, by_address.district) == (
        "Śródmieście",
        None,
        None,
    )
    # staff place the report given by address: it gets its district
    placed = rest(
        functional["app"],
        "PATCH",
        by_address.absolute_url(),
        "urzednik",
        {"geolocation": {"latitude": 51.75, "longitude": 18.35}},
    )
    assert placed.status_int == 204, placed.text
    transaction.begin()
    assert by_address.district == "Majków"
    catalog = api.portal.get_tool("portal_catalog")
    assert [
        b.report_summary["number"]
        for b in catalog.unrestrictedSearchResults(report_district="Majków")
    ] == [by_address.report_number]


# --- the form, as a resident's browser ----------------------------------------------------------


def resident(app, login=None):
    from ratusz.demo import DEMO_USERS

    browser = Browser(app)
    browser.handleErrors = True
    browser.raiseHttpErrors = False
    if login:
        browser.addHeader("Authorization", f"Basic {login}:{DEMO_USERS[login][2]}")
    return browser


def fill_form(browser, board, **values):
    browser.open(f"{board.absolute_url()}/@@report-problem")
    defaults = {
        "latitude": "51.7621",
        "longitude": "18.0906",
        "address": "",
        "category": ["road"],
        "description": "Dziura w jezdni <script>alert('x')</script> przy szkole.",
        "email": "",
        "name": "",
        "phone": "",
        "acknowledged": True,
    }
    defaults.update(values)
    form = browser.getForm(id="report-form")
    for name, value in defaults.items():
        if name == "acknowledged":
            form.getControl(name="acknowledged").value = ["1"] if value else []
        elif name == "photo":
            data, filename, mime = value
            form.getControl(name="photo").add_file(data, mime, filename)
        else:
            form.getControl(name=name).value = value
    return form


def _status(browser):
    return int(browser.headers["status"].split()[0])


def test_an_anonymous_resident_files_a_report_and_gets_its_number_and_token(
    functional, boards, mail_server
):
    browser = resident(functional["app"])
    form = fill_form(
        browser,
        boards["pl"],
        email="jan@example.org",
        name="Jan Kowalski",
        phone="+48 600 100 200",
        photo=(jpeg_with_gps(), "dziura.jpg", "image/jpeg"),
    )
    assert form.getControl(name="_authenticator").value  # the CSRF token
    form.submit()
    assert _status(browser) == 200
    assert FIRST in browser.contents
    token = browser.getLink(id="report-tracking-link").url.rsplit("token=", 1)[1]
    transaction.begin()
    report = boards["pl"][f"zg-{YEAR}-00001"]
    assert api.content.get_state(report) == "new"
    assert report.reporter_email == "jan@example.org"
    assert report.reporter_name == "Jan Kowalski"
    assert report.geolocation.latitude == pytest.approx(51.7621)
    assert key_matches(token, report.token_salt, report.token_hash)
    # the public copy has no EXIF; the original, for staff, keeps it
    assert _exif_of(report.photo.data)[0] is None
    assert piexif.load(report.photo_original.data)["GPS"]
    # the receipt mail carries the tracking link
    mail = mail_server.wait_for(lambda m: m["To"] == "jan@example.org")
    assert FIRST in mail["Subject"]
    assert f"token={token}" in mail.get_content()

    # the tracking link shows the state to its holder
    browser.open(browser.getLink(id="report-tracking-link").url)
    assert "report-status-state" in browser.contents
    assert "Kowalski" not in browser.contents and "jan@example.org" not in browser.contents
    assert "&lt;script&gt;" in browser.contents and "<script>alert('x')" not in browser.contents


def test_a_report_waits_for_moderation_before_it_is_public(functional, boards):
    report, _token = file_report(boards["pl"], description="Wulgarny tekst")
    url = report.absolute_url()
    anonymous = resident(functional["app"])
    anonymous.open(url)
    assert _status(anonymous) in (401, 403) or "login" in anonymous.url
    anonymous.open(boards["pl"].absolute_url())
    assert "Wulgarny" not in anonymous.contents
    geojson = rest(functional["app"], "GET", f"{boards['pl'].absolute_url()}/@geojson")
    assert geojson.json["features"] == []

    transition(report, "accept")
    anonymous.open(url)
    assert _status(anonymous) == 200 and "Wulgarny" in anonymous.contents
    anonymous.open(boards["pl"].absolute_url())
    assert FIRST in anonymous.contents
    features = rest(
        functional["app"],
        "GET",
        f"{boards['pl'].absolute_url()}/@geojson?portal_type=CitizenReport",
    ).json["features"]
    assert [f["properties"]["number"] for f in features] == [FIRST]
    assert features[0]["properties"]["category"] == "lighting"


def test_the_form_shows_each_error_at_its_field_and_keeps_what_was_typed(functional, boards):
    browser = resident(functional["app"])
    form = fill_form(
        browser, boards["pl"], latitude="95", description="Opis, który zostaje", email="zly"
    )
    form.submit()
    assert _status(browser) == 400
    page = browser.contents
    assert 'id="report-errors"' in page
    assert 'id="report-latitude-error"' in page and 'aria-invalid="true"' in page
    assert 'href="#report-latitude"' in page  # the summary links the field
    assert "Opis, który zostaje" in page
    transaction.begin()
    assert not boards["pl"].objectIds()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"photo": (b"%PDF-1.4 not an image", "zdjecie.jpg", "image/jpeg")}, "photo"),
        ({"photo": (b"\xff\xd8" + b"\x00" * (2 * MB), "duze.jpg", "image/jpeg")}, "photo"),
        ({"latitude": "", "longitude": "", "address": ""}, "latitude"),
        ({"longitude": "300"}, "longitude"),
        ({"category": [""]}, "category"),
        ({"acknowledged": False}, "acknowledged"),
    ],
)
def test_bad_input_in_the_form_gets_a_clear_error_and_stores_nothing(
    functional, boards, values, field
):
    api.portal.set_registry_record("ratusz.gis.reports.max_photo_mb", 1)
    transaction.commit()
    browser = resident(functional["app"])
    fill_form(browser, boards["pl"], **values).submit()
    assert _status(browser) == 400
    assert f'id="report-{field}-error"' in browser.contents
    transaction.begin()
    assert not boards["pl"].objectIds()


def test_a_filled_honeypot_stores_nothing(functional, boards):
    browser = resident(functional["app"])
    form = fill_form(browser, boards["pl"])
    form.getControl(name="ratusz_website").value = "http://spam.example"
    form.submit()
    assert _status(browser) == 400
    transaction.begin()
    assert not boards["pl"].objectIds()


def test_a_post_without_the_csrf_token_is_refused(functional, boards):
    browser = resident(functional["app"])
    browser.post(
        f"{boards['pl'].absolute_url()}/@@report-problem",
        "category=road&description=x&latitude=51&longitude=18&acknowledged=1",
    )
    assert _status(browser) == 403
    transaction.begin()
    assert not boards["pl"].objectIds()


def test_too_many_reports_from_one_address_are_refused(functional, boards):
    api.portal.set_registry_record("ratusz.gis.reports.reports_per_hour", 2)
    transaction.commit()
    for _attempt in range(2):
        file_report(boards["pl"], client="203.0.113.77")
    with pytest.raises(ReportRefused) as refused:
        file_report(boards["pl"], client="203.0.113.77")
    assert "Too many reports" in refused.value.message
    transaction.abort()
    file_report(boards["pl"], client="203.0.113.78")  # another address may


# --- who may see and do what -------------------------------------------------------------------

ROLES = (None, "mieszkaniec", "urzednik", "kierownik", "redaktor", "administrator")
STAFF = {"urzednik", "kierownik", "administrator"}


def _report_in(boards, state):
    report, token = file_report(
        boards["pl"], email="jan@example.org", name="Jan Kowalski", phone="600100200"
    )
    path = {
        "new": (),
        "accepted": ("accept",),
        "in_progress": ("accept", "start"),
        "resolved": ("accept", "resolve"),
        "rejected": ("reject",),
    }[state]
    for name in path:
        transition(report, name)
    return report


@pytest.mark.parametrize("state", ["new", "accepted", "in_progress", "resolved", "rejected"])
@pytest.mark.parametrize("login", ROLES)
def test_who_sees_a_report_and_its_personal_data(functional, boards, state, login):
    report = _report_in(boards, state)
    response = rest(functional["app"], "GET", report.absolute_url(), login)
    public = state in ("accepted", "in_progress", "resolved")
    may_see = public or login in STAFF
    assert (response.status_int == 200) is may_see, (login, state, response.status_int)
    if may_see:
        body = response.json
        assert body["report_number"] == FIRST
        personal = {"reporter_name", "reporter_email", "reporter_phone", "staff_notes"}
        personal.add("photo_original")
        assert (personal <= set(body)) is (login in STAFF), (login, set(body) & personal)
        assert "Kowalski" not in json.dumps(body) or login in STAFF


NEXT_STEP = {"new": "accept", "accepted": "start", "resolved": "reopen", "rejected": "reconsider"}


@pytest.mark.parametrize("state", sorted(NEXT_STEP))
@pytest.mark.parametrize("login", ROLES)
def test_who_may_edit_and_move_a_report(functional, boards, login, state):
    report = _report_in(boards, state)
    app = functional["app"]
    patched = rest(app, "PATCH", report.absolute_url(), login, {"district": "Śródmieście"})
    assert (patched.status_int == 204) is (login in STAFF), (login, state, patched.status_int)
    browser = resident(app, login)
    browser.open(f"{report.absolute_url()}/edit")
    edits = _status(browser) == 200 and "form-widgets-report_category" in browser.contents
    assert edits is (login in STAFF), (login, state)
    step = NEXT_STEP[state]
    moved = rest(app, "POST", f"{report.absolute_url()}/@workflow/{step}", login)
    assert (moved.status_int == 200) is (login in STAFF), (login, state, moved.status_int)
    transaction.begin()
    assert (api.content.get_state(report) != state) is (login in STAFF)


def test_site_administrators_keep_the_categories_and_a_wrong_line_saves_nothing(functional, boards):
    admin = resident(functional["app"], "administrator")
    admin.open(f"{functional['portal'].absolute_url()}/@@ratusz-reports-settings")
    field = admin.getControl(name="form.widgets.categories")
    field.value = field.value + "\nbenches | Ławki | Benches | Лавки"
    admin.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert category_title("benches", "uk") == "Лавки"
    admin.open(f"{functional['portal'].absolute_url()}/@@ratusz-reports-settings")
    field = admin.getControl(name="form.widgets.categories")
    field.value = field.value + "\nZłe Kody | x"
    admin.getControl(name="form.buttons.save").click()
    assert "invalid-feedback" in admin.contents or "error" in admin.contents
    transaction.begin()
    assert "Złe" not in " ".join(api.portal.get_registry_record("ratusz.gis.reports.categories"))
    clerk = resident(functional["app"], "urzednik")
    clerk.open(f"{functional['portal'].absolute_url()}/@@ratusz-reports-settings")
    assert "form.widgets.categories" not in clerk.contents


@pytest.mark.parametrize("login", ROLES)
def test_nobody_makes_a_report_around_create_report(functional, boards, login):
    response = rest(
        functional["app"],
        "POST",
        boards["pl"].absolute_url(),
        login,
        {"@type": "CitizenReport", "report_category": "road", "description": "x"},
    )
    assert response.status_int in (400, 401, 403), (login, response.status_int)
    transaction.begin()
    assert not boards["pl"].objectIds()


@pytest.mark.parametrize("login", ROLES)
def test_only_staff_open_the_triage_and_the_original_photo(functional, boards, login):
    report, _token = file_report(
        boards["pl"],
        photo=("a.jpg", jpeg_with_gps()),
        name="Jan Kowalski",
        email="jan.kowalski@example.org",
    )
    transition(report, "accept")
    browser = resident(functional["app"], login)
    browser.open(f"{boards['pl'].absolute_url()}/@@reports-triage")
    triage = _status(browser) == 200 and "triage-table" in browser.contents
    assert triage is (login in STAFF), login
    for view in (
        "@@download/photo_original",
        "@@images/photo_original",
        "photo_original/data",  # plain URL traversal to the field (no view involved)
        "photo_original",
    ):
        browser.open(f"{report.absolute_url()}/{view}")
        raw = browser.contents
        raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        if login in STAFF:
            assert raw[:2] == b"\xff\xd8" or not view.startswith("@@"), (login, view)
        else:
            assert _status(browser) != 200 or b"GPS" not in raw, (login, view)
            assert raw[:2] != b"\xff\xd8", (login, view)
    for field in ("reporter_email", "reporter_name"):
        browser.open(f"{report.absolute_url()}/{field}")
        if login not in STAFF:
            assert "kowalski" not in browser.contents.lower(), (login, field)
    browser.open(report.absolute_url())
    assert ("Kowalski" in browser.contents) is (login in STAFF), login
    browser.open(f"{report.absolute_url()}/@@images/photo")
    assert _status(browser) == 200  # the public copy is public
    public = browser.contents
    assert public[:2] == b"\xff\xd8" and b"GPS" not in public


def press(browser, form_id, value):
    """Press the submit button of ``form_id`` whose value is ``value``."""
    form = browser.getForm(id=form_id)
    index = 0
    while True:
        button = form.getControl(name="transition", index=index)
        if button.value == value:
            button.click()
            return
        index += 1


def test_staff_accept_in_the_browser_and_the_public_page_shows_the_new_state(
    functional, boards, mail_server
):
    report, _token = file_report(boards["pl"], email="anna@example.org")
    mail_server.wait_for(lambda m: m["To"] == "anna@example.org")  # the receipt
    clerk = resident(functional["app"], "urzednik")
    clerk.open(report.absolute_url())
    assert "report-transitions" in clerk.contents and "anna@example.org" in clerk.contents
    press(clerk, "report-transitions", "accept")
    transaction.begin()
    assert api.content.get_state(report) == "accepted"
    mail = mail_server.wait_for(lambda m: m["Subject"].endswith(("accepted", "przyjęte")))
    assert FIRST in mail["Subject"] and report.absolute_url() in mail.get_content()
    anonymous = resident(functional["app"])
    anonymous.open(boards["pl"].absolute_url())
    assert 'data-state="accepted"' in anonymous.contents
    anonymous.open(report.absolute_url())
    assert "anna@example.org" not in anonymous.contents


def test_a_duplicate_names_its_original_publicly(functional, boards):
    original, _token = file_report(boards["pl"])
    transition(original, "accept")
    copy, _token = file_report(boards["pl"])
    transition(copy, "accept")  # a new one is moderated first
    refused = rest(
        functional["app"], "POST", f"{copy.absolute_url()}/@workflow/mark_duplicate", "urzednik"
    )
    assert refused.status_int == 400  # no original named
    clerk = resident(functional["app"], "urzednik")
    clerk.open(f"{copy.absolute_url()}/@@report-duplicate")
    clerk.getControl(name="original").value = SECOND  # itself
    clerk.getForm(id="report-duplicate-form").submit()
    assert _status(clerk) == 400 and "report-original-error" in clerk.contents
    clerk.getControl(name="original").value = original.absolute_url()
    clerk.getForm(id="report-duplicate-form").submit()
    transaction.begin()
    assert api.content.get_state(copy) == "duplicate" and copy.duplicate_of == FIRST
    anonymous = resident(functional["app"])
    anonymous.open(copy.absolute_url())
    assert anonymous.getLink(FIRST).url == original.absolute_url()
    body = rest(functional["app"], "GET", copy.absolute_url()).json
    assert body["duplicate_of"] == {"number": FIRST, "url": original.absolute_url()}


@pytest.mark.parametrize("how", ["form", "rest", "workflow", "api"])
def test_an_unmoderated_report_never_becomes_public_as_a_duplicate(functional, boards, how):
    original, _token = file_report(boards["pl"])
    transition(original, "accept")
    copy, _token = file_report(
        boards["pl"], description="Obraźliwy tekst, jeszcze niesprawdzony.", name="Jan Kowalski"
    )
    app = functional["app"]
    if how == "form":
        clerk = resident(app, "urzednik")
        clerk.open(copy.absolute_url())
        assert "report-transitions" in clerk.contents  # staff may accept or reject it …
        assert "@@report-duplicate" not in clerk.contents  # … not mark it a duplicate
        clerk.open(f"{copy.absolute_url()}/@@report-duplicate")
        clerk.getControl(name="original").value = FIRST
        clerk.getForm(id="report-duplicate-form").submit()
        assert _status(clerk) == 400 and "report-original-error" in clerk.contents
    elif how == "rest":
        url = f"{copy.absolute_url()}/@report-duplicate"
        refused = rest(app, "POST", url, "urzednik", {"original": FIRST})
        assert refused.status_int == 400
    elif how == "workflow":
        with api.env.adopt_roles(["Manager"]):
            copy.duplicate_of = FIRST
        transaction.commit()
        url = f"{copy.absolute_url()}/@workflow/mark_duplicate"
        assert rest(app, "POST", url, "urzednik").status_int == 400
    else:
        from plone.api.exc import InvalidParameterError

        from ratusz.gis.reports.workflow import mark_duplicate

        with api.env.adopt_roles(["Manager"]), pytest.raises(InvalidParameterError):
            mark_duplicate(copy, FIRST)
    transaction.abort()
    transaction.begin()
    assert api.content.get_state(copy) == "new"
    anonymous = resident(app)
    anonymous.open(copy.absolute_url())
    assert "Obraźliwy" not in anonymous.contents
    assert rest(app, "GET", copy.absolute_url()).status_int == 401
    # accepted first, it may be marked (and is public: its text was checked)
    transition(copy, "accept")
    assert (
        rest(
            app, "POST", f"{copy.absolute_url()}/@report-duplicate", "urzednik", {"original": FIRST}
        ).status_int
        == 200
    )


def test_moving_the_point_finds_the_district_again(functional, boards):
    from tests.gis.layer_helpers import create_layer

    create_layer(functional["portal"], districts=True)
    transaction.commit()
    report, _token = file_report(boards["pl"], latitude=51.72, longitude=18.02)
    assert report.district == "Śródmieście"

    def patch(body):
        response = rest(functional["app"], "PATCH", report.absolute_url(), "urzednik", body)
        assert response.status_int == 204, response.text
        transaction.begin()
        return report.district

    catalog = api.portal.get_tool("portal_catalog")
    assert patch({"geolocation": {"latitude": 51.75, "longitude": 18.35}}) == "Majków"
    assert [b.getId for b in catalog.unrestrictedSearchResults(report_district="Majków")] == [
        report.getId()
    ]
    assert not catalog.unrestrictedSearchResults(report_district="Śródmieście")
    # into the park (no district there): the old district is not kept
    assert patch({"geolocation": {"latitude": 51.75, "longitude": 18.05}}) is None
    # a district staff type is kept while the point stays …
    assert patch({"district": "Park Miejski"}) == "Park Miejski"
    assert patch({"description": "Latarnia w parku."}) == "Park Miejski"
    # … and replaced when the point moves into a district
    assert patch({"geolocation": {"latitude": 51.78, "longitude": 18.08}}) == "Śródmieście"


def test_the_triage_filters_by_state_category_and_district(functional, boards):
    first, _token = file_report(boards["pl"], category="road")
    second, _token = file_report(boards["pl"], category="waste")
    third, _token = file_report(boards["pl"], category="waste")
    with api.env.adopt_roles(["Manager"]):
        second.district = "Śródmieście"
        second.reindexObject()
    transaction.commit()
    transition(third, "accept")
    clerk = resident(functional["app"], "kierownik")
    base = f"{boards['pl'].absolute_url()}/@@reports-triage"

    def numbers(**query):
        clerk.open(f"{base}?{urlencode(query)}")
        assert _status(clerk) == 200
        page = clerk.contents
        return sorted(
            number for number in (FIRST, SECOND, f"ZG/{YEAR}/00003") if f">{number}<" in page
        )

    assert numbers() == [FIRST, SECOND, f"ZG/{YEAR}/00003"]
    assert numbers(state="new") == [FIRST, SECOND]
    assert numbers(category="waste") == [SECOND, f"ZG/{YEAR}/00003"]
    assert numbers(district="Śródmieście") == [SECOND]
    assert numbers(state="accepted", category="road") == []
    clerk.open(base)
    assert '<th scope="col"' in clerk.contents and "<caption" in clerk.contents
    counts = clerk.contents.split('id="triage-counts"')[1].split("</ul>")[0]
    assert 'data-state="new"' in counts
    assert ">2</span>" in counts.split('data-state="new"')[1].split("</li>")[0]


def test_the_triage_shows_50_reports_a_page_and_keeps_the_filters(functional, boards):
    api.portal.set_registry_record("ratusz.gis.reports.reports_per_hour", 1000)
    transaction.commit()
    for number in range(1, 57):
        file_report(boards["pl"], category="waste" if number <= 53 else "road")
    clerk = resident(functional["app"], "kierownik")
    base = f"{boards['pl'].absolute_url()}/@@reports-triage"

    def shown():
        return clerk.contents.count('<th scope="row">')

    clerk.open(f"{base}?{urlencode({'state': 'new', 'category': 'waste'})}")
    assert _status(clerk) == 200 and shown() == 50
    caption = clerk.contents.split("<caption")[1].split("</caption>")[0]
    assert "53" in caption  # every report matching, not the page's
    counts = clerk.contents.split('id="triage-counts"')[1].split("</ul>")[0]
    assert ">56</span>" in counts.split('data-state="new"')[1].split("</li>")[0]
    navigation = clerk.contents.split('id="triage-batch"')[1]
    assert "pagination" in navigation
    next_page = clerk.getLink(url="b_start:int=50")
    assert "category=waste" in next_page.url and "state=new" in next_page.url
    next_page.click()
    assert _status(clerk) == 200 and shown() == 3
    assert f">ZG/{YEAR}/00001<" in clerk.contents  # the oldest last
    clerk.open(f"{base}?b_start:int=500")  # past the end: the last page
    assert _status(clerk) == 200 and shown() == 6
    clerk.open(f"{base}?b_start=abc")
    assert _status(clerk) == 200 and shown() == 50


# --- REST --------------------------------------------------------------------------------------


def _post(app, board, body, login=None, content_type="application/json"):
    caller = Browser(app).testapp
    headers = {"Accept": "application/json", "Content-Type": content_type}
    if login:
        import base64

        from ratusz.demo import DEMO_USERS

        credentials = base64.b64encode(f"{login}:{DEMO_USERS[login][2]}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    data = json.dumps(body) if not isinstance(body, (bytes, str)) else body
    return caller.post(
        f"{board.absolute_url()}/@report-problem", data, headers=headers, expect_errors=True
    )


def test_rest_files_a_report_through_the_same_checks(functional, boards):
    import base64

    photo = {"data": base64.b64encode(jpeg_with_gps()).decode(), "filename": "a.jpg"}
    body = {
        "category": "road",
        "description": "Dziura",
        "latitude": 51.76,
        "longitude": 18.09,
        "email": "ola@example.org",
        "photo": photo,
    }
    created = _post(functional["app"], boards["pl"], body)
    assert created.status_int == 201, created.text
    assert created.json["number"] == FIRST and created.json["state"] == "new"
    token = created.json["token"]
    status = Browser(functional["app"]).testapp.get(
        f"{boards['pl'].absolute_url()}/@report-status",
        {"number": FIRST, "token": token},
        headers={"Accept": "application/json"},
    )
    assert status.json["state"] == "new" and status.json["number"] == FIRST
    assert "ola@example.org" not in status.text
    wrong = Browser(functional["app"]).testapp.get(
        f"{boards['pl'].absolute_url()}/@report-status",
        {"number": FIRST, "token": "ZZZZ-ZZZZ-ZZZZ"},
        headers={"Accept": "application/json"},
        expect_errors=True,
    )
    assert wrong.status_int == 404

    for wrong_body, field in (
        (dict(body, latitude=95), "latitude"),
        (dict(body, category="nic"), "category"),
        (dict(body, photo={"data": base64.b64encode(b"%PDF-1.4").decode()}), "photo"),
        (dict(body, photo={"data": "!!! not base64"}), "photo"),
        (dict(body, extra=1), "extra"),
    ):
        refused = _post(functional["app"], boards["pl"], wrong_body)
        assert refused.status_int == 400 and refused.json["error"]["field"] == field
    assert (
        _post(functional["app"], boards["pl"], "category=road", None, "text/plain").status_int
        == 415
    )
    assert _post(functional["app"], boards["pl"], "{not json").status_int == 400
    transaction.begin()
    assert len(boards["pl"].objectIds()) == 1


def test_category_titles_follow_the_language(functional):
    assert category_title("lighting", "en") == "Street lighting"
    assert category_title("lighting", "uk") == "Вуличне освітлення"
    assert category_title("gone", "pl") == "gone"


def test_the_reporter_hears_of_each_change_in_the_reports_language(functional, boards, mail_server):
    report, _token = file_report(boards["en"], email="ann@example.org")
    mail_server.wait_for(lambda m: m["To"] == "ann@example.org")
    mail_server.clear()
    transition(report, "accept")
    transition(report, "resolve")
    mails = [
        mail_server.wait_for(lambda m, s=s: s in str(m["Subject"]))
        for s in ("accepted", "resolved")
    ]
    assert all(m["To"] == "ann@example.org" for m in mails)
    assert "report-status" in mails[1].get_content()


def test_a_reporter_without_an_e_mail_gets_no_mail(functional, boards, mail_server):
    report, _token = file_report(boards["pl"])
    transition(report, "accept")
    assert mail_server.wait_quietly(0.5) == []


@pytest.mark.parametrize("login", ROLES)
def test_rest_marks_a_duplicate_for_staff_only(functional, boards, login):
    original, _token = file_report(boards["pl"])
    transition(original, "accept")
    copy, _token = file_report(boards["pl"])
    transition(copy, "accept")  # a new one is moderated first
    url = f"{copy.absolute_url()}/@report-duplicate"
    app = functional["app"]
    if login in STAFF:
        wrong = rest(app, "POST", url, login, {"original": "ZG/1999/00001"})
        assert wrong.status_int == 400 and wrong.json["error"]["field"] == "original"
    marked = rest(app, "POST", url, login, {"original": original.report_number})
    assert (marked.status_int == 200) is (login in STAFF), (login, marked.status_int)
    transaction.begin()
    assert (api.content.get_state(copy) == "duplicate") is (login in STAFF)
    if login in STAFF:
        assert copy.duplicate_of == FIRST
        public = rest(app, "GET", copy.absolute_url()).json
        assert public["duplicate_of"]["number"] == FIRST


def test_a_signed_in_resident_files_through_the_form_and_sees_it_only_by_token(functional, boards):
    browser = resident(functional["app"], "mieszkaniec")
    fill_form(browser, boards["pl"], latitude="", longitude="", address="Plac Zgłoszeń 7").submit()
    assert _status(browser) == 200 and FIRST in browser.contents
    transaction.begin()
    report = boards["pl"][f"zg-{YEAR}-00001"]
    assert report.reporter_user == "mieszkaniec" and report.geolocation is None
    browser.open(report.absolute_url())
    assert "Plac Zgłoszeń 7" not in browser.contents  # not public before moderation
    assert rest(functional["app"], "GET", report.absolute_url(), "mieszkaniec").status_int == 401
