"""The BIP pages in a real Chromium: accessibility (axe-core), print, mobile."""

from datetime import date

import pytest
import transaction
from playwright.sync_api import expect
from plone import api

from tests.bip.pages_fixtures import create_item
from tests.bip.pages_fixtures import html
from tests.bip.pages_fixtures import pdf
from tests.browser.conftest import describe


@pytest.fixture
def act_url(browser_layer, site_url):
    """A published resolution with its PDF, amended by a newer one."""
    portal = browser_layer["portal"]
    resolutions = portal.pl.bip["prawo-lokalne"].uchwaly

    def act(act_id, title, number, **fields):
        return create_item(
            resolutions,
            "BipLegalAct",
            act_id,
            title,
            act_kind="resolution",
            act_number=number,
            act_date=date(2026, 1, 20),
            act_body="council",
            act_file=pdf(f"{act_id}.pdf"),
            text=html("<p>Rada Miasta postanawia ustalić opłatę targową.</p>"),
            **fields,
        )

    old = act("uchwala-v-40-2025", "Uchwała w sprawie opłaty targowej", "V/40/2025")
    new = act("uchwala-xii-120-2026", "Uchwała zmieniająca uchwałę o opłacie", "XII/120/2026")
    with api.env.adopt_roles(["Manager"]):
        api.relation.create(source=old, target=new, relationship="amended_by")
    transaction.commit()
    return f"{site_url}/pl/bip/prawo-lokalne/uchwaly/uchwala-v-40-2025"


@pytest.fixture
def section_url(browser_layer, site_url):
    """A plain section with a published page and an introduction."""
    portal = browser_layer["portal"]
    section = portal.pl.bip["kontrole"]
    section.text = html("<p>Wyniki kontroli przeprowadzonych w urzędzie.</p>")
    create_item(
        section,
        "BipPage",
        "kontrola-nik-2025",
        "Wystąpienie pokontrolne NIK 2025",
        description="Kontrola gospodarki odpadami.",
    )
    transaction.commit()
    return f"{site_url}/pl/bip/kontrole"


def test_bip_home_has_no_serious_accessibility_violations(page, site_url, axe_violations):
    page.goto(f"{site_url}/pl/bip")
    expect(page.locator("#ratusz-bip-header a.ratusz-bip-logo-link")).to_have_attribute(
        "href", "https://www.bip.gov.pl"
    )
    expect(page.locator("#ratusz-bip-header img.ratusz-bip-logo")).to_have_attribute(
        "alt", "Biuletyn Informacji Publicznej"
    )
    # The logo file loads (a broken image would hide the mandatory mark).
    assert (
        page.evaluate(
            "document.querySelector('#ratusz-bip-header img.ratusz-bip-logo').naturalWidth"
        )
        > 0
    )
    expect(page.locator("nav#ratusz-bip-menu")).to_be_visible()
    expect(page.locator("#redakcja")).to_be_visible()
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_bip_search_box_sends_the_query_to_bip_search(page, site_url):
    page.goto(f"{site_url}/pl/bip")
    page.fill("#ratusz-bip-search-text", "opłata targowa")
    page.press("#ratusz-bip-search-text", "Enter")
    page.wait_for_load_state("load")
    assert "/pl/bip/@@bip-search?SearchableText=op" in page.url


def test_section_has_no_serious_accessibility_violations(page, section_url, axe_violations):
    page.goto(section_url)
    expect(page.locator("#ratusz-bip-items .ratusz-bip-item-link")).to_have_text(
        ["Wystąpienie pokontrolne NIK 2025"]
    )
    expect(page.locator("nav#ratusz-bip-menu a[aria-current=page]")).to_have_attribute(
        "data-section", "kontrole"
    )
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_legal_act_page_has_no_serious_accessibility_violations(page, act_url, axe_violations):
    page.goto(act_url)
    expect(page.locator("#ratusz-bip-metadata")).to_be_visible()
    expect(page.locator("#ratusz-bip-metadata-entered-by dd")).to_have_text(
        "Ewa Redaktor (redaktor)"
    )
    expect(page.locator("#ratusz-bip-amended-by a")).to_have_text(
        ["Uchwała zmieniająca uchwałę o opłacie"]
    )
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_english_legal_act_page_in_high_contrast_has_no_serious_violations(
    page, site_url, browser_layer, axe_violations
):
    portal = browser_layer["portal"]
    create_item(
        portal.en.bip["local-law"].orders,
        "BipLegalAct",
        "order-45",
        "Order No 45/2026",
        act_kind="order",
        act_number="45/2026",
        act_date=date(2026, 3, 10),
        act_body="mayor",
        act_file=pdf(),
        state="archived",
    )
    transaction.commit()
    page.goto(f"{site_url}/en/bip/local-law/orders/order-45")
    expect(page.locator("#ratusz-bip-archived")).to_contain_text("Archival information")
    page.click("#ratusz-contrast-toggle")
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_printed_item_keeps_content_and_metadata_but_not_navigation(page, act_url):
    page.goto(act_url)
    page.emulate_media(media="print")
    expect(page.locator("#ratusz-bip-metadata")).to_be_visible()
    expect(page.locator("#ratusz-bip-metadata-date-published time")).to_be_visible()
    expect(page.locator("#ratusz-bip-facts")).to_be_visible()
    expect(page.locator("#content h1")).to_be_visible()
    # Navigation is no use on paper (theme/css/bip-pages.css must be linked).
    expect(page.locator("nav#ratusz-bip-menu")).to_be_hidden()
    expect(page.locator("#mainnavigation-wrapper")).to_be_hidden()
    # Nothing prevents copying: the text can be selected.
    assert page.evaluate("getComputedStyle(document.body).userSelect") != "none"
    pdf_bytes = page.pdf()
    assert pdf_bytes.startswith(b"%PDF")


def test_bip_pages_fit_a_phone_screen(page, act_url, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    for url in (f"{site_url}/pl/bip", act_url):
        page.goto(url)
        expect(page.locator("nav#ratusz-bip-menu")).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url


def test_bip_editor_sees_the_metadata_block_of_a_draft_with_dashes(
    page, site_url, browser_layer, login
):
    portal = browser_layer["portal"]
    with api.env.adopt_user(username="redaktor"):
        api.content.create(
            container=portal.pl.bip.petycje, type="BipPage", id="szkic", title="Szkic petycji"
        )
    transaction.commit()
    page.goto(f"{site_url}/pl/bip/petycje/szkic")
    expect(page.locator("#ratusz-bip-metadata")).to_have_count(0)
    login("redaktor", "demo-redaktor")
    page.goto(f"{site_url}/pl/bip/petycje/szkic")
    expect(page.locator("#ratusz-bip-metadata-produced-by dd")).to_have_text("—")
