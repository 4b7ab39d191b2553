"""Citizen reports in a real Chromium: an anonymous resident files a report by clicking the
map and gets its number; a clerk accepts it; the public reports page and its map then show it
in its new state. The form, the receipt and the reports page have no serious accessibility
findings."""

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import transaction
from playwright.sync_api import expect
from plone import api

from ratusz.gis.reports.create import REPORTS
from ratusz.gis.reports.structure import BOARD_IDS
from ratusz.gis.reports.structure import create_boards
from tests.browser.conftest import describe

TILES = ("**/tile.openstreetmap.org/**", "**/mapy.geoportal.gov.pl/**")


@pytest.fixture
def board_url(browser_layer, site_url):
    portal = browser_layer["portal"]
    existed = {language: board_id in portal[language] for language, board_id in BOARD_IDS.items()}
    REPORTS.clear()
    with api.env.adopt_roles(["Manager"]):
        create_boards(portal)
    transaction.commit()
    yield f"{site_url}/pl/zgloszenia"
    transaction.begin()  # see what the browser's requests committed
    with api.env.adopt_roles(["Manager"]):
        for language, board_id in BOARD_IDS.items():
            board = portal[language][board_id]
            for report_id in list(board.objectIds()):
                api.content.delete(board[report_id], check_linkintegrity=False)
            if not existed[language]:
                api.content.delete(board, check_linkintegrity=False)
    transaction.commit()


def block_tiles(page):
    for pattern in TILES:
        page.route(pattern, lambda route: route.abort())


def test_a_resident_reports_by_clicking_the_map_and_staff_accept_it(
    page, chromium, board_url, site_url, axe_violations
):
    block_tiles(page)  # offline: the picker works without the background
    page.goto(board_url)
    expect(page.locator("#ratusz-reports-none")).to_be_visible()
    page.click("#ratusz-report-problem")
    expect(page.locator("h1")).to_have_text(re.compile("Zgłoś problem|Report a problem"))
    violations = axe_violations()
    assert violations == [], describe(violations)

    the_map = page.locator("#report-form .ratusz-map")
    expect(the_map).to_be_visible()
    page.wait_for_selector("#report-form .ratusz-map.leaflet-container")
    box = the_map.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    expect(page.locator("#report-latitude")).not_to_have_value("")
    expect(page.locator("#report-longitude")).not_to_have_value("")
    latitude = float(page.input_value("#report-latitude"))
    longitude = float(page.input_value("#report-longitude"))
    assert -90 <= latitude <= 90 and -180 <= longitude <= 180
    page.select_option("#report-category", "lighting")
    page.fill("#report-description", "Nie świeci latarnia <b>przy szkole</b>.")
    page.check("#report-acknowledged")
    page.click("#report-submit")

    number = page.locator("#report-number")
    expect(number).to_have_text(re.compile(r"^ZG/\d{4}/\d{5}$"))
    expect(page.locator("#report-token")).to_have_text(re.compile(r"^[A-Z2-9]{4}-"))
    the_number = number.inner_text()
    violations = axe_violations()
    assert violations == [], describe(violations)

    # Not public yet: moderation first.
    page.goto(board_url)
    expect(page.locator("#ratusz-reports-list")).to_have_count(0)

    # A clerk accepts it in the browser.
    clerk = chromium.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    staff = clerk.new_page()
    staff.set_default_timeout(30_000)
    staff.goto(f"{site_url}/login")
    staff.fill("#__ac_name", "urzednik")
    staff.fill("#__ac_password", "demo-urzednik")
    staff.click("#buttons-login")
    staff.wait_for_load_state("networkidle")
    staff.goto(f"{board_url}/@@reports-triage?state=new")
    staff.get_by_role("link", name=the_number).click()
    expect(staff.locator("#report-description")).to_contain_text("<b>przy szkole</b>")
    staff.click("#report-transition-accept")
    expect(staff.locator("#report-state")).to_have_text(re.compile("Przyjęte|Accepted"))
    clerk.close()

    # The public page lists it, accepted, and its map shows the marker.
    page.goto(board_url)
    item = page.locator("#ratusz-reports-list li", has_text=the_number)
    expect(item).to_have_attribute("data-state", "accepted")
    expect(item.locator(".ratusz-report-state")).to_have_text(re.compile("Przyjęte|Accepted"))
    expect(item).to_contain_text("<b>przy szkole</b>")  # shown as text, never as markup
    page.wait_for_selector(".ratusz-map[data-loaded='1']")
    expect(page.locator(".ratusz-map .leaflet-marker-icon")).to_have_count(1)
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_the_form_says_what_is_wrong_at_the_field(page, board_url, axe_violations):
    block_tiles(page)
    page.goto(f"{board_url}/@@report-problem")
    page.fill("#report-latitude", "95")
    page.fill("#report-longitude", "18")
    page.select_option("#report-category", "road")
    page.fill("#report-description", "Dziura")
    page.check("#report-acknowledged")
    page.click("#report-submit")
    expect(page.locator("#report-latitude-error")).to_be_visible()
    expect(page.locator("#report-latitude")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#report-errors a[href='#report-latitude']")).to_be_visible()
    expect(page.locator("#report-description")).to_have_value("Dziura")
    violations = axe_violations()
    assert violations == [], describe(violations)


def file_over_rest(board_url, number):
    body = json.dumps(
        {
            "category": "waste",
            "description": f"Dzikie wysypisko nr {number}",
            "latitude": 51.76,
            "longitude": 18.09,
        }
    ).encode()
    request = urllib.request.Request(
        f"{board_url}/@report-problem",
        data=body,
        method="POST",
        headers={"Accept": "application/json", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())["number"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:1500]


def test_reports_filed_at_once_get_distinct_consecutive_numbers(board_url, browser_layer):
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: file_over_rest(board_url, n), range(12)))
    assert [result for result in results if result[0] != 201] == []
    running = sorted(int(number.rsplit("/", 1)[1]) for _status, number in results)
    assert running == list(range(running[0], running[0] + 12))
    transaction.begin()
    board = browser_layer["portal"].pl.zgloszenia
    assert len(board.objectIds()) == 12


def test_staff_page_through_the_triage_with_the_filter_kept(
    page, board_url, browser_layer, login, axe_violations
):
    from ratusz.gis.reports.create import create_report

    board = browser_layer["portal"].pl.zgloszenia
    for number in range(52):
        create_report(
            board,
            "waste",
            f"Przepełniony kosz nr {number}.",
            address="Rynek 1",
            client=f"198.51.100.{number}",
        )
    transaction.commit()
    login("urzednik", "demo-urzednik")
    page.goto(f"{board_url}/@@reports-triage?state=new&category=waste")
    rows = page.locator("#triage-table tbody tr")
    expect(rows).to_have_count(50)
    navigation = page.locator("#triage-batch nav")
    expect(navigation).to_be_visible()
    violations = axe_violations()
    assert violations == [], describe(violations)
    navigation.get_by_role("link", name=re.compile("2")).first.click()
    expect(rows).to_have_count(2)
    assert "category=waste" in page.url and "state=new" in page.url
    expect(page.locator("#triage-state")).to_have_value("new")
    expect(page.locator("#triage-counts [data-state='new'] .ratusz-count")).to_have_text("52")
