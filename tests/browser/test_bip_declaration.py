"""The accessibility declaration and the request-for-information form in a real Chromium,
checked with axe-core (WCAG 2.1 A/AA: no serious or critical findings)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import describe

STRUCTURE_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-zakres",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-kontakt",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-data-sporzadzenie",
    "a11y-architektura",
    "a11y-komunikacja",
]
FORM = "pl/bip/informacje-nieudostepnione/request-information"


def test_the_footer_leads_to_an_accessible_declaration(page, site_url, axe_violations):
    page.goto(f"{site_url}/pl")
    page.locator("#ratusz-footer a.ratusz-declaration-link").click()
    page.wait_for_load_state("load")
    assert page.url == f"{site_url}/pl/deklaracja-dostepnosci"
    expect(page.locator("#content h1")).to_have_text("Deklaracja dostępności")
    for element_id in STRUCTURE_IDS:
        expect(page.locator(f"#{element_id}")).to_have_count(1)
    expect(page.locator("#a11y-data-publikacja")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d{2}-\d{2}$")
    )
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_the_english_declaration_is_accessible_too(page, site_url, axe_violations):
    page.goto(f"{site_url}/en/deklaracja-dostepnosci")
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator("#a11y-status")).to_contain_text("The website is partially compliant")
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_the_request_form_its_errors_and_its_receipt_are_accessible(page, site_url, axe_violations):
    page.goto(f"{site_url}/{FORM}")
    expect(page.locator("#ratusz-request-howto")).to_be_visible()
    # The honeypot is neither seen nor reachable by keyboard.
    expect(page.locator("#ratusz-request-website")).to_be_hidden()
    violations = axe_violations()
    assert violations == [], describe(violations)

    page.fill("#form-widgets-text", "Proszę o rejestr umów z 2025 r.")
    page.click("#form-buttons-send")
    page.wait_for_load_state("load")
    expect(page.locator(".statusmessage-error")).to_be_visible()
    expect(page.locator("#form-widgets-text")).to_have_value("Proszę o rejestr umów z 2025 r.")
    violations = axe_violations()
    assert violations == [], describe(violations)

    page.fill("#form-widgets-email", "jan.nowak@example.org")
    page.click("#form-buttons-send")
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-request-receipt .ratusz-request-number")).to_have_text(
        re.compile(r"^UDIP\.\d+\.\d{4}$")
    )
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_the_staff_list_is_accessible(page, site_url, login, axe_violations):
    page.goto(f"{site_url}/{FORM}")
    page.fill("#form-widgets-email", "ewa@example.org")
    page.fill("#form-widgets-text", "<script>window.hacked = 1</script>")
    page.click("#form-buttons-send")
    page.wait_for_load_state("load")
    login("sekretarz", "demo-sekretarz")
    page.goto(f"{site_url}/pl/bip/information-requests")
    row = page.locator("#ratusz-information-requests-table tbody tr").first
    expect(row.locator(".ratusz-request-email")).to_have_text("ewa@example.org")
    row.locator("summary").click()
    expect(row.locator(".ratusz-request-text-body")).to_have_text(
        "<script>window.hacked = 1</script>"
    )
    assert page.evaluate("window.hacked === undefined")
    violations = axe_violations()
    assert violations == [], describe(violations)
