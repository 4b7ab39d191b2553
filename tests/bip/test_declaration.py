"""The accessibility declaration: the page of every language, its control panel and the
REST control panel, through zope.testbrowser in the functional (demo) layer."""

import base64
import json
import re
from datetime import date

import pytest
import transaction
from plone import api
from plone.registry.interfaces import IRegistry
from plone.testing.zope import Browser
from zope.component import getUtility

from ratusz.bip.declaration import last_31_march
from ratusz.demo import DEMO_USERS

PAGE = "deklaracja-dostepnosci"
PANEL = "@@ratusz-accessibility-declaration"
# The ids of the ministry's structure version 2.0 that every declaration carries.
STRUCTURE_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-zakres",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-kontakt",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-data-sporzadzenie",
    "a11y-architektura",
    "a11y-komunikacja",
]
DATE_IDS = ["a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie"]


def browser_for(app, login=None, language=None, portal=None):
    browser = Browser(app)
    browser.handleErrors = True
    browser.raiseHttpErrors = False
    if login:
        browser.addHeader("Authorization", f"Basic {login}:{DEMO_USERS[login][2]}")
    if language:
        browser.addHeader("Accept-Language", language)
    if language and portal is not None:
        # The site root has no language of its own: the language cookie chooses it
        # (the cookie jar needs a first response to know the site).
        browser.open(f"{portal.absolute_url()}/en")
        browser.cookies.create("I18N_LANGUAGE", language, path="/")
    return browser


def status(browser):
    return int(browser.headers["status"].split()[0])


def element(contents, element_id):
    """The opening tag of the element with ``element_id``."""
    match = re.search(rf'<[a-z0-9]+\b[^>]*\bid="{element_id}"[^>]*>', contents)
    assert match, f"#{element_id} missing"
    return match.group(0)


def text_of(contents, element_id):
    """The text inside the element with ``element_id``, tags removed."""
    start = contents.index(element(contents, element_id))
    tag = re.match(r"<([a-z0-9]+)", element(contents, element_id)).group(1)
    inner = contents[start:].split(">", 1)[1].split(f"</{tag}>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def set_records(**values):
    registry = getUtility(IRegistry)
    for name, value in values.items():
        registry[f"ratusz.a11y.{name}"] = value
    transaction.commit()


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 3, 30), date(2025, 3, 31)),
        (date(2026, 3, 31), date(2026, 3, 31)),
        (date(2026, 12, 31), date(2026, 3, 31)),
        (date(2027, 1, 1), date(2026, 3, 31)),
    ],
)
def test_the_yearly_update_is_due_by_the_last_31_march(today, expected):
    assert last_31_march(today) == expected


# The page


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_every_element_of_structure_2_0_is_there_exactly_once(site, language):
    portal, app = site
    browser = browser_for(app)
    browser.open(f"{portal.absolute_url()}/{language}/{PAGE}")
    assert status(browser) == 200
    for element_id in STRUCTURE_IDS:
        assert browser.contents.count(f'id="{element_id}"') == 1, element_id
    for element_id in DATE_IDS:
        tag = element(browser.contents, element_id)
        assert tag.startswith("<time ")
        assert re.search(r'datetime="\d{4}-\d{2}-\d{2}"', tag), tag


def test_the_page_is_complete_on_install(site):
    portal, app = site
    browser = browser_for(app)
    browser.open(f"{portal.absolute_url()}/pl/{PAGE}")
    contents = browser.contents
    assert text_of(contents, "a11y-podmiot") == "Urząd Miasta Przykładowo"
    assert element(contents, "a11y-url").endswith(f'href="{portal.absolute_url()}">')
    created = portal.created().asdatetime().date().isoformat()
    assert f'datetime="{created}"' in element(contents, "a11y-data-publikacja")
    assert element(contents, "a11y-status").endswith('data-status="partially_compliant">')
    assert 'href="mailto:dostepnosc@przykladowo.example"' in element(contents, "a11y-email")
    assert 'href="tel:+48991234560"' in element(contents, "a11y-telefon")
    procedure = text_of(contents, "a11y-procedura")
    for duty in ("7 dni", "2 miesiące", "skargę", "Rzecznika Praw Obywatelskich", "art. 18"):
        assert duty in procedure
    assert "winda" in text_of(contents, "a11y-architektura")
    assert "języka migowego" in text_of(contents, "a11y-komunikacja")
    assert "Zofia Sekretarz" in text_of(contents, "a11y-kontakt")


