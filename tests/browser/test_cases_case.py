"""A clerk opens a case for an assigned letter, records a delay and settles it — in a real
Chromium, each page checked with axe-core (WCAG 2.1 AA)."""

from datetime import date
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import describe

YEAR = date.today().year


def register_and_assign(page, site_url, login):
    login("kancelaria", "demo-kancelaria")
    page.goto(f"{site_url}/intranet/kancelaria/++add++IncomingItem")
    page.fill("#form-widgets-title", "Wniosek o zaświadczenie")
    page.fill("#form-widgets-sender", "Jan Kowalski")
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    item_url = page.url.split("/view")[0]
    for user, target in (("sekretariat", "OR"), ("kierownik", "urzednik")):
        page.context.clear_cookies()
        login(user, f"demo-{user}")
        page.goto(f"{item_url}/@@assign")
        page.select_option("#ratusz-assign-target", target)
        page.get_by_role("button", name="Dekretuj").click()
        page.wait_for_load_state("load")
    page.context.clear_cookies()
    return item_url


def test_a_clerk_opens_delays_and_settles_a_case(page, site_url, login, axe_violations):
    item_url = register_and_assign(page, site_url, login)
    login("urzednik", "demo-urzednik")
    page.goto(item_url)
    page.click("#ratusz-incoming-open-case")
    page.select_option("#ratusz-case-kind", "certificate")
    page.fill("#ratusz-case-jrwa", "002")
    page.get_by_role("button", name="Załóż sprawę").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-jrwa")).to_have_attribute("aria-invalid", "true")
    assert axe_violations() == [], describe(axe_violations())
    page.fill("#ratusz-case-jrwa", "0020")
    page.get_by_role("button", name="Załóż sprawę").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-sign")).to_have_text(f"OR.0020.1.{YEAR}")
    expect(page.locator("#ratusz-case-incoming a")).to_contain_text(f"RPW/1/{YEAR}")
    assert axe_violations() == [], describe(axe_violations())
    page.goto(item_url)
    expect(page.locator("#ratusz-incoming-case")).to_have_text(f"OR.0020.1.{YEAR}")
    expect(page.locator("#ratusz-incoming-open-case")).to_have_count(0)
    page.go_back()

    page.click("#ratusz-case-delay")
    page.fill("#ratusz-delay-reason", "Oczekiwanie na dokumenty z innego urzędu")
    page.fill("#ratusz-delay-date", (date.today() + timedelta(days=30)).isoformat())
    assert axe_violations() == [], describe(axe_violations())
    page.get_by_role("button", name="Zapisz zawiadomienie").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-delays li")).to_have_count(1)

    page.click("#ratusz-case-start")
    page.get_by_role("button", name="Rozpocznij prowadzenie").click()
    page.wait_for_load_state("load")
    page.click("#ratusz-case-settle")
    assert axe_violations() == [], describe(axe_violations())
    page.fill("#ratusz-case-action-text", "Wydano zaświadczenie")
    page.get_by_role("button", name="Załatw sprawę").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-settlement")).to_have_text("Wydano zaświadczenie")
    expect(page.locator("#ratusz-case-trail tbody tr")).to_have_count(5)
    assert axe_violations() == [], describe(axe_violations())

    page.goto(f"{site_url}/intranet/sprawy")
    expect(page.locator("#ratusz-cases-table tbody tr")).to_have_count(1)
    assert axe_violations() == [], describe(axe_violations())
