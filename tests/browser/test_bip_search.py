"""The BIP registers and the search in a real Chromium: usable and WCAG 2.1 AA (axe-core)."""

import re

import pytest
import transaction
from playwright.sync_api import expect

from tests.bip.listings_fixtures import create_register_content
from tests.browser.conftest import describe


@pytest.fixture(scope="class")
def bip_site(browser_layer_class):
    """The demo site with acts, announcements etc., committed so the WSGI server sees them."""
    browser_layer_class.testSetUp()
    try:
        items = create_register_content(browser_layer_class["portal"])
        transaction.commit()
        host, port = browser_layer_class["host"], browser_layer_class["port"]
        yield f"http://{host}:{port}/plone", items
    finally:
        browser_layer_class.testTearDown()


def row_ids(page):
    urls = page.locator("tr.bip-register-row").evaluate_all(
        "rows => rows.map(row => row.dataset.url)"
    )
    return [url.rsplit("/", 1)[-1] for url in urls]


class TestRegisterAndSearchInTheBrowser:
    def test_register_of_resolutions_is_accessible(self, page, bip_site, axe_violations):
        url, items = bip_site
        page.goto(f"{url}/pl/bip/prawo-lokalne/uchwaly/@@bip-register")
        expect(page.locator("tr.bip-register-row")).to_have_count(3)
        expect(page.locator("h2.bip-register-year").first).to_have_text("2026")
        violations = axe_violations()
        assert violations == [], describe(violations)

    def test_reader_filters_and_sorts_the_register(self, page, bip_site):
        url, items = bip_site
        page.goto(f"{url}/pl/bip/prawo-lokalne/uchwaly/@@bip-register")
        page.select_option("#bip-register-body", "council")
        page.click("#bip-register-filters button[type=submit]")
        page.wait_for_load_state("load")
        assert "body=council" in page.url
        assert row_ids(page) == [items["budget"].getId(), items["water"].getId()]

        page.click("th[data-column=number] a")
        page.wait_for_load_state("load")
        expect(page.locator("th[data-column=number]")).to_have_attribute("aria-sort", "ascending")
        assert row_ids(page) == [items["water"].getId(), items["budget"].getId()]

        page.click("#bip-register-archive-link")
        page.wait_for_load_state("load")
        assert row_ids(page) == [items["streets"].getId()]

    def test_register_with_a_refused_filter_is_accessible(self, page, bip_site, axe_violations):
        url, items = bip_site
        page.goto(f"{url}/pl/bip/prawo-lokalne/uchwaly/@@bip-register?year=abc&sort_on=x")
        expect(page.locator(".bip-register-notes")).to_be_visible()
        violations = axe_violations()
        assert violations == [], describe(violations)

    def test_search_results_are_accessible(self, page, bip_site, axe_violations):
        url, items = bip_site
        page.goto(f"{url}/pl/bip/@@bip-search")
        page.fill("#bip-search-text", "sprawie")
        page.click("#bip-search-submit")
        page.wait_for_load_state("load")
        expect(page.locator("#bip-search-count .bip-search-count-number")).to_have_text("4")
        expect(page.locator("li.bip-search-result")).to_have_count(4)
        expect(page.locator(".bip-archival-badge")).to_have_count(1)
        violations = axe_violations()
        assert violations == [], describe(violations)

    def test_search_narrowed_to_a_type_and_year(self, page, bip_site, axe_violations):
        url, items = bip_site
        page.goto(f"{url}/pl/bip/@@bip-search")
        page.select_option("#bip-search-type", "BipAssetDeclaration")
        page.select_option("#bip-search-year", "2025")
        page.click("#bip-search-submit")
        page.wait_for_load_state("load")
        assert re.search(r"portal_type=BipAssetDeclaration", page.url)
        expect(page.locator("li.bip-search-result")).to_have_count(1)
        expect(page.locator("li.bip-search-result h3 a")).to_have_text(items["declaration"].title)
        violations = axe_violations()
        assert violations == [], describe(violations)

    def test_search_without_results_is_accessible(self, page, bip_site, axe_violations):
        url, items = bip_site
        page.goto(f"{url}/pl/bip/@@bip-search?SearchableText=AND%20(%22&status=%3Cb%3E")
        expect(page.locator(".bip-search-empty")).to_be_visible()
        violations = axe_violations()
        assert violations == [], describe(violations)
