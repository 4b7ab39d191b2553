"""Cases: signs (K1), deadlines from the kind, workflows per kind, delays, settling, the
audit trail, and who sees and does what."""

from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
import transaction
from lxml import html as lxml_html
from plone import api

from ratusz.cases.assignment import assign_to_clerk
from ratusz.cases.assignment import assign_to_department
from ratusz.cases.case import CaseError
from ratusz.cases.case import approve
from ratusz.cases.case import audit_trail
from ratusz.cases.case import create_case
from ratusz.cases.case import notify_delay
from ratusz.cases.case import open_case_from_incoming
from ratusz.cases.case import run_transition
from ratusz.cases.case import settle
from ratusz.cases.deadlines import deadline
from ratusz.cases.incoming import create_incoming_item
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import was_refused

TODAY = date.today()
YEAR = TODAY.year
CLASS = "0020"  # a final class of the demo JRWA (B5)


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


@pytest.fixture
def folder(functional):
    return functional["portal"].intranet.sprawy


def open_as(login, folder, **fields):
    values = {
        "title": "Wydanie zaświadczenia",
        "department": "OR",
        "jrwa": CLASS,
        "kind": "certificate",
    }
    values.update(fields)
    with api.env.adopt_user(username=login):
        return create_case(folder, **values)


def state(case):
    return api.content.get_state(case)


# --- opening -------------------------------------------------------------------------------


def test_a_clerk_opens_a_numbered_case_with_its_deadline(site, folder):
    case = open_as("urzednik", folder)
    assert case.sign == f"OR.{CLASS}.1.{YEAR}"
    assert case.getId() == f"or-{CLASS}-1-{YEAR}"
    assert case.start_date == TODAY
    assert case.deadline == deadline(TODAY, "7d")
    assert case.clerk == "urzednik"
    assert case.case_workflow == "ratusz_case_simple"
    assert state(case) == "registered"
    catalog = api.portal.get_tool("portal_catalog")
    brain = catalog.unrestrictedSearchResults(case_sign=case.sign)[0]
    assert brain.case_phase == "open"
    assert brain.case_summary["deadline"] == case.deadline.isoformat()


def test_numbers_run_per_unit_class_and_year(site, folder):
    assert open_as("urzednik", folder).sign == f"OR.{CLASS}.1.{YEAR}"
    assert open_as("urzednik", folder).sign == f"OR.{CLASS}.2.{YEAR}"
    assert open_as("urzednik", folder, jrwa="0021").sign == f"OR.0021.1.{YEAR}"
    assert open_as("ksiegowa", folder, department="FN").sign == f"FN.{CLASS}.1.{YEAR}"
    earlier = open_as("urzednik", folder, start_date=date(YEAR - 1, 12, 30))
    assert earlier.sign == f"OR.{CLASS}.1.{YEAR - 1}"


@pytest.mark.parametrize(
    "login, fields, field",
    [
        ("urzednik", {"jrwa": "002"}, "jrwa"),  # not a final class
        ("urzednik", {"jrwa": "9999"}, "jrwa"),
        ("urzednik", {"kind": "nieznany"}, "kind"),
        ("urzednik", {"department": "XX"}, "department"),
        ("ksiegowa", {}, "department"),  # FN's clerk opening in OR
    ],
)
def test_wrong_openings_are_refused_and_take_no_number(site, folder, login, fields, field):
    with pytest.raises(CaseError) as raised:
        open_as(login, folder, **fields)
    assert raised.value.field == field
    assert list(folder.objectIds()) == []
    assert open_as("urzednik", folder).sign == f"OR.{CLASS}.1.{YEAR}"


def test_a_case_opened_from_an_incoming_item_takes_its_party_and_date(site, folder):
    portal, _app = site
    with api.env.adopt_user(username="kancelaria"):
        item = create_incoming_item(
            portal.intranet.kancelaria,
            title="Wniosek o zaświadczenie",
            sender="Jan Kowalski",
            sender_address="ul. Polna 1\n00-001 Przykładowo",
            received=datetime(2026, 11, 4, 9, 30),
        )
    with api.env.adopt_user(username="sekretariat"):
        assign_to_department(item, "OR")
    with api.env.adopt_user(username="kierownik"):
        assign_to_clerk(item, "urzednik")
    with api.env.adopt_user(username="urzednik"):
        case = open_case_from_incoming(folder, item, CLASS, "certificate")
    assert case.parties == ["Jan Kowalski, ul. Polna 1 00-001 Przykładowo"]
    assert case.start_date == date(2026, 11, 4)
    assert case.deadline == date(2026, 11, 12)  # 11 November is a holiday
    assert case.incoming == [api.content.get_uuid(item)]
    assert item.case_sign == case.sign
    actions = [entry["action"] for entry in audit_trail(case)]
    assert actions == ["Case opened", "Incoming item attached"]
    assert audit_trail(case)[0]["name"] == "Anna Urzędnik"
    assert audit_trail(case)[0]["position"] == "clerk"


