"""The BIP settings control panel: who may open it, what it refuses, where it shows."""

import pytest
import transaction
from lxml import html as lxml_html
from plone import api

from ratusz.demo import DEMO_USERS
from tests.bip.pages_fixtures import browser_for

FORM = "@@ratusz-bip-settings"
FIELDS = ("editorial_office", "editor_name", "editor_phone", "editor_email", "administrator_email")


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def saved(field):
    transaction.begin()  # see what the server committed
    return api.portal.get_registry_record(f"ratusz.bip.{field}")


def test_anonymous_is_sent_to_login(site):
    portal, app = site
    browser = browser_for(app)
    browser.handleErrors = True
    browser.open(f"{portal.absolute_url()}/{FORM}")
    assert "form.widgets.editor_name" not in browser.contents
    assert "login" in browser.url or browser.headers["status"].startswith(("401", "403"))


@pytest.mark.parametrize("login", ["mieszkaniec", "urzednik", "kierownik", "redaktor"])
def test_citizens_clerks_and_bip_editors_may_not_open_it(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.handleErrors = True
    browser.open(f"{portal.absolute_url()}/{FORM}")
    assert "form.widgets.editor_name" not in browser.contents
    assert "insufficient-privileges" in browser.url or "login" in browser.url


@pytest.mark.parametrize("login", ["sekretarz", "administrator"])
def test_bip_and_site_administrators_change_the_editorial_office(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/{FORM}")
    assert browser.headers["status"].startswith("200")
    browser.getControl(
        name="form.widgets.editorial_office"
    ).value = "Redakcja BIP\nul. Ratuszowa 5, 99-999 Przykładowo"
    browser.getControl(name="form.widgets.editor_name").value = "Adam Redaktor, inspektor"
    browser.getControl(name="form.widgets.editor_phone").value = "+48 99 765 43 21"
    browser.getControl(name="form.widgets.editor_email").value = "redakcja@przykladowo.example"
    browser.getControl(name="form.buttons.save").click()
    assert browser.headers["status"].startswith("200")
    assert saved("editor_name") == "Adam Redaktor, inspektor"

    browser.open(f"{portal.absolute_url()}/pl/bip")
    tree = lxml_html.fromstring(browser.contents)
    editorial = tree.cssselect("section#redakcja")[0]
    assert "ul. Ratuszowa 5, 99-999 Przykładowo" in editorial.text_content()
    assert "Adam Redaktor, inspektor" in editorial.text_content()
    assert editorial.cssselect("a.ratusz-bip-editor-phone")[0].get("href") == "tel:+48997654321"
    assert (
        editorial.cssselect("a.ratusz-bip-editor-email")[0].get("href")
        == "mailto:redakcja@przykladowo.example"
    )


@pytest.mark.parametrize("login", ["sekretarz", "administrator"])
def test_bip_home_links_the_settings_for_those_who_may_change_them(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/pl/bip")
    link = lxml_html.fromstring(browser.contents).cssselect("#ratusz-bip-settings-link")
    assert link[0].get("href") == f"{portal.absolute_url()}/{FORM}"


@pytest.mark.parametrize("login", [None, "mieszkaniec", "redaktor"])
def test_bip_home_hides_the_settings_link_from_others(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/pl/bip")
    assert not lxml_html.fromstring(browser.contents).cssselect("#ratusz-bip-settings-link")


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("editorial_office", "<script>alert(1)</script>", "The characters < and > are not allowed"),
        ("editor_name", '<img src=x onerror="alert(1)">', "The characters < and > are not allowed"),
        ("editor_phone", "<b>123</b>", "The characters < and > are not allowed"),
        ("editorial_office", "X" * 100_000, "Value is too long"),
        ("editor_name", "", "Required input is missing."),
        ("editor_email", "not-an-address", "Enter an e-mail address"),
        ("editor_email", "bip@x.pl?bcc=spy@evil.example", "Enter an e-mail address"),
        ("administrator_email", "a@b.pl\r\nBcc: spy@evil.example", "Enter an e-mail address"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(site, field, value, error):
    portal, app = site
    before = {name: api.portal.get_registry_record(f"ratusz.bip.{name}") for name in FIELDS}
    browser = browser_for(app, "sekretarz", language="en")
    browser.open(f"{portal.absolute_url()}/{FORM}?set_language=en")
    browser.getControl(name="form.widgets.editor_name").value = "Zmienione"
    browser.getControl(name=f"form.widgets.{field}").value = value
    browser.getControl(name="form.buttons.save").click()
    assert browser.headers["status"].startswith("200")
    tree = lxml_html.fromstring(browser.contents)
    messages = " ".join(el.text_content() for el in tree.cssselect(".invalid-feedback, .error"))
    assert error in messages
    assert not [s for s in tree.cssselect("script") if "alert(1)" in (s.text or "")]
    assert not tree.cssselect("img[onerror]")
    for name in FIELDS:
        assert saved(name) == before[name], name


def rest_client(app, login):
    """A webtest client on the Zope app, logged in as ``login`` (PATCH needs more than
    zope.testbrowser offers)."""
    client = browser_for(app).testapp
    client.authorization = ("Basic", (login, DEMO_USERS[login][2]))
    return client


REST_URL = "/plone/++api++/@controlpanels/ratusz-bip-settings"


def test_site_administrator_changes_it_through_the_rest_api(site):
    portal, app = site
    client = rest_client(app, "administrator")
    shown = client.get(REST_URL, headers={"Accept": "application/json"}).json
    assert shown["data"]["editor_email"] == "bip@przykladowo.example"
    answer = client.patch_json(
        REST_URL, {"editor_name": "Ola Nowa"}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 204
    assert saved("editor_name") == "Ola Nowa"


def test_rest_api_refuses_markup_and_saves_nothing(site):
    portal, app = site
    client = rest_client(app, "administrator")
    answer = client.patch_json(
        REST_URL,
        {"editor_name": "Ola", "editor_phone": "<script>alert(1)</script>"},
        headers={"Accept": "application/json"},
        expect_errors=True,
    )
    assert answer.status_code == 400
    assert saved("editor_phone") == "+48 99 123 45 60"
    assert saved("editor_name") == "Zofia Sekretarz, Sekretarz Miasta"


@pytest.mark.parametrize("login", ["mieszkaniec", "redaktor"])
def test_rest_api_refuses_other_roles(site, login):
    portal, app = site
    answer = rest_client(app, login).patch_json(
        REST_URL,
        {"editor_name": "Ola"},
        headers={"Accept": "application/json"},
        expect_errors=True,
    )
    assert answer.status_code in (401, 403)
    assert saved("editor_name") == "Zofia Sekretarz, Sekretarz Miasta"
