"""The incoming register (K3) and assignment (K4): numbers, forms, who sees and does what."""

from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
import transaction
from lxml import html as lxml_html
from plone import api

from ratusz.cases.assignment import AssignmentError
from ratusz.cases.assignment import assign_to_clerk
from ratusz.cases.assignment import assign_to_department
from ratusz.cases.assignment import history
from ratusz.cases.assignment import refuse
from ratusz.cases.incoming import create_incoming_item
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused

YEAR = date.today().year
TODAY = date.today()


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


@pytest.fixture
def register(functional):
    return functional["portal"].intranet.kancelaria


def create_item(register, title="Wniosek o wydanie zaświadczenia", **fields):
    values = {"sender": "Jan Kowalski", "channel": "desk", "attachments_count": 1, **fields}
    with api.env.adopt_user(username="kancelaria"):
        item = create_incoming_item(register, title=title, **values)
    return item


def register_with_form(browser, portal, subject="Wniosek", sender="Jan Kowalski", **fields):
    browser.open(f"{portal.absolute_url()}/intranet/kancelaria/++add++IncomingItem")
    browser.getControl(name="form.widgets.title").value = subject
    browser.getControl(name="form.widgets.sender").value = sender
    for name, value in fields.items():
        browser.getControl(name=f"form.widgets.{name}").value = value
    browser.getControl(name="form.buttons.save").click()
    return browser


def texts(tree, selector):
    return [" ".join(e.text_content().split()) for e in tree.cssselect(selector)]


# --- numbering -------------------------------------------------------------------------


def test_items_are_numbered_per_year_and_named_after_the_number(site, register):
    first = create_item(register)
    second = create_item(register, title="Skarga")
    assert first.number == f"RPW/1/{YEAR}"
    assert second.number == f"RPW/2/{YEAR}"
    assert first.getId() == f"rpw-1-{YEAR}"
    received_last_year = create_item(register, received=datetime(YEAR - 1, 12, 31, 15, 0))
    assert received_last_year.number == f"RPW/1/{YEAR - 1}"


def test_the_desk_registers_an_item_and_prints_a_receipt(site):
    portal, app = site
    browser = register_with_form(
        browser_for(app, "kancelaria"),
        portal,
        subject="Wniosek o dowód osobisty",
        sender="Jan Kowalski",
        letter_sign="",
        attachments_count="2",
    )
    assert browser.url.startswith(f"{portal.absolute_url()}/intranet/kancelaria/rpw-1-{YEAR}")
    tree = lxml_html.fromstring(browser.contents)
    assert texts(tree, "#ratusz-incoming-number") == [f"RPW/1/{YEAR}"]
    assert texts(tree, "#ratusz-incoming-state") == ["Zarejestrowane"]
    facts = dict(
        zip(
            texts(tree, "#ratusz-incoming-facts dt"),
            texts(tree, "#ratusz-incoming-facts dd"),
            strict=True,
        )
    )
    assert facts["Znak pisma"] == "brak danych"
    assert facts["Liczba załączników"] == "2"
    browser.getLink(id="ratusz-incoming-receipt").click()
    receipt = lxml_html.fromstring(browser.contents)
    assert texts(receipt, "#ratusz-receipt-number") == [f"RPW/1/{YEAR}"]
    assert (
        receipt.cssselect("#ratusz-receipt-received")[0]
        .get("datetime")
        .startswith(TODAY.isoformat())
    )
    assert texts(receipt, ".ratusz-receipt-office") == ["Urząd Miasta Przykładowo"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("sender", "<script>alert(1)</script>", "Znaki &lt; i &gt; nie są tu dozwolone."),
        ("title", "", "Wymagane pole nie zostało wypełnione."),
        ("attachments_count", "-1", "Wartość jest za mała"),
        ("attachments_count", "dużo", "Wprowadzona wartość nie jest prawidłową liczbą całkowitą."),
        ("sender", "x" * 301, "Tekst jest za długi"),
    ],
)
def test_wrong_input_is_explained_and_takes_no_number(site, field, value, message):
    portal, app = site
    browser = browser_for(app, "kancelaria")
    fields = {"subject": "Wniosek", "sender": "Jan Kowalski"}
    if field == "title":
        fields["subject"] = value
    elif field == "sender":
        fields["sender"] = value
    extra = {field: value} if field not in ("title", "sender") else {}
    register_with_form(browser, portal, **fields, **extra)
    assert message in browser.contents, browser.contents[-3000:]
    transaction.begin()
    assert list(portal.intranet.kancelaria.objectIds()) == []
    # the next registration takes number 1: a refused form took no number
    register_with_form(browser_for(app, "kancelaria"), portal)
    transaction.begin()
    assert list(portal.intranet.kancelaria.objectIds()) == [f"rpw-1-{YEAR}"]