# --- workflows per kind ------------------------------------------------------------------


def test_the_simple_workflow_and_the_record_of_each_step(site, folder):
    case = open_as("urzednik", folder)
    with api.env.adopt_user(username="urzednik"):
        run_transition(case, "start")
        with pytest.raises(CaseError) as empty:
            settle(case, " ")
        assert empty.value.field == "settlement"
        assert settle(case, "Wydano zaświadczenie nr 12/2026") == "settle"
    assert state(case) == "settled"
    assert case.settled_on == TODAY
    actions = [entry["action"] for entry in audit_trail(case)]
    assert actions == ["Case opened", "Start work", "Settle"]
    assert audit_trail(case)[-1]["note"] == "Wydano zaświadczenie nr 12/2026"
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog.unrestrictedSearchResults(case_sign=case.sign)[0].case_phase == "closed"
    with api.env.adopt_user(username="urzednik"), pytest.raises(CaseError):
        run_transition(case, "reopen", "błąd")  # only the head reopens
    with api.env.adopt_user(username="kierownik"):
        run_transition(case, "reopen", "Strona wniosła o sprostowanie")
    assert state(case) == "in_progress"
    assert case.settled_on is None


def test_a_kind_with_supplement_may_wait_for_the_party(site, folder):
    case = open_as("urzednik", folder, kind="supplement")
    assert case.case_workflow == "ratusz_case_supplement"
    with api.env.adopt_user(username="urzednik"):
        run_transition(case, "start")
        run_transition(case, "request_supplement", "Brak pełnomocnictwa")
    assert state(case) == "awaiting_party"
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog.unrestrictedSearchResults(case_sign=case.sign)[0].case_phase == "waiting"
    with api.env.adopt_user(username="urzednik"):
        run_transition(case, "supplement_received")
        settle(case, "Decyzja")
    assert state(case) == "settled"


def test_a_kind_with_approval_goes_to_the_head(site, folder):
    case = open_as("urzednik", folder, kind="approval")
    assert case.deadline == deadline(TODAY, "2m")
    with api.env.adopt_user(username="urzednik"):
        run_transition(case, "start")
        assert settle(case, "Projekt decyzji") == "submit_for_approval"
        with pytest.raises(CaseError):
            approve(case)
    assert state(case) == "for_approval"
    with api.env.adopt_user(username="kierownik"):
        run_transition(case, "return_to_clerk", "Uzupełnić uzasadnienie")
    with api.env.adopt_user(username="urzednik"):
        settle(case, "Projekt decyzji z uzasadnieniem")
    with api.env.adopt_user(username="kierownik"):
        approve(case, "Akceptuję")
    assert state(case) == "settled"
    assert case.settled_on == TODAY
    assert [e["action"] for e in audit_trail(case)][-1] == "Approve"


# --- delays -------------------------------------------------------------------------------


def test_a_delay_moves_the_deadline_and_is_recorded(site, folder):
    case = open_as("urzednik", folder)
    old = case.deadline
    new = old + timedelta(days=14)
    with api.env.adopt_user(username="urzednik"):
        notice = notify_delay(case, "Oczekiwanie na opinię", new)
    assert notice["previous"] == old
    assert case.deadline == new
    assert audit_trail(case)[-1]["action"] == "Delay notified (KPA art. 36)"


@pytest.mark.parametrize(
    "reason, days, field",
    [
        ("", 30, "reason"),
        ("<b>x</b>", 30, "reason"),
        ("Powód", -30, "new_deadline"),
        ("Powód", 0, "new_deadline"),
    ],
)
def test_wrong_delays_are_refused(site, folder, reason, days, field):
    case = open_as("urzednik", folder)
    before = case.deadline
    with api.env.adopt_user(username="urzednik"), pytest.raises(CaseError) as raised:
        notify_delay(case, reason, before + timedelta(days=days))
    assert raised.value.field == field
    assert case.deadline == before


# --- who sees and does what ----------------------------------------------------------------


