"""The change register and an item's history in a real Chromium, as an anonymous
visitor reads them, with axe-core (WCAG 2.1 AA: no serious or critical findings)."""

import pytest
import transaction
from playwright.sync_api import expect

from tests.bip.helpers import edit
from tests.bip.helpers import make_act
from tests.bip.helpers import make_published_act
from tests.browser.conftest import describe

HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"


@pytest.fixture
def act(browser_layer):
    act = make_published_act(title="Uchwała o parkach", staff=True)
    edit(act, note=f"Dodano paragraf {HOSTILE}", by="redaktor", act_number="I/5/2026")
    make_act(title="Projekt niepubliczny", editor="redaktor")
    transaction.commit()
    return act


def test_anonymous_reads_the_register_and_filters_it(page, site_url, act, axe_violations):
    page.goto(f"{site_url}/pl/bip/rejestr-zmian")
    table = page.locator("#bip-register-table")
    expect(table).to_be_visible()
    rows = table.locator(f"tr.bip-register-entry[data-uid='{act.UID()}']")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".bip-register-note")).to_have_text(f"Dodano paragraf {HOSTILE}")
    expect(page.locator("text=Projekt niepubliczny")).to_have_count(0)
    assert page.title() != "pwned"
    feed = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", f"{site_url}/pl/bip/rejestr-zmian.atom")
    assert not (violations := axe_violations()), describe(violations)

    page.select_option("#bip-register-section", "prawo-lokalne")
    page.click("#bip-register-submit")
    page.wait_for_load_state("load")
    assert "section=prawo-lokalne" in page.url
    expect(page.locator("tr.bip-register-entry")).to_have_count(2)
    expect(page.locator("#bip-register-section")).to_have_value("prawo-lokalne")


def test_wrong_filter_is_explained_accessibly(page, site_url, act, axe_violations):
    page.goto(f"{site_url}/pl/bip/rejestr-zmian?from=2026-02-30")
    expect(page.locator("#bip-register-errors[role=alert]")).to_be_visible()
    expect(page.locator("#bip-register-from")).to_have_attribute("aria-invalid", "true")
    assert not (violations := axe_violations()), describe(violations)


def test_anonymous_reads_the_history_and_an_earlier_version(page, site_url, act, axe_violations):
    page.goto(f"{act.absolute_url()}/@@bip-history")
    entries = page.locator("tr.bip-history-entry")
    expect(entries).to_have_count(2)
    expect(entries.first.locator(".bip-history-who")).to_have_text("Ewa Redaktor")
    assert page.title() != "pwned"
    assert not (violations := axe_violations()), describe(violations)

    entries.first.locator("a.bip-history-version-link").click()
    page.wait_for_load_state("load")
    expect(page.locator("#bip-version-notice")).to_be_visible()
    expect(page.locator(".bip-diff ins").first).to_contain_text("I/5/2026")
    expect(page.locator(".bip-diff del").first).to_contain_text("I/1/2026")
    assert not (violations := axe_violations()), describe(violations)
