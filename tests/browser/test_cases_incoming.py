"""The desk registers a walk-in letter, prints the receipt; the secretariat and the head assign
it — in a real Chromium, each page checked with axe-core (WCAG 2.1 AA)."""

from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import describe

YEAR = date.today().year


def test_a_walk_in_letter_is_registered_receipted_and_assigned(
    page, site_url, login, axe_violations
):
    login("kancelaria", "demo-kancelaria")
    page.goto(f"{site_url}/intranet/kancelaria")
    assert axe_violations() == [], describe(axe_violations())
    page.click("#ratusz-incoming-add")
    page.fill("#form-widgets-title", "Wniosek o wydanie zaświadczenia")
    page.fill("#form-widgets-sender", "Jan Kowalski")
    page.fill("#form-widgets-attachments_count", "2")
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    number = page.locator("#ratusz-incoming-number")
    expect(number).to_have_text(f"RPW/1/{YEAR}")
    assert axe_violations() == [], describe(axe_violations())

    page.click("#ratusz-incoming-receipt")
    expect(page.locator("#ratusz-receipt-number")).to_have_text(f"RPW/1/{YEAR}")
    page.emulate_media(media="print")
    expect(page.locator("#ratusz-receipt-print")).to_be_hidden()
    page.emulate_media(media="screen")
    assert axe_violations() == [], describe(axe_violations())

    page.goto(f"{site_url}/intranet/kancelaria")
    expect(page.locator("#ratusz-incoming-table tbody tr")).to_have_count(1)
    assert axe_violations() == [], describe(axe_violations())

    page.context.clear_cookies()
    login("sekretariat", "demo-sekretariat")
    page.goto(f"{site_url}/intranet/kancelaria/rpw-1-{YEAR}/@@assign")
    page.get_by_role("button", name="Dekretuj").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-assign-target")).to_have_attribute("aria-invalid", "true")
    assert axe_violations() == [], describe(axe_violations())
    page.select_option("#ratusz-assign-target", "OR")
    page.fill("#ratusz-assign-instruction", "Proszę o odpowiedź")
    page.get_by_role("button", name="Dekretuj").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-incoming-department")).to_have_text("OR — Wydział Organizacyjny")
    assert axe_violations() == [], describe(axe_violations())

    page.context.clear_cookies()
    login("kierownik", "demo-kierownik")
    page.goto(f"{site_url}/intranet/kancelaria/rpw-1-{YEAR}")
    page.click("#ratusz-incoming-assign")
    page.select_option("#ratusz-assign-target", "urzednik")
    page.get_by_role("button", name="Dekretuj").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-incoming-clerk")).to_have_text("Anna Urzędnik")
    expect(page.locator("#ratusz-incoming-history tbody tr")).to_have_count(2)