def test_the_department_sees_its_cases_others_do_not(site, folder):
    portal, app = site
    case = open_as("urzednik", folder)
    transaction.commit()
    for login, sees in (
        ("urzednik", True),
        ("kierownik", True),
        ("administrator", True),
        ("ksiegowa", False),
        ("kancelaria", False),
        ("mieszkaniec", False),
        (None, False),
    ):
        browser = browser_for(app, login)
        browser.open(case.absolute_url())
        assert (not was_refused(browser)) is sees, login
        response = rest(app, "GET", case.absolute_url(), login)
        assert (response.status_int == 200) is sees, login


def test_the_case_page_shows_the_sign_deadline_and_record(site, folder):
    portal, app = site
    case = open_as("urzednik", folder)
    transaction.commit()
    browser = browser_for(app, "urzednik")
    browser.open(case.absolute_url())
    tree = lxml_html.fromstring(browser.contents)
    assert tree.cssselect("#ratusz-case-sign")[0].text_content() == f"OR.{CLASS}.1.{YEAR}"
    assert (
        tree.cssselect("#ratusz-case-deadline time")[0].get("datetime") == case.deadline.isoformat()
    )
    rows = tree.cssselect("#ratusz-case-trail tbody tr")
    assert len(rows) == 1
    assert "Anna Urzędnik" in rows[0].text_content()
    actions = [a.get("id") for a in tree.cssselect("#ratusz-case-actions a")]
    assert actions == ["ratusz-case-start", "ratusz-case-delay"]


def test_the_clerk_opens_a_case_with_the_form_and_wrong_input_is_explained(site, folder):
    portal, app = site
    browser = browser_for(app, "urzednik")
    browser.open(f"{folder.absolute_url()}/@@open-case")
    browser.getControl(name="title").value = "Zaświadczenie o zameldowaniu"
    browser.getControl(name="jrwa").value = "002"
    browser.getControl(name="kind").value = ["certificate"]
    browser.getControl(name="parties").value = "Jan Kowalski, ul. Polna 1"
    browser.getControl(name="open").click()
    tree = lxml_html.fromstring(browser.contents)
    assert tree.cssselect("#ratusz-case-jrwa")[0].get("aria-invalid") == "true"
    assert "klasie końcowej" in tree.cssselect("#ratusz-case-jrwa-error")[0].text_content()
    browser.getControl(name="jrwa").value = CLASS
    browser.getControl(name="parties").value = "<script>alert(1)</script>"
    browser.getControl(name="open").click()
    assert "<script>alert(1)</script>" not in browser.contents
    assert lxml_html.fromstring(browser.contents).cssselect("#ratusz-case-parties-error")
    browser.getControl(name="parties").value = "Jan Kowalski, ul. Polna 1"
    browser.getControl(name="open").click()
    assert f"Sprawa OR.{CLASS}.1.{YEAR} została założona." in browser.contents
    transaction.begin()
    assert list(folder.objectIds()) == [f"or-{CLASS}-1-{YEAR}"]


def test_the_audit_trail_cannot_be_changed_through_the_rest_api(site, folder):
    portal, app = site
    case = open_as("urzednik", folder)
    transaction.commit()
    before = audit_trail(case)
    for login in ("urzednik", "administrator"):
        response = rest(
            app, "PATCH", case.absolute_url(), login, {"audit_trail": [], "sign": "OR.1.1.2000"}
        )
        assert response.status_int in (204, 400, 401, 403), response.status
    transaction.begin()
    assert audit_trail(case) == before
    assert case.sign == f"OR.{CLASS}.1.{YEAR}"


def test_the_rest_api_opens_cases_with_the_same_rules(site, folder):
    portal, app = site
    url = folder.absolute_url()
    body = {
        "@type": "Case",
        "title": "Zaświadczenie",
        "department": "OR",
        "jrwa": CLASS,
        "kind": "certificate",
    }
    created = rest(app, "POST", url, "urzednik", body)
    assert created.status_int == 201, created.body
    assert created.json["sign"] == f"OR.{CLASS}.1.{YEAR}"
    assert created.json["deadline"] == deadline(TODAY, "7d").isoformat()
    not_final = rest(app, "POST", url, "urzednik", dict(body, jrwa="002"))
    assert not_final.status_int == 400
    assert "Wybierz klasę końcową JRWA" in not_final.json["message"]  # the site speaks Polish
    outsider = rest(app, "POST", url, "ksiegowa", body)
    assert outsider.status_int == 400
    assert "Sprawy możesz zakładać tylko w swoim wydziale." in outsider.json["message"]
    for login in (None, "mieszkaniec"):
        assert rest(app, "POST", url, login, body).status_int in (401, 403), login
    assert rest(app, "POST", url, "kancelaria", body).status_int == 400  # staff, not of OR
    transaction.begin()
    assert list(folder.objectIds()) == [f"or-{CLASS}-1-{YEAR}"]
