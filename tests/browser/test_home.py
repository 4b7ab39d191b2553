"""What a resident and an administrator see first, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe


def test_anonymous_lands_on_polish_home_page(page, site_url):
    page.goto(site_url)
    assert page.url.rstrip("/").endswith("/plone/pl")
    assert page.get_attribute("html", "lang") == "pl"
    expect(page.locator("#content h1")).to_have_text("Przykładowo — oficjalny serwis miasta")
    expect(page.locator("#portal-logo .ratusz-city-name")).to_have_text("Przykładowo")


def test_anonymous_switches_to_english_and_ukrainian(page, site_url):
    page.goto(f"{site_url}/pl")
    page.locator("#portal-languageselector a", has_text=re.compile("English", re.I)).click()
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator("#content h1")).to_have_text("Przykładowo — the city's official website")
    expect(page.locator("#ratusz-footer")).to_contain_text("Accessibility declaration")

    page.locator("#portal-languageselector a", has_text=re.compile("Українська", re.I)).click()
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "uk"
    expect(page.locator("#content h1")).to_have_text("Пшикладово — офіційний сайт міста")
    expect(page.locator("#ratusz-footer")).to_contain_text("Декларація доступності")


def test_footer_shows_city_contact_and_legal_links(page, site_url):
    page.goto(f"{site_url}/pl")
    footer = page.locator("#ratusz-footer")
    expect(footer).to_contain_text("Urząd Miasta Przykładowo")
    expect(footer).to_contain_text("ul. Rynek 1")
    expect(footer.locator("a.ratusz-bip-link")).to_have_attribute("href", f"{site_url}/pl/bip")
    expect(footer.locator("a.ratusz-declaration-link")).to_have_attribute(
        "href", f"{site_url}/pl/deklaracja-dostepnosci"
    )
    expect(footer.locator("a.ratusz-declaration-link")).to_have_text("Deklaracja dostępności")
    expect(footer.locator(".ratusz-site-actions #siteaction-sitemap")).to_have_text("Mapa witryny")
    expect(page.locator("#portal-footer-signature")).to_have_count(0)


def test_skip_link_is_first_and_moves_focus_to_content(page, site_url):
    page.goto(f"{site_url}/pl")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Przejdź do treści głównej"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")


def test_text_size_and_contrast_switches_persist(page, site_url):
    page.goto(f"{site_url}/pl")
    html = page.locator("html")
    page.click("[data-ratusz-font-size=largest]")
    expect(html).to_have_class(re.compile(r"\bratusz-font-largest\b"))
    expect(page.locator("[data-ratusz-font-size=largest]")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.click("#ratusz-contrast-toggle")
    expect(html).to_have_class(re.compile(r"\bratusz-contrast\b"))
    expect(page.locator("#ratusz-contrast-toggle")).to_have_attribute("aria-pressed", "true")
    body_colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert body_colour == "rgb(0, 0, 0)"

    page.goto(f"{site_url}/en")
    expect(html).to_have_class(re.compile(r"\bratusz-font-largest\b"))
    expect(html).to_have_class(re.compile(r"\bratusz-contrast\b"))

    page.click("[data-ratusz-font-size=normal]")
    page.click("#ratusz-contrast-toggle")
    expect(html).not_to_have_class(re.compile(r"ratusz-(contrast|font-largest)"))


def test_administrator_logs_in_and_sees_toolbar(page, site_url, login):
    page.goto(f"{site_url}/pl")
    expect(page.locator("#edit-zone")).to_have_count(0)
    login("administrator", "demo-administrator")
    page.goto(f"{site_url}/pl")
    expect(page.locator("#edit-zone")).to_be_visible()
    expect(page.locator("#edit-zone")).to_contain_text("Marek Administrator")


def test_toolbar_history_link_has_a_name_before_scripts_run(page, site_url, login):
    # Plone leaves the link's only text, a <time>, for a script to fill; a reader
    # whose scripts are off (or not yet run) must still hear what the link is.
    login("administrator", "demo-administrator")
    page.route("**/*.js", lambda route: route.abort())
    page.goto(f"{site_url}/pl")
    expect(page.locator("#contentview-history > a")).to_have_accessible_name(
        re.compile(r"\d{4}-\d{2}-\d{2}")
    )


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_home_page_has_no_serious_accessibility_violations(
    page, site_url, axe_violations, language
):
    page.goto(f"{site_url}/{language}")
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_high_contrast_home_page_has_no_serious_accessibility_violations(
    page, site_url, axe_violations
):
    page.goto(f"{site_url}/pl")
    page.click("#ratusz-contrast-toggle")
    violations = axe_violations()
    assert violations == [], describe(violations)


def test_city_settings_form_has_no_serious_accessibility_violations(
    page, site_url, login, axe_violations
):
    login("administrator", "demo-administrator")
    page.goto(f"{site_url}/@@ratusz-city-settings")
    expect(page.locator("#form-widgets-city_name")).to_have_value("Przykładowo")
    violations = axe_violations()
    assert violations == [], describe(violations)
