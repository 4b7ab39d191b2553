"""The staff directory, a department and naming a deputy in a real Chromium (WCAG 2.1 AA)."""

from datetime import date
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import describe


def test_staff_directory_and_department_pages_are_accessible(page, site_url, login, axe_violations):
    login("urzednik", "demo-urzednik")
    page.goto(f"{site_url}/intranet/wydzialy")
    expect(page.locator("#ratusz-staff-directory tbody tr")).to_have_count(6)
    assert axe_violations() == [], describe(axe_violations())
    page.get_by_role("link", name="Wydział Organizacyjny").click()
    expect(page.locator("#ratusz-department-head")).to_contain_text("Piotr Kierownik")
    expect(page.locator("#ratusz-department-deputies-link")).to_have_count(0)
    assert axe_violations() == [], describe(axe_violations())


def test_the_head_names_a_deputy_after_correcting_the_dates(page, site_url, login, axe_violations):
    login("kierownik", "demo-kierownik")
    page.goto(f"{site_url}/intranet/wydzialy/or")
    page.click("#ratusz-department-deputies-link")
    today = date.today()
    page.select_option("#ratusz-deputy", "urzednik")
    page.fill("#ratusz-deputy-start", (today + timedelta(days=3)).isoformat())
    page.fill("#ratusz-deputy-end", today.isoformat())
    page.get_by_role("button", name="Wyznacz zastępcę").click()
    page.wait_for_load_state("load")
    end = page.locator("#ratusz-deputy-end")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ratusz-deputy-end-error")).to_have_text(
        "Ostatni dzień jest wcześniejszy niż pierwszy."
    )
    assert axe_violations() == [], describe(axe_violations())

    page.fill("#ratusz-deputy-start", today.isoformat())
    page.fill("#ratusz-deputy-end", (today + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Wyznacz zastępcę").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-deputies tbody tr")).to_have_count(1)
    expect(page.locator("#ratusz-deputies tbody tr td").nth(5)).to_have_text("obowiązuje")
    assert axe_violations() == [], describe(axe_violations())

    page.goto(f"{site_url}/intranet/wydzialy/or")
    expect(page.locator(".ratusz-department-deputy")).to_contain_text("Anna Urzędnik")