def test_labels_follow_the_language_and_content_stays_as_entered(site):
    portal, app = site
    browser = browser_for(app)
    browser.open(f"{portal.absolute_url()}/en/{PAGE}")
    assert '<h1 class="documentFirstHeading">Accessibility declaration</h1>' in browser.contents
    assert "Feedback and contact information" in browser.contents
    assert "Rzecznika Praw Obywatelskich" in text_of(browser.contents, "a11y-procedura")
    browser.open(f"{portal.absolute_url()}/pl/{PAGE}")
    # The msgid shared with the footer link is in the pl catalogue already.
    assert '<h1 class="documentFirstHeading">Deklaracja dostępności</h1>' in browser.contents


def test_the_page_shows_the_registry_values_escaped(site):
    portal, app = site
    set_records(
        entity_name="Gmina <script>alert(1)</script>",
        website_url="javascript:alert(1)",
        published_on=date(2019, 9, 23),
        updated_on=date(2026, 2, 1),
        prepared_on=date(2020, 9, 1),
        reviewed_on=date(2026, 3, 20),
        status="compliant",
        non_accessible_content=["<img src=x onerror=alert(2)>"],
        exclusions=[],
        preparation_method="external",
        auditor="Fundacja Dostępna",
        contact_person="Anna Nowak",
        contact_email="a11y@x.pl?bcc=spy@evil.example",
        contact_phone="+48 (12) 345-67-89",
        procedure="Pierwszy akapit\nw dwóch liniach.\n\nDrugi <b>akapit</b>.",
        mobile_apps="",
    )
    browser = browser_for(app)
    browser.open(f"{portal.absolute_url()}/en/{PAGE}")
    contents = browser.contents
    assert "<script>alert(1)</script>" not in contents
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in contents
    assert "<img src=x" not in contents
    assert "javascript:" not in contents
    assert element(contents, "a11y-url").endswith(f'href="{portal.absolute_url()}">')
    assert 'datetime="2019-09-23"' in element(contents, "a11y-data-publikacja")
    assert 'datetime="2026-02-01"' in element(contents, "a11y-data-aktualizacja")
    assert 'datetime="2020-09-01"' in element(contents, "a11y-data-sporzadzenie")
    assert 'datetime="2026-03-20"' in element(contents, "a11y-data-przeglad")
    assert text_of(contents, "a11y-status").startswith("The website is fully compliant")
    assert text_of(contents, "a11y-audytor") == "Fundacja Dostępna"
    assert "spy@evil" not in element(contents, "a11y-email")
    assert "mailto:" not in element(contents, "a11y-email")
    assert 'href="tel:+48123456789"' in element(contents, "a11y-telefon")
    assert "<p>Pierwszy akapit w dwóch liniach.</p>" in contents
    assert "<p>Drugi &lt;b&gt;akapit&lt;/b&gt;.</p>" in contents
    assert 'id="a11y-aplikacje"' not in contents
    assert "ratusz-declaration-exclusions" not in contents


def test_the_footer_link_leads_to_the_declaration(site):
    portal, app = site
    browser = browser_for(app)
    browser.open(f"{portal.absolute_url()}/pl")
    link = browser.getLink(url=f"/pl/{PAGE}")
    link.click()
    assert status(browser) == 200
    assert browser.url == f"{portal.absolute_url()}/pl/{PAGE}"
    assert 'id="a11y-wstep"' in browser.contents


# The control panel


@pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "redaktor", "sekretarz"])
def test_others_may_not_open_the_control_panel(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/{PANEL}")
    assert "form.widgets.contact_email" not in browser.contents
    assert "login" in browser.url or "insufficient-privileges" in browser.url


def test_the_site_administrator_edits_the_declaration(site):
    portal, app = site
    browser = browser_for(app, "administrator", language="en", portal=portal)
    browser.open(f"{portal.absolute_url()}/{PANEL}")
    assert status(browser) == 200
    browser.getControl(name="form.widgets.entity_name").value = "Gmina Przykładowo"
    browser.getControl(name="form.widgets.status:list").value = ["non_compliant"]
    browser.getControl(name="form.widgets.non_accessible_content").value = "Skany\nFilmy"
    browser.getControl(name="form.widgets.reviewed_on").value = date.today().isoformat()
    browser.getControl(name="form.buttons.save").click()
    assert "Changes saved" in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record("ratusz.a11y.entity_name") == "Gmina Przykładowo"
    assert api.portal.get_registry_record("ratusz.a11y.non_accessible_content") == [
        "Skany",
        "Filmy",
    ]
    browser.open(f"{portal.absolute_url()}/en/{PAGE}")
    assert text_of(browser.contents, "a11y-podmiot") == "Gmina Przykładowo"
    assert text_of(browser.contents, "a11y-status").startswith("The website is not compliant")
    assert "<li>Filmy</li>" in browser.contents


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("entity_name", "<b>Gmina</b>", "The characters &lt; and &gt; are not allowed here."),
        ("contact_person", "<script>alert(1)</script>", "The characters &lt; and &gt;"),
        ("contact_email", "not-an-address", "Enter an e-mail address such as urzad@miasto.pl."),
        ("contact_email", "a@b.pl?bcc=c@d.pl", "Enter an e-mail address such as urzad@miasto.pl."),
        ("contact_email", "", "Required input is missing."),
        ("website_url", "javascript:alert(1)", "Enter an address starting with https://"),
        ("procedure", "x" * 100_000, "Value is too long"),
        ("architecture", "", "Required input is missing."),
        ("non_accessible_content", "<img src=x onerror=alert(1)>", "not allowed here"),
        ("exclusions", "Mapy\n" + "x" * 600, "Each line may have at most 500 characters."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(site, field, value, error):
    portal, app = site
    browser = browser_for(app, "administrator", language="en", portal=portal)
    browser.open(f"{portal.absolute_url()}/{PANEL}")
    before = api.portal.get_registry_record(f"ratusz.a11y.{field}")
    browser.getControl(name="form.widgets.contact_person").value = "Zmieniona Osoba"
    browser.getControl(name=f"form.widgets.{field}").value = value
    browser.getControl(name="form.buttons.save").click()
    assert status(browser) == 200
    assert error in browser.contents
    assert "<script>alert(1)</script>" not in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record(f"ratusz.a11y.{field}") == before
    assert api.portal.get_registry_record("ratusz.a11y.contact_person") == "Zofia Sekretarz"


def test_the_control_panel_warns_when_the_yearly_update_is_late(site):
    portal, app = site
    old = date(2020, 1, 15)
    set_records(published_on=old, updated_on=old, prepared_on=old, reviewed_on=None)
    browser = browser_for(app, "administrator", language="en", portal=portal)
    browser.open(f"{portal.absolute_url()}/{PANEL}")
    assert "statusmessage-warning" in browser.contents
    assert last_31_march().isoformat() in browser.contents

    browser.getControl(name="form.widgets.reviewed_on").value = date.today().isoformat()
    browser.getControl(name="form.buttons.save").click()
    assert "Changes saved" in browser.contents
    assert "statusmessage-warning" not in browser.contents


def test_a_fresh_declaration_raises_no_warning(site):
    portal, app = site
    set_records(updated_on=date.today())
    browser = browser_for(app, "administrator", language="en", portal=portal)
    browser.open(f"{portal.absolute_url()}/{PANEL}")
    assert status(browser) == 200
    assert "statusmessage-warning" not in browser.contents


# The REST control panel


def rest_browser(app, login=None):
    browser = browser_for(app, login)
    browser.addHeader("Accept", "application/json")
    return browser


def test_the_site_administrator_reads_and_changes_it_through_the_api(site):
    portal, app = site
    browser = rest_browser(app, "administrator")
    panel = f"{portal.absolute_url()}/@controlpanels/ratusz-accessibility-declaration"
    browser.open(panel)
    assert status(browser) == 200
    answer = json.loads(browser.contents)
    assert answer["data"]["status"]["token"] == "partially_compliant" or (
        answer["data"]["status"] == "partially_compliant"
    )
    assert answer["data"]["contact_email"] == "dostepnosc@przykladowo.example"
    password = base64.b64encode(f"administrator:{DEMO_USERS['administrator'][2]}".encode())
    answer = browser.testapp.patch_json(
        panel,
        {"contact_person": "Anna Nowak"},
        headers={"Accept": "application/json", "Authorization": f"Basic {password.decode()}"},
    )
    assert answer.status_int == 204
    transaction.begin()
    assert api.portal.get_registry_record("ratusz.a11y.contact_person") == "Anna Nowak"


@pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "redaktor", "sekretarz"])
def test_others_may_not_use_the_api_panel(site, login):
    portal, app = site
    browser = rest_browser(app, login)
    browser.open(f"{portal.absolute_url()}/@controlpanels/ratusz-accessibility-declaration")
    assert status(browser) in (401, 403)
    assert b"dostepnosc@przykladowo.example" not in browser.contents