def test_the_number_pattern_is_a_setting(site, register):
    portal, app = site
    browser = browser_for(app, "administrator")
    browser.open(f"{portal.absolute_url()}/@@ratusz-cases-settings")
    browser.getControl(name="form.widgets.incoming_number_pattern").value = "KO/{rok}"
    browser.getControl(name="form.buttons.save").click()
    assert "Wzorzec musi zawierać {n}" in browser.contents
    browser.getControl(name="form.widgets.incoming_number_pattern").value = "KO-{n}/{yy}"
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert create_item(register).number == f"KO-1/{YEAR % 100:02d}"


def test_the_register_shows_the_day_and_prints_the_month(site, register):
    portal, app = site
    create_item(register, letter_sign="GK.1.2026", letter_date=date(2026, 11, 2))
    create_item(register, title="Skarga na hałas", sender="Wspólnota Mieszkaniowa")
    transaction.commit()
    browser = browser_for(app, "kancelaria")
    browser.open(f"{portal.absolute_url()}/intranet/kancelaria")
    tree = lxml_html.fromstring(browser.contents)
    rows = tree.cssselect("#ratusz-incoming-table tbody tr")
    assert len(rows) == 2
    first = [" ".join(td.text_content().split()) for td in rows[0].cssselect("td")]
    assert first[0] == f"RPW/1/{YEAR}"
    assert first[3] == "2026-11-02 GK.1.2026"  # Plone's Polish short date
    second = [" ".join(td.text_content().split()) for td in rows[1].cssselect("td")]
    assert second[3] == "brak danych"
    browser.open(f"{portal.absolute_url()}/intranet/kancelaria?month={TODAY:%Y-%m}&print=1")
    assert (
        len(lxml_html.fromstring(browser.contents).cssselect("#ratusz-incoming-table tbody tr"))
        == 2
    )
    browser.open(
        f"{portal.absolute_url()}/intranet/kancelaria?day={(TODAY - timedelta(days=1)).isoformat()}"
    )
    assert "W tym okresie niczego nie zarejestrowano." in browser.contents
    browser.open(f"{portal.absolute_url()}/intranet/kancelaria?day=2026-13-45")
    assert "Podaj dzień jako RRRR-MM-DD" in browser.contents
    assert status_of(browser) == 200
    browser.open(f"{portal.absolute_url()}/intranet/kancelaria?month=<script>")
    assert "<script>" not in browser.contents


# --- assignment -----------------------------------------------------------------------------


def test_an_item_goes_from_the_secretariat_to_the_department_and_to_a_clerk(site, register):
    item = create_item(register)
    deadline = TODAY + timedelta(days=10)
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(item, "OR", deadline, "Proszę o odpowiedź", ["ksiegowa"])
    assert api.content.get_state(item) == "assigned"
    assert item.assigned_department == "OR"
    with api.env.adopt_user(username="kierownik"):
        assign_to_clerk(item, "urzednik", TODAY + timedelta(days=5), "Przygotować projekt")
    assert api.content.get_state(item) == "assigned_clerk"
    assert item.deadline == TODAY + timedelta(days=5)
    with api.env.adopt_user(username="urzednik"):
        refuse(item, "Sprawa dotyczy podatków")
    assert api.content.get_state(item) == "assigned"
    assert item.assigned_clerk is None
    with api.env.adopt_user(username="kierownik"):
        refuse(item, "Właściwy jest Wydział Finansowy")
    assert api.content.get_state(item) == "registered"
    kinds = [(e["kind"], e["by"], e.get("reason") or e.get("instruction")) for e in history(item)]
    assert kinds == [
        ("department", "sekretariat", "Proszę o odpowiedź"),
        ("clerk", "kierownik", "Przygotować projekt"),
        ("refused", "urzednik", "Sprawa dotyczy podatków"),
        ("refused", "kierownik", "Właściwy jest Wydział Finansowy"),
    ]
    assert history(item)[0]["copies"] == ["ksiegowa"]


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda item: assign_to_department(item, "XX"), "department"),
        (lambda item: assign_to_department(item, "OR", TODAY - timedelta(days=1)), "deadline"),
        (lambda item: assign_to_department(item, "OR", None, "<b>pilne</b>"), "instruction"),
        (lambda item: assign_to_department(item, "OR", None, "x" * 2001), "instruction"),
        (lambda item: assign_to_department(item, "OR", None, "", ["nikt"]), "copies"),
    ],
)
def test_wrong_assignments_are_refused_and_change_nothing(site, register, call, field):
    item = create_item(register)
    with api.env.adopt_user(username="sekretariat"), pytest.raises(AssignmentError) as raised:
        call(item)
    assert raised.value.field == field
    assert api.content.get_state(item) == "registered"
    assert history(item) == []


