"""A registration filed online, in a real Chromium: an anonymous resident finds "Zameldowanie"
in the catalogue of e-services, files its form with a scan of the title to the flat, gets
the receipt on the page and by mail; the clerk finds the case on the dashboard and asks the
party to supplement it; the resident hears of it by mail and reads the new state on the
tracking page, which tells nothing to a wrong key. Every page is checked with axe-core
(WCAG 2.1 AA)."""

import re
from datetime import date

import pytest
import transaction
from playwright.sync_api import expect
from plone import api

from ratusz.eservices.demo import create_demo_cards
from ratusz.eservices.submission import SUBMISSIONS
from ratusz.eservices.tracking import THROTTLE
from tests.browser.conftest import describe

YEAR = date.today().year
SIGN = f"SO.5113.1.{YEAR}"
CARD_TITLE = "Zameldowanie na pobyt stały lub czasowy"
EMAIL = "jan.kowalski@example.org"
AWAITING = "Oczekuje na uzupełnienie przez Ciebie"
KEY = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
# A real one-page PDF (a scan of the lease, as far as the office can tell).
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def catalogue_url(browser_layer, site_url):
    """The demo cards (``ratusz:demo-eservices``) in /pl/e-uslugi of the browser layer's site."""
    THROTTLE.clear()
    SUBMISSIONS.clear()
    with api.env.adopt_roles(["Manager"]):
        create_demo_cards()
    transaction.commit()
    yield f"{site_url}/pl/e-uslugi"
    THROTTLE.clear()
    SUBMISSIONS.clear()


def check_axe(axe_violations, where):
    violations = axe_violations()
    assert violations == [], f"{where}: {describe(violations)}"


def submit(page):
    page.locator("#form-buttons-submit").click()
    page.wait_for_load_state("load")


