"""The Open311 keys panel in a real Chromium: a site administrator issues a key, sees it
once, revokes it; the page has no serious accessibility findings."""

import requests
import transaction
from playwright.sync_api import expect
from plone import api

from ratusz.gis.open311.store import remove_open311_store
from ratusz.gis.reports.structure import create_boards
from tests.browser.conftest import describe


def test_an_administrator_issues_and_revokes_a_key_and_the_panel_passes_axe(
    page, site_url, login, axe_violations, browser_layer
):
    with api.env.adopt_roles(["Manager"]):
        create_boards(browser_layer["portal"])
    transaction.commit()
    login("administrator", "demo-administrator")
    page.goto(f"{site_url}/@@ratusz-open311-keys")
    expect(page.locator("h1")).to_be_visible()
    violations = axe_violations()
    assert violations == [], describe(violations)

    page.fill("#ratusz-open311-name", "Naprawmy.to")
    page.fill("#ratusz-open311-owner", "kontakt@naprawmy.to")
    page.click("button[name='form.buttons.issue']")
    page.wait_for_load_state("load")
    key = page.locator("#ratusz-open311-key-value").input_value()
    assert key.startswith("o311-")
    expect(page.locator("#ratusz-open311-keys table")).to_contain_text("Naprawmy.to")
    violations = axe_violations()
    assert violations == [], describe(violations)

    # the key files nothing wrong: a request without a description is a 400, not a 403
    answer = requests.post(
        f"{site_url}/open311/v2/requests.json",
        data={"api_key": key, "service_code": "lighting", "lat": "51.76", "long": "18.09"},
        timeout=30,
    )
    assert answer.status_code == 400
    assert answer.json()[0]["description"].startswith("description: ")

    page.click("#ratusz-open311-keys button[name='form.buttons.revoke']")
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-open311-keys button[name='form.buttons.revoke']")).to_have_count(0)
    assert page.locator("#ratusz-open311-key-value").count() == 0
    refused = requests.post(
        f"{site_url}/open311/v2/requests.json",
        data={"api_key": key, "service_code": "lighting", "lat": "51.76", "long": "18.09"},
        timeout=30,
    )
    assert refused.status_code == 403

    remove_open311_store(browser_layer["portal"])
    transaction.commit()