def test_the_head_assigns_only_people_of_the_department_and_keeps_within_the_deadline(
    site, register
):
    item = create_item(register)
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(item, "OR", TODAY + timedelta(days=3))
    with api.env.adopt_user(username="kierownik"):
        with pytest.raises(AssignmentError) as outsider:
            assign_to_clerk(item, "ksiegowa")
        assert outsider.value.field == "clerk"
        with pytest.raises(AssignmentError) as later:
            assign_to_clerk(item, "urzednik", TODAY + timedelta(days=30))
        assert later.value.field == "deadline"
    assert api.content.get_state(item) == "assigned"


def test_a_refusal_needs_a_reason(site, register):
    item = create_item(register)
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(item, "OR")
    with api.env.adopt_user(username="kierownik"), pytest.raises(AssignmentError):
        refuse(item, "   ")
    assert api.content.get_state(item) == "assigned"


@pytest.mark.parametrize("login", ["urzednik", "kancelaria", "ksiegowa"])
def test_only_the_secretariat_assigns_to_departments(site, register, login):
    item = create_item(register)
    with api.env.adopt_user(username=login), pytest.raises(AssignmentError):
        assign_to_department(item, "OR")
    assert api.content.get_state(item) == "registered"


def test_the_head_of_another_department_may_not_assign_a_clerk(site, register):
    portal, _app = site
    item = create_item(register)
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(item, "FN")
    with api.env.adopt_user(username="kierownik"), pytest.raises(AssignmentError):
        assign_to_clerk(item, "ksiegowa")


def test_a_bare_workflow_call_cannot_assign(site, register):
    portal, app = site
    item = create_item(register)
    transaction.commit()
    browser = browser_for(app, "sekretariat")
    browser.open(f"{item.absolute_url()}/content_status_modify?workflow_action=assign")
    transaction.begin()
    assert api.content.get_state(item) == "registered"


# --- who sees what ---------------------------------------------------------------------------


def visible_numbers(app, portal, login):
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/intranet/kancelaria")
    if was_refused(browser):
        return None
    tree = lxml_html.fromstring(browser.contents)
    return sorted(texts(tree, "#ratusz-incoming-table tbody td:first-child"))


def test_each_role_sees_what_it_handles(site, register):
    portal, app = site
    to_or = create_item(register, title="Do OR")
    create_item(register, title="Jeszcze nieprzydzielone")
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(to_or, "OR", None, "", ["ksiegowa"])
    transaction.commit()
    everything = [f"RPW/1/{YEAR}", f"RPW/2/{YEAR}"]
    assert visible_numbers(app, portal, "kancelaria") == everything
    assert visible_numbers(app, portal, "sekretariat") == everything
    assert visible_numbers(app, portal, "administrator") == everything
    assert visible_numbers(app, portal, "kierownik") == [f"RPW/1/{YEAR}"]
    assert visible_numbers(app, portal, "urzednik") == [f"RPW/1/{YEAR}"]  # OR's reader
    assert visible_numbers(app, portal, "ksiegowa") == [f"RPW/1/{YEAR}"]  # a copy
    for login in (None, "mieszkaniec", "redaktor"):
        assert visible_numbers(app, portal, login) is None, login
        browser = browser_for(app, login)
        browser.open(to_or.absolute_url())
        assert was_refused(browser)