def test_a_resident_registers_online_and_follows_the_case(
    page, site_url, login, axe_violations, catalogue_url, browser_mail_server
):
    # The resident finds the service: by a word, and under the life event "Moving house".
    page.goto(catalogue_url)
    check_axe(axe_violations, "catalogue")
    page.fill("#ratusz-catalogue-q", "zameldowanie")
    page.locator("#ratusz-catalogue-search button[type=submit]").click()
    page.wait_for_load_state("load")
    cards = page.locator("#ratusz-catalogue-cards")
    expect(cards.get_by_role("link", name=CARD_TITLE)).to_be_visible()
    expect(cards.get_by_role("link", name="Skarga")).to_have_count(0)
    page.goto(catalogue_url)
    page.click("#ratusz-event-moving")
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-event-moving")).to_have_attribute("aria-current", "page")
    expect(page.locator("#ratusz-event-moving")).to_have_text("Przeprowadzka")
    check_axe(axe_violations, "catalogue, life event")
    cards.get_by_role("link", name=CARD_TITLE).click()
    page.wait_for_load_state("load")

    # The card, then its form with the information clause.
    expect(page.locator("h1")).to_contain_text(CARD_TITLE)
    expect(page.locator("#ratusz-card")).to_contain_text("Wymagane dokumenty")
    check_axe(axe_violations, "card")
    expect(page.locator("#ratusz-card-form")).to_have_text("Złóż wniosek online")
    page.click("#ratusz-card-form")
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-information-clause")).to_be_visible()
    check_axe(axe_violations, "form")

    # First try: the PESEL left out. The form says what is missing and files nothing.
    fill_the_form(page, pesel="")
    submit(page)
    expect(page.locator("#ratusz-receipt")).to_have_count(0)
    expect(page.locator(".portalMessage.statusmessage-error")).to_contain_text("Wystąpiły błędy")
    pesel_field = page.locator("#formfield-form-widgets-pesel")
    expect(pesel_field).to_have_class(re.compile(r"\berror\b"))
    expect(pesel_field.locator(".invalid-feedback, .fieldErrorBox")).not_to_be_empty()
    check_axe(axe_violations, "form with errors")

    # Second try: everything given, a real PDF as the scan of the title to the flat.
    fill_the_form(page)
    submit(page)
    receipt = page.locator("#ratusz-receipt")
    expect(receipt).to_be_visible()
    expect(receipt).to_contain_text(SIGN)
    key = page.locator("#ratusz-receipt-key").inner_text().strip()
    assert KEY.match(key), key
    expect(receipt).to_contain_text("tytul-prawny.pdf")
    check_axe(axe_violations, "receipt")

    mail = browser_mail_server.wait_for(lambda m: m["To"] == EMAIL and SIGN in m["Subject"])
    assert key in mail.get_content()

    # The clerk of SO finds the case on the dashboard and asks the party for a supplement.
    page.context.clear_cookies()
    login("urzednik", "demo-urzednik")
    page.goto(f"{site_url}/intranet/@@dashboard")
    expect(page.locator("#ratusz-tab-assigned_to_me")).to_have_attribute("aria-current", "page")
    link = page.locator("#ratusz-dashboard").get_by_role("link", name=SIGN)
    expect(link).to_be_visible()
    check_axe(axe_violations, "dashboard")
    link.click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-sign")).to_have_text(SIGN)
    expect(page.locator("#ratusz-case-parties")).to_contain_text("Jan Kowalski")
    check_axe(axe_violations, "case")
    case_step(page, "start", "Rozpocznij prowadzenie")
    before = {id(message) for message in browser_mail_server.messages}
    case_step(page, "request_supplement", "Wezwij stronę do uzupełnienia", "Brak podpisu.")
    expect(page.locator("#ratusz-case-request_supplement")).to_have_count(0)
    expect(page.locator("#ratusz-case-supplement_received")).to_be_visible()

    # The applicant hears of the new state by mail (issue 5: mails of each public step).
    news = browser_mail_server.wait_for(
        lambda m: id(m) not in before and m["To"] == EMAIL and SIGN in m["Subject"]
    )
    assert SIGN in news["Subject"]

    # The resident follows the case with the sign and the key.
    page.context.clear_cookies()
    page.goto(f"{site_url}/pl/status-sprawy")
    expect(page.locator("#ratusz-status")).to_have_count(0)
    check_axe(axe_violations, "tracking, empty")
    page.fill("#ratusz-status-sign", SIGN)
    page.fill("#ratusz-status-key", key)
    page.locator("#ratusz-status-form button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-status-state")).to_have_text(AWAITING)
    expect(page.locator("#ratusz-status-history li")).to_have_count(3)
    status = page.locator("#ratusz-status").inner_text()
    for private in ("Kowalski", "Urzędnik", "urzednik", "Brak podpisu", "tytul-prawny"):
        assert private not in status, private
    check_axe(axe_violations, "tracking, result")

    # A wrong key: the error, and nothing of the case.
    page.fill("#ratusz-status-sign", SIGN)
    page.fill("#ratusz-status-key", "AAAA-BBBB-CCCC")
    page.locator("#ratusz-status-form button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-status-error")).to_contain_text(
        "Nie znaleziono sprawy o tym znaku i kluczu śledzenia"
    )
    expect(page.locator("#ratusz-status")).to_have_count(0)
    expect(page.locator("#content")).not_to_contain_text(AWAITING)
    expect(page.locator("#content")).not_to_contain_text("Zameldowanie")
    check_axe(axe_violations, "tracking, error")


def fill_the_form(page, pesel="85010112345"):
    """The zameldowanie form of data/cards.json: every required field, the acknowledgement."""
    page.fill("#form-widgets-applicant_name", "Jan Kowalski")
    page.fill("#form-widgets-applicant_email", EMAIL)
    page.fill("#form-widgets-applicant_address", "ul. Długa 1/2, 00-001 Przykładowo")
    page.fill("#form-widgets-pesel", pesel)
    page.select_option("#form-widgets-stay_type", label="pobyt stały")
    page.fill("#form-widgets-new_address", "ul. Krótka 5/7, 00-002 Przykładowo")
    page.fill("#form-widgets-arrival_date", f"{YEAR}-01-15")
    page.set_input_files(
        "#form-widgets-document_scan-input",
        files=[{"name": "tytul-prawny.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.check("#form-widgets-ratusz_privacy_acknowledged-0")


def case_step(page, transition, button, comment=None):
    """A step of the case's workflow from the case page: its link, the comment, the button."""
    page.click(f"#ratusz-case-{transition}")
    page.wait_for_load_state("load")
    if comment:
        page.fill("#ratusz-case-action-text", comment)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
