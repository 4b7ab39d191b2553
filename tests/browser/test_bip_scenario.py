"""The BIP story of the issue, in a real Chromium against the WSGI server.

A BIP editor writes a resolution and submits it; the BIP administrator's
attempt to publish it without the metadata block is refused with a message
naming the missing fields; the administrator completes the metadata and
publishes, then edits the text with a change note; an anonymous visitor sees
the metadata block, the new text, the earlier version in the item's history
and the change in the site-wide change register.
"""

import re

from playwright.sync_api import expect

from ratusz.bip.demo import demo_pdf
from tests.browser.conftest import describe

SECTION = "pl/bip/prawo-lokalne/uchwaly"
TITLE = "w sprawie nazwy skweru przy ulicy Lipowej"
OLD_TEXT = "Nadaje się skwerowi nazwę Skwer Nauczycieli."
NEW_TEXT = "Nadaje się skwerowi nazwę Skwer Nauczycieli Przykładowa."
NOTE = "Poprawiono nazwę skweru"


def show_fieldset(page, fieldset_id):
    """Open the form tab holding ``#fieldset-<id>`` (pat-autotoc hides the others)."""
    tab = page.locator(f"#fieldset-{fieldset_id}")
    if not tab.is_visible():
        legend = tab.locator("legend").first.inner_text().strip()
        page.locator(".autotoc-nav a", has_text=legend).first.click()
        expect(tab).to_be_visible()


def set_rich_text(page, html_text):
    """Type into the TinyMCE editor of the ``text`` field."""
    frame = "#formfield-form-widgets-text iframe.tox-edit-area__iframe"
    page.wait_for_selector(frame, timeout=30_000)
    body = page.frame_locator(frame).locator("body")
    body.click()
    body.fill(html_text)


def run_transition(page, transition):
    """Follow the state menu's link for ``transition`` (it carries the CSRF token)."""
    link = page.locator(f"#workflow-transition-{transition}")
    expect(link).to_have_count(1)
    page.goto(link.get_attribute("href"))
    page.wait_for_load_state("load")


def switch_user(page, login, username, password):
    page.context.clear_cookies()
    login(username, password)


def test_resolution_from_draft_to_public_history(page, site_url, login, axe_violations):
    # The BIP editor writes the resolution, without the metadata block.
    login("redaktor", "demo-redaktor")
    page.goto(f"{site_url}/{SECTION}/++add++BipLegalAct")
    # The change register may not be switched off for an item.
    expect(
        page.locator("[name='form.widgets.IVersionable.versioning_enabled:list']")
    ).to_have_count(0)
    page.fill("[name='form.widgets.IBasic.title']", TITLE)
    page.select_option("[name='form.widgets.act_kind:list']", "resolution")
    page.fill("[name='form.widgets.act_number']", "XII/130/2026")
    page.fill("[name='form.widgets.act_date']", "2026-11-19")
    page.select_option("[name='form.widgets.act_body:list']", "council")
    page.set_input_files(
        "[name='form.widgets.act_file']",
        files=[{"name": "uchwala.pdf", "mimeType": "application/pdf", "buffer": demo_pdf("XII")}],
    )
    set_rich_text(page, OLD_TEXT)
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    item_url = page.url.split("?")[0].removesuffix("/view")
    assert item_url.startswith(f"{site_url}/{SECTION}/")
    expect(page.locator("#content")).to_contain_text(OLD_TEXT)
    run_transition(page, "submit")
    expect(page.locator("#workflow-transition-publish")).to_have_count(0)

    # The BIP administrator tries to publish: refused, the fields are named.
    switch_user(page, login, "sekretarz", "demo-sekretarz")
    page.goto(item_url)
    run_transition(page, "publish")
    error = page.locator(".portalMessage.error, .statusmessage-error").first
    expect(error).to_contain_text("uzupełnij metryczkę")
    for field in ("Wytworzył", "Komórka organizacyjna", "Odpowiedzialny za treść"):
        expect(error).to_contain_text(field)
    assert page.url.startswith(f"{item_url}/edit")

    # … completes the metadata block on the edit form, and publishes.
    show_fieldset(page, "bip_metadata")
    page.fill("[name='form.widgets.IBipMetadata.bip_produced_by']", "Anna Urzędnik, inspektor")
    page.fill("[name='form.widgets.IBipMetadata.bip_producing_unit']", "Biuro Rady Miasta")
    page.fill("[name='form.widgets.IBipMetadata.bip_responsible']", "Zofia Sekretarz")
    page.fill("[name='form.widgets.IBipMetadata.bip_date_produced']", "2026-11-19")
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    run_transition(page, "publish")
    expect(page.locator("#plone-contentmenu-workflow")).to_contain_text(
        re.compile("Opublikowany", re.I)
    )

    # Editing a published item needs a change note.
    page.goto(f"{item_url}/edit")
    set_rich_text(page, NEW_TEXT)
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    expect(
        page.locator(
            "#formfield-form-widgets-IVersionable-changeNote .invalid-feedback, "
            "#formfield-form-widgets-IVersionable-changeNote .fieldErrorBox"
        )
    ).not_to_have_count(0)
    set_rich_text(page, NEW_TEXT)
    page.fill("[name='form.widgets.IVersionable.changeNote']", NOTE)
    page.click("#form-buttons-save")
    page.wait_for_load_state("load")
    expect(page.locator("#content")).to_contain_text(NEW_TEXT)

    # An anonymous visitor: metadata block, new text, earlier version, register.
    page.context.clear_cookies()
    page.goto(item_url)
    metadata = page.locator("#ratusz-bip-metadata")
    expect(metadata).to_contain_text("Anna Urzędnik, inspektor")
    expect(metadata).to_contain_text("Biuro Rady Miasta")
    expect(metadata).to_contain_text("Ewa Redaktor")
    expect(metadata.locator("time").first).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(page.locator("#content")).to_contain_text(NEW_TEXT)
    assert axe_violations() == [], describe(axe_violations())

    metadata.locator("#ratusz-bip-metadata-history a").click()
    page.wait_for_load_state("load")
    history = page.locator("#bip-history-table")
    expect(history).to_contain_text(NOTE)
    expect(history.locator(".bip-history-entry")).not_to_have_count(0)
    page.locator(".bip-history-version-link").last.click()
    page.wait_for_load_state("load")
    expect(page.locator("#content")).to_contain_text(OLD_TEXT)

    page.goto(f"{site_url}/pl/bip/rejestr-zmian")
    register = page.locator("#content")
    expect(register).to_contain_text(TITLE)
    expect(register).to_contain_text(NOTE)