def test_the_assign_form_is_for_those_who_may_assign(site, register):
    portal, app = site
    item = create_item(register)
    transaction.commit()
    for login, allowed in (("sekretariat", True), ("kancelaria", False), ("kierownik", False)):
        browser = browser_for(app, login)
        browser.open(f"{item.absolute_url()}/@@assign")
        assert (not was_refused(browser)) is allowed, login


def test_the_secretariat_and_the_head_assign_with_the_form(site, register):
    portal, app = site
    item = create_item(register)
    transaction.commit()
    browser = browser_for(app, "sekretariat")
    browser.open(f"{item.absolute_url()}/@@assign")
    browser.getControl(name="target").value = ["OR"]
    browser.getControl(name="deadline").value = "2026-02-30"
    browser.getControl(name="assign").click()
    tree = lxml_html.fromstring(browser.contents)
    assert tree.cssselect("#ratusz-assign-deadline")[0].get("aria-invalid") == "true"
    browser.getControl(name="deadline").value = (TODAY + timedelta(days=7)).isoformat()
    browser.getControl(name="instruction").value = "Proszę o pilne rozpatrzenie"
    browser.getControl(name="assign").click()
    assert "Pismo zostało zadekretowane." in browser.contents
    tree = lxml_html.fromstring(browser.contents)
    assert texts(tree, "#ratusz-incoming-department") == ["OR — Wydział Organizacyjny"]

    browser = browser_for(app, "kierownik")
    browser.open(f"{item.absolute_url()}/@@assign")
    browser.getControl(name="target").value = ["urzednik"]
    browser.getControl(name="assign").click()
    tree = lxml_html.fromstring(browser.contents)
    assert texts(tree, "#ratusz-incoming-clerk") == ["Anna Urzędnik"]
    assert texts(tree, "#ratusz-incoming-state") == ["Zadekretowane na pracownika"]
    assert len(tree.cssselect("#ratusz-incoming-history tbody tr")) == 2

    browser = browser_for(app, "urzednik")
    browser.open(f"{item.absolute_url()}/@@refuse")
    browser.getControl(name="refuse").click()
    assert "Podaj powód." in browser.contents
    browser.getControl(name="reason").value = "Nie moja właściwość"
    browser.getControl(name="refuse").click()
    assert "Pismo zostało zwrócone." in browser.contents
    transaction.begin()
    assert api.content.get_state(item) == "assigned"


# --- REST API --------------------------------------------------------------------------------


def test_the_desk_registers_through_the_rest_api(site):
    portal, app = site
    url = f"{portal.absolute_url()}/intranet/kancelaria"
    body = {
        "@type": "IncomingItem",
        "title": "e-Wniosek",
        "sender": "Jan Kowalski",
        "channel": "epuap",
    }
    created = rest(app, "POST", url, "kancelaria", body)
    assert created.status_int == 201, created.body
    assert created.json["number"] == f"RPW/1/{YEAR}"
    assert created.json["@id"].endswith(f"/rpw-1-{YEAR}")
    hostile = rest(
        app, "POST", url, "kancelaria", dict(body, sender="<img src=x onerror=alert(1)>")
    )
    assert hostile.status_int == 400
    for login in (None, "mieszkaniec", "urzednik"):
        assert rest(app, "POST", url, login, body).status_int in (401, 403), login
    transaction.begin()
    assert list(portal.intranet.kancelaria.objectIds()) == [f"rpw-1-{YEAR}"]


def test_the_desk_adds_a_scan_that_the_department_then_sees(site, register):
    portal, app = site
    from plone.dexterity.utils import createContentInContainer
    from plone.namedfile.file import NamedBlobFile

    item = create_item(register)
    with api.env.adopt_user(username="kancelaria"):
        createContentInContainer(
            item,
            "File",
            title="Skan pisma",
            file=NamedBlobFile(
                b"%PDF-1.4 scan", filename="skan.pdf", contentType="application/pdf"
            ),
        )
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(item, "OR")
    transaction.commit()
    for login, sees in (("urzednik", True), ("ksiegowa", False)):
        browser = browser_for(app, login)
        browser.open(item.absolute_url())
        if not sees:
            assert was_refused(browser)
            continue
        tree = lxml_html.fromstring(browser.contents)
        links = tree.cssselect("#ratusz-incoming-files a")
        assert [a.text_content() for a in links] == ["Skan pisma"]
        browser.open(links[0].get("href"))
        assert status_of(browser) == 200
        assert browser.headers["Content-Type"] == "application/pdf"
