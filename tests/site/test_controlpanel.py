"""The City settings control panel: who may open it, and what it refuses."""

import pytest
import transaction
from plone import api
from plone.testing.zope import Browser

from ratusz.demo import DEMO_USERS

FORM = "@@ratusz-city-settings"


def browser_for(app, login=None):
    browser = Browser(app)
    browser.handleErrors = False
    browser.raiseHttpErrors = False
    if login:
        password = DEMO_USERS[login][2]
        browser.addHeader("Authorization", f"Basic {login}:{password}")
    return browser


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def test_anonymous_is_sent_to_login(site):
    portal, app = site
    browser = browser_for(app)
    browser.handleErrors = True
    browser.open(f"{portal.absolute_url()}/{FORM}")
    assert "login" in browser.url
    assert "Nazwa miasta" not in browser.contents


@pytest.mark.parametrize("login", ["mieszkaniec", "urzednik", "kierownik", "redaktor"])
def test_other_roles_may_not_open_it(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.handleErrors = True
    browser.open(f"{portal.absolute_url()}/{FORM}")
    assert "form.widgets.city_name" not in browser.contents
    assert "Niewystarczające uprawnienia" in browser.contents or "login" in browser.url


def test_site_administrator_changes_the_city(site):
    portal, app = site
    browser = browser_for(app, "administrator")
    browser.open(f"{portal.absolute_url()}/{FORM}")
    browser.getControl(name="form.widgets.city_name").value = "Nowe Miasto"
    browser.getControl(name="form.widgets.primary_colour").value = "#004080"
    browser.getControl(name="form.buttons.save").click()
    assert "Zapisano zmiany" in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record("ratusz.city.city_name") == "Nowe Miasto"
    browser.open(f"{portal.absolute_url()}/pl")
    assert "Nowe Miasto" in browser.contents
    assert "--ratusz-primary:#004080" in browser.contents


@pytest.mark.parametrize(
    "field, value, error",
    [
        (
            "primary_colour",
            "red;}</style><script>alert(1)</script>",
            "Podaj kolor jako # i sześć cyfr",
        ),
        ("city_name", "<script>alert(1)</script>", "Znaki &lt; i &gt; nie są tu dozwolone."),
        ("city_name", "", "Wymagane pole nie zostało wypełnione."),
        ("city_name", "X" * 5000, "Tekst jest za długi"),
        ("email", "not-an-address", "Podaj adres e-mail"),
        ("bip_url", "javascript:alert(1)", "Podaj adres zaczynający się od https://"),
    ],
)
def test_bad_input_is_refused_in_polish_and_nothing_is_saved(site, field, value, error):
    portal, app = site
    browser = browser_for(app, "administrator")
    browser.addHeader("Accept-Language", "pl")
    browser.open(f"{portal.absolute_url()}/{FORM}")
    before = api.portal.get_registry_record(f"ratusz.city.{field}")
    browser.getControl(name="form.widgets.city_name").value = "Zmienione"
    browser.getControl(name=f"form.widgets.{field}").value = value
    browser.getControl(name="form.buttons.save").click()
    assert browser.headers["status"].startswith("200")
    assert error in browser.contents
    assert "<script>alert(1)</script>" not in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record(f"ratusz.city.{field}") == before
    assert api.portal.get_registry_record("ratusz.city.city_name") == "Przykładowo"
