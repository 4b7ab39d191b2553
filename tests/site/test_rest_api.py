"""City settings and the coat of arms over real HTTP (the WSGI server layer)."""

import base64

import pytest
import requests
import transaction
from plone import api
from plone.formwidget.namedfile.converter import b64encode_file

from ratusz.demo import DEMO_USERS

HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def site(browser_layer):
    return f"http://{browser_layer['host']}:{browser_layer['port']}/plone", browser_layer["portal"]


def auth(login):
    return (login, DEMO_USERS[login][2]) if login else None


def panel(url):
    return f"{url}/++api++/@controlpanels/ratusz-city-settings"


def test_administrator_reads_the_settings(site):
    url, _portal = site
    answer = requests.get(panel(url), headers=HEADERS, auth=auth("administrator"), timeout=30)
    assert answer.status_code == 200
    data = answer.json()
    assert data["data"]["city_name"] == "Przykładowo"
    assert data["data"]["primary_colour"] == "#8b1a1a"
    assert data["schema"]["properties"]["city_name"]["title"]


@pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik", "redaktor"])
def test_others_may_neither_read_nor_change_the_settings(site, login):
    url, _portal = site
    read = requests.get(panel(url), headers=HEADERS, auth=auth(login), timeout=30)
    assert read.status_code == 401
    change = requests.patch(
        panel(url), json={"city_name": "Przejęte"}, headers=HEADERS, auth=auth(login), timeout=30
    )
    assert change.status_code == 401
    transaction.begin()
    assert api.portal.get_registry_record("ratusz.city.city_name") == "Przykładowo"


def test_administrator_changes_the_colour(site):
    url, _portal = site
    answer = requests.patch(
        panel(url),
        json={"primary_colour": "#004080"},
        headers=HEADERS,
        auth=auth("administrator"),
        timeout=30,
    )
    assert answer.status_code == 204
    home = requests.get(f"{url}/pl", timeout=30).text
    assert "--ratusz-primary:#004080" in home


@pytest.mark.parametrize(
    "field, value",
    [
        ("primary_colour", "red;}</style><script>alert(1)</script>"),
        ("city_name", "<img src=x onerror=alert(1)>"),
        ("bip_url", "javascript:alert(1)"),
        ("email", "nobody"),
        ("city_name", "X" * 100_000),
    ],
)
def test_hostile_values_are_refused_and_nothing_is_saved(site, field, value):
    url, _portal = site
    answer = requests.patch(
        panel(url),
        json={"office_name": "Zmienione", field: value},
        headers=HEADERS,
        auth=auth("administrator"),
        timeout=30,
    )
    assert answer.status_code == 400
    assert "<script>" not in answer.text
    home = requests.get(f"{url}/pl", timeout=30).text
    assert "Zmienione" not in home
    assert "alert(1)" not in home


def test_malformed_coat_of_arms_falls_back_to_the_default(site):
    url, _portal = site
    api.portal.set_registry_record("ratusz.city.coat_of_arms", b"not base64 at all")
    transaction.commit()
    answer = requests.get(f"{url}/@@ratusz-coat-of-arms", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert requests.get(f"{url}/pl", timeout=30).status_code == 200


def test_links_written_around_the_form_are_checked_again(site):
    url, _portal = site
    api.portal.set_registry_record("ratusz.city.bip_url", "javascript:alert(1)")
    api.portal.set_registry_record("ratusz.city.email", "urzad@x.pl?bcc=spy@evil.example")
    transaction.commit()
    home = requests.get(f"{url}/pl", timeout=30).text
    assert "javascript:alert" not in home
    assert f'href="{url}/pl/bip"' in home
    assert "bcc=spy" not in home


def set_coat_of_arms(filename, data):
    api.portal.set_registry_record("ratusz.city.coat_of_arms", b64encode_file(filename, data))
    transaction.commit()


def test_default_coat_of_arms_is_an_svg(site):
    url, _portal = site
    answer = requests.get(f"{url}/@@ratusz-coat-of-arms", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert answer.content.startswith(b"<svg")


def test_uploaded_png_is_served(site):
    url, _portal = site
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    set_coat_of_arms("herb.png", png)
    answer = requests.get(f"{url}/@@ratusz-coat-of-arms", timeout=30)
    assert answer.headers["Content-Type"].startswith("image/png")
    assert answer.content == png


def test_svg_with_script_cannot_run_it(site):
    url, _portal = site
    set_coat_of_arms(
        "herb.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    answer = requests.get(f"{url}/@@ratusz-coat-of-arms", timeout=30)
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_file_that_is_not_an_image_is_not_served(site):
    url, _portal = site
    set_coat_of_arms("herb.html", b"<html><script>alert(1)</script></html>")
    answer = requests.get(f"{url}/@@ratusz-coat-of-arms", timeout=30)
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert b"alert" not in answer.content
