"""The JRWA control panel in a real Chromium: upload, problems, list; accessible (WCAG 2.1 AA)."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import describe

DATA = Path(__file__).parents[1] / "cases" / "data"
DEMO = Path(__file__).parents[2] / "src" / "ratusz" / "cases" / "data" / "jrwa-demo.csv"


def test_administrator_sees_the_problems_then_imports_a_correct_list(
    page, site_url, login, axe_violations
):
    login("administrator", "demo-administrator")
    page.goto(f"{site_url}/@@ratusz-jrwa")
    expect(page.locator("h1")).to_have_text("JRWA (jednolity rzeczowy wykaz akt)")
    assert axe_violations() == [], describe(axe_violations())

    page.set_input_files("#ratusz-jrwa-file", str(DATA / "jrwa-gmina-pre2011.csv"))
    page.get_by_role("button", name="Importuj i zastąp wykaz").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-jrwa-problems tbody tr")).to_have_count(42)
    expect(page.locator("#ratusz-jrwa-problems tbody tr").first).to_contain_text(
        "Symbol 0050 jest już w wierszu 22."
    )
    assert axe_violations() == [], describe(axe_violations())

    page.set_input_files("#ratusz-jrwa-file", str(DEMO))
    page.get_by_role("button", name="Importuj i zastąp wykaz").click()
    page.wait_for_load_state("load")
    expect(page.locator(".portalMessage").first).to_contain_text("Zaimportowano klas JRWA: 1549.")
    expect(page.locator("#ratusz-jrwa-classes tbody tr")).to_have_count(200)
    assert axe_violations() == [], describe(axe_violations())
