"""The BIP audit log in a real Chromium: readable, filterable, accessible (WCAG 2.1 AA)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import describe

LOG = "pl/bip/@@bip-audit-log"


def test_bip_administrator_reads_and_filters_the_log(page, site_url, login, axe_violations):
    login("sekretarz", "demo-sekretarz")
    page.goto(f"{site_url}/{LOG}")
    table = page.locator("#bip-audit-table")
    expect(table).to_be_visible()
    # The install published the BIP sections: those changes are the first entries.
    expect(table.locator("tr.bip-audit-change").first).to_be_visible()
    expect(table.locator("time").first).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
    )
    assert axe_violations() == [], describe(axe_violations())

    page.select_option("#bip-audit-outcome", "refused")
    page.locator("#bip-audit-filter button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "outcome=refused" in page.url
    expect(page.locator("tr.bip-audit-change")).to_have_count(0)


def test_wrong_dates_are_explained_accessibly(page, site_url, login, axe_violations):
    login("sekretarz", "demo-sekretarz")
    page.goto(f"{site_url}/{LOG}?start=2026-05-01&end=2026-04-01")
    end = page.locator("#bip-audit-end")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_have_attribute("aria-describedby", "bip-audit-end-error")
    expect(page.locator("#bip-audit-end-error")).to_be_visible()
    assert axe_violations() == [], describe(axe_violations())


def test_anonymous_is_sent_to_log_in(page, site_url):
    page.goto(f"{site_url}/{LOG}")
    expect(page.locator("#bip-audit-table")).to_have_count(0)
    assert "login" in page.url or "require_login" in page.url
