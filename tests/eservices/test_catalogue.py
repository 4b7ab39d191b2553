"""The demo catalogue of e-services: cards with forms, search and life events, the REST
catalogue, and who sees what."""

import pytest
import transaction
from plone import api
from plone.testing.zope import Browser

from ratusz.eservices.card import card_summary_of
from ratusz.eservices.card import online_form
from ratusz.eservices.demo import create_demo_cards
from ratusz.eservices.tracking import THROTTLE

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def catalogue(functional):
    THROTTLE.clear()
    with api.env.adopt_roles(["Manager"]):
        catalogue = create_demo_cards()
    transaction.commit()
    return catalogue


def text_of(browser):
    contents = browser.contents
    return contents.decode() if isinstance(contents, bytes) else contents


def anonymous(app):
    browser = Browser(app)
    browser.handleErrors = False
    return browser


def test_the_demo_has_published_cards_most_with_a_form(catalogue):
    cards = catalogue.objectValues()
    assert len(cards) >= 12
    assert {api.content.get_state(card) for card in cards} == {"published"}
    registration = catalogue["zameldowanie"]
    form = online_form(registration)
    assert api.content.get_state(form) == "published"
    assert card_summary_of(registration)["has_form"] is True
    assert [r.to_object.getId() for r in registration.related]


def test_anonymous_finds_zameldowanie_by_word_and_by_life_event(catalogue, functional):
    browser = anonymous(functional["app"])
    browser.open(catalogue.absolute_url() + "?q=zameldowanie")
    assert "Zameldowanie" in browser.contents
    assert "Skarga" not in browser.contents
    browser.open(catalogue.absolute_url())
    browser.getLink(id="ratusz-event-moving").click()
    assert "Zameldowanie" in browser.contents
    assert "Podatek od nieruchomości" not in browser.contents
    browser.getLink(url=catalogue["zameldowanie"].absolute_url()).click()
    assert "Wymagane dokumenty" in browser.contents
    browser.getLink(id="ratusz-card-form").click()
    assert "ratusz-information-clause" in browser.contents  # the clause (R1) above the form
    assert "form.widgets.ratusz_privacy_acknowledged" in browser.contents


def test_hostile_search_text_is_shown_escaped_and_finds_nothing(catalogue, functional):
    browser = anonymous(functional["app"])
    browser.open(catalogue.absolute_url() + '?q=<script>alert(1)</script> OR "')
    assert "<script>alert(1)</script>" not in browser.contents
    assert "&lt;script&gt;" in browser.contents


def test_a_private_card_is_seen_by_editors_only(catalogue, functional):
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=catalogue["skarga"], transition="retract")
    transaction.commit()
    browser = anonymous(functional["app"])
    browser.open(catalogue.absolute_url())
    assert "Skarga" not in text_of(browser)
    browser.addHeader("Accept", "application/json")
    browser.open(catalogue.absolute_url() + "/@eservices")
    assert "Skarga" not in text_of(browser)


def test_rest_catalogue_and_status_errors(catalogue, functional):
    import json

    browser = anonymous(functional["app"])
    browser.addHeader("Accept", "application/json")
    browser.open(catalogue.absolute_url() + "/@eservices?event=moving")
    data = json.loads(browser.contents)
    assert "Zameldowanie na pobyt stały lub czasowy" in [item["title"] for item in data["items"]]
    assert all(item["@id"].startswith(catalogue.absolute_url()) for item in data["items"])
    browser.raiseHttpErrors = False
    portal_url = api.portal.get().absolute_url()
    browser.open(f"{portal_url}/@case-status?sign=OR.0020.1.2026&key=AAAA-BBBB-CCCC")
    assert browser.headers["status"].startswith("404")
    assert json.loads(browser.contents)["error"]["type"] == "NotFound"
    for _attempt in range(5):
        browser.open(f"{portal_url}/@case-status?sign=x&key=y")
    assert browser.headers["status"].startswith("429")


def _fill_demo_form(browser, fields, today):
    for spec in fields:
        name = f"form.widgets.{spec['id']}"
        kind = spec["type"]
        if not spec.get("required") and kind in ("File", "Bool"):
            continue
        if kind == "File":
            browser.getControl(name=name).add_file(PDF, "application/pdf", "zalacznik.pdf")
        elif kind == "Bool":
            browser.getControl(name=f"{name}:list").value = True
        elif kind == "Choice":
            control = browser.getControl(name=f"{name}:list")
            control.value = [next(option for option in control.options if option != "--NOVALUE--")]
        elif kind == "Email":
            browser.getControl(name=name).value = "jan@example.org"
        elif kind == "Date":
            browser.getControl(name=name).value = today.isoformat()
        elif kind == "Int":
            browser.getControl(name=name).value = "3"
        elif spec["id"] == "pesel":
            browser.getControl(name=name).value = "44051401359"
        else:
            browser.getControl(name=name).value = "Jan Kowalski, ul. Długa 1"
    browser.getControl(name="form.widgets.ratusz_privacy_acknowledged:list").value = True


def test_every_demo_form_can_be_filed_and_becomes_a_case_of_its_card(catalogue, functional):
    from datetime import date

    from ratusz.eservices.demo import demo_cards
    from ratusz.eservices.submission import SUBMISSIONS

    SUBMISSIONS.clear()
    today = date.today()
    numbers = {}
    for spec in [card for card in demo_cards() if card.get("form")]:
        browser = anonymous(functional["app"])
        browser.open(online_form(catalogue[spec["id"]]).absolute_url())
        _fill_demo_form(browser, spec["form"]["fields"], today)
        browser.getControl(name="form.buttons.submit").click()
        assert "ratusz-receipt-key" in browser.contents, spec["id"]
        unit = (spec["department"], spec["jrwa"])
        numbers[unit] = numbers.get(unit, 0) + 1  # cards of one class share the counter
        sign = f"{spec['department']}.{spec['jrwa']}.{numbers[unit]}.{today.year}"
        assert sign in browser.contents, spec["id"]
    transaction.begin()
    portal = api.portal.get()
    case = portal.intranet.sprawy[f"or-0562-1-{today.year}".lower()]
    assert case.kind == "information"  # the request for public information: 14 days (B7)
    assert (case.deadline - case.start_date).days >= 14


def test_the_bip_request_page_sends_residents_to_the_eservice(catalogue, functional):
    browser = anonymous(functional["app"])
    portal_url = api.portal.get().absolute_url()
    browser.open(f"{portal_url}/pl/bip/informacje-nieudostepnione/request-information")
    form_url = online_form(catalogue["informacja-publiczna"]).absolute_url()
    assert browser.url == form_url
    browser.open(f"{portal_url}/pl/bip/informacje-nieudostepnione")
    assert form_url in browser.contents
