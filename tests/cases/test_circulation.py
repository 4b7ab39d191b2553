"""Notices and mail, dashboards with counts, the case search, the register (K2) and
record (K5) as page/CSV/PDF, the archive (K6) and the REST services."""

import io
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
import transaction
from plone import api
from pypdf import PdfReader

from ratusz.cases.archive import archive_settled
from ratusz.cases.archive import due_for_disposal
from ratusz.cases.archive import retention
from ratusz.cases.assignment import assign_to_clerk
from ratusz.cases.assignment import assign_to_department
from ratusz.cases.case import CaseError
from ratusz.cases.case import create_case
from ratusz.cases.case import notify_delay
from ratusz.cases.case import open_case_from_incoming
from ratusz.cases.case import run_transition
from ratusz.cases.case import settle
from ratusz.cases.dashboards import dashboard
from ratusz.cases.dashboards import dashboard_counts
from ratusz.cases.dashboards import search_cases
from ratusz.cases.documents import draft_letter
from ratusz.cases.documents import return_letter
from ratusz.cases.documents import submit_letter
from ratusz.cases.incoming import create_incoming_item
from ratusz.cases.notices import notices_for
from ratusz.cases.notices import remind_deadlines
from ratusz.cases.notices import unread_count
from ratusz.jobs import run_daily_jobs
from tests.bip import smtp
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import sync

smtp_server = smtp.smtp_server
mail_server = smtp.mail_server

TODAY = date.today()
YEAR = TODAY.year


def raw_get(app, url, login):
    """The response to a GET as the demo user ``login`` (bytes as sent: PDF, CSV)."""
    import base64

    from ratusz.demo import DEMO_USERS

    credentials = base64.b64encode(f"{login}:{DEMO_USERS[login][2]}".encode()).decode()
    return browser_for(app).testapp.get(
        url, headers={"Authorization": f"Basic {credentials}"}, expect_errors=True
    )


def as_text(contents):
    return contents.decode("utf-8") if isinstance(contents, bytes) else contents


@pytest.fixture
def portal(functional):
    return functional["portal"]


def as_user(login):
    return api.env.adopt_user(username=login)


def open_case(portal, login="urzednik", **fields):
    values = {
        "title": "Wydanie zaświadczenia",
        "department": "OR",
        "jrwa": "0020",
        "kind": "certificate",
        "parties": ["Jan Kowalski, ul. Długa 1"],
    }
    values.update(fields)
    with as_user(login):
        return create_case(portal.intranet.sprawy, **values)


def incoming(portal, title="Wniosek o zaświadczenie"):
    with as_user("kancelaria"):
        return create_incoming_item(
            portal.intranet.kancelaria,
            title=title,
            sender="Maria Nowak",
            sender_address="ul. Krótka 2",
            letter_sign="MN/1/2026",
            letter_date=date(2026, 11, 2),
            received=datetime.now(),
        )


# --- notices --------------------------------------------------------------------------------


def test_each_step_tells_the_next_person_in_the_site_and_by_mail(portal, mail_server):
    item = incoming(portal)
    with as_user("sekretariat"):
        assign_to_department(item, "OR", copy_to=["ksiegowa"])
    with as_user("kierownik"):
        assign_to_clerk(item, "urzednik")
    number = item.number
    assert notices_for("kierownik")[0]["text"] == (
        f"Przesyłka {number} (Wniosek o zaświadczenie) została przydzielona Twojemu wydziałowi."
    )
    assert notices_for("urzednik")[0]["url"] == item.absolute_url()
    assert "do wiadomości" in notices_for("ksiegowa")[0]["text"]
    assert notices_for("sekretariat") == []  # nobody is told of their own step
    transaction.commit()
    mail = mail_server.wait_for(lambda m: m["To"] == "urzednik@przykladowo.example")
    assert number in mail["Subject"]
    assert item.absolute_url() in mail.get_content()
    with as_user("urzednik"):
        case = open_case_from_incoming(portal.intranet.sprawy, item, "0020", "certificate")
        letter = draft_letter(case, "Odpowiedź", body="Treść")
        submit_letter(letter)
    assert "czeka na Twoją akceptację" in notices_for("kierownik")[0]["text"]
    with as_user("kierownik"):
        return_letter(letter, "Poprawić")
    assert "zwrócone z uwagami" in notices_for("urzednik")[0]["text"]
    assert unread_count("urzednik") == 2


def test_the_notices_page_lists_and_marks_read(portal, functional):
    item = incoming(portal)
    with as_user("sekretariat"):
        assign_to_department(item, "OR")
    transaction.commit()
    browser = browser_for(functional["app"], "kierownik")
    browser.open(f"{portal.intranet.absolute_url()}/@@notices")
    assert item.number in browser.contents
    sync()
    assert unread_count("kierownik") == 0
    assert (
        rest(
            functional["app"],
            "GET",
            f"{portal.intranet.absolute_url()}/@ratusz-notices",
            "kierownik",
        ).json["unread"]
        == 0
    )
    anonymous = browser_for(functional["app"])
    anonymous.open(f"{portal.intranet.absolute_url()}/@@notices")
    assert item.number not in anonymous.contents


def test_the_clock_reminds_the_clerk_once_before_the_deadline(portal):
    case = open_case(portal)  # 7 days
    assert remind_deadlines(portal, today=case.deadline - timedelta(days=5)) == []
    assert remind_deadlines(portal, today=case.deadline - timedelta(days=3)) == [case.sign]
    assert remind_deadlines(portal, today=case.deadline - timedelta(days=2)) == []
    assert case.deadline.isoformat() in notices_for("urzednik")[0]["text"]
    lines = run_daily_jobs(portal, today=case.deadline - timedelta(days=1))
    assert any("ratusz.cases.remind_deadlines" in str(line) for line in str(lines).split("\n"))


def test_a_delay_notice_is_mailed_to_the_party(portal, mail_server):
    case = open_case(portal)
    new = case.deadline + timedelta(days=30)
    with as_user("urzednik"):
        with pytest.raises(CaseError) as bad:
            notify_delay(
                case, "Oczekiwanie na opinię", new, email="jan@x.pl\nBcc: spy@evil.example"
            )
        assert bad.value.field == "email"
        assert case.deadline != new
        notify_delay(case, "Oczekiwanie na opinię", new, email="jan.kowalski@example.org")
    transaction.commit()
    mail = mail_server.wait_for(lambda m: m["To"] == "jan.kowalski@example.org")
    body = mail.get_content()
    assert case.sign in mail["Subject"]
    assert "Oczekiwanie na opinię" in body
    assert new.isoformat() in body
    assert "ponaglenia (art. 37" in body
    assert mail.get_content_type() == "text/plain"


# --- dashboards and search -------------------------------------------------------------------


def test_dashboards_count_what_each_person_has(portal):
    mine = open_case(portal)
    open_case(portal, "ksiegowa", department="FN")
    waiting = open_case(portal, kind="approval", title="Sprawa do akceptacji")
    with as_user("urzednik"):
        run_transition(waiting, "start")
        settle(waiting, "Projekt decyzji")
    item = incoming(portal)
    with as_user("sekretariat"):
        assign_to_department(item, "OR", copy_to=["ksiegowa"])
    with as_user("kierownik"):
        assign_to_clerk(item, "urzednik")
    with as_user("urzednik"):
        counts = dashboard_counts()
        assert counts["assigned_to_me"] == 3  # two cases and the item without a case
        assert counts["my_department"] == 2
        assert counts["for_approval"] == 0
        assert counts["deadlines"] == 0
        refs = {row["reference"] for row in dashboard("assigned_to_me")["items"]}
        assert refs == {mine.sign, waiting.sign, item.number}
    with as_user("kierownik"):
        approval = dashboard("for_approval")
        assert [row["reference"] for row in approval["items"]] == [waiting.sign]
    with as_user("ksiegowa"):
        assert dashboard_counts()["copies"] == 1
        assert dashboard_counts()["my_department"] == 1  # FN only: OR's cases are not hers
        assert mine.sign not in {r["reference"] for r in dashboard("my_department")["items"]}
    with as_user("mieszkaniec"):
        assert set(dashboard_counts().values()) == {0}
    with as_user("administrator"):
        assert dashboard_counts()["my_department"] == 3


def test_overdue_and_due_soon(portal):
    case = open_case(portal)
    case.deadline = TODAY - timedelta(days=1)
    case.reindexObject()
    soon = open_case(portal, title="Na jutro")
    soon.deadline = TODAY + timedelta(days=2)
    soon.reindexObject()
    open_case(portal, kind="general", title="Za miesiąc")
    with as_user("urzednik"):
        rows = dashboard("deadlines")["items"]
    assert [(r["reference"], r["overdue"]) for r in rows] == [(case.sign, True), (soon.sign, False)]
    with as_user("urzednik"):
        assert [r["reference"] for r in search_cases({"overdue": "1"})["items"]] == [case.sign]


def test_search_filters(portal):
    first = open_case(portal, parties=["Zenon Wiśniewski"], start_date=date(YEAR, 1, 5))
    second = open_case(portal, jrwa="0021", title="Skarga na hałas", start_date=date(YEAR, 2, 1))
    other = open_case(portal, "ksiegowa", department="FN")
    with as_user("urzednik"):

        def signs(**filters):
            return {row["reference"] for row in search_cases(filters)["items"]}

        assert signs(party="Wiśniewski") == {first.sign}
        assert signs(party="wiśniew") == {first.sign}
        assert signs(jrwa="0021") == {second.sign}
        assert signs(text="hałas") == {second.sign}
        assert signs(text=second.sign) == {second.sign}
        assert signs(start_from=f"{YEAR}-01-20", start_to=f"{YEAR}-02-10") == {second.sign}
        assert signs(department="FN") == set()  # not hers to see
        assert signs(phase="open") == {first.sign, second.sign}
        assert signs(text='" OR * AND ( NOT') == set()  # operators are plain words
        with pytest.raises(ValueError):
            search_cases({"start_from": "wczoraj"})
    with as_user("ksiegowa"):
        assert {row["reference"] for row in search_cases({})["items"]} == {other.sign}


def test_the_dashboard_page_and_search_page(portal, functional):
    case = open_case(portal)
    transaction.commit()
    app = functional["app"]
    browser = browser_for(app, "urzednik")
    browser.open(f"{portal.intranet.absolute_url()}/@@dashboard")
    assert case.sign in browser.contents
    assert 'id="ratusz-tab-assigned_to_me"' in browser.contents
    browser.open(f"{portal.intranet.sprawy.absolute_url()}/@@case-search?start_from=zle&search=1")
    assert "YYYY-MM-DD" in browser.contents
    browser.open(f"{portal.intranet.sprawy.absolute_url()}/@@case-search?text=<script>&search=1")
    assert "<script>" not in browser.contents
    anonymous = browser_for(app)
    anonymous.open(f"{portal.intranet.absolute_url()}/@@dashboard")
    assert case.sign not in anonymous.contents


def test_rest_dashboards_and_search(portal, functional):
    case = open_case(portal)
    transaction.commit()
    app = functional["app"]
    url = f"{portal.intranet.absolute_url()}/@ratusz-dashboards"
    counts = {d["name"]: d["count"] for d in rest(app, "GET", url, "urzednik").json["dashboards"]}
    assert counts["assigned_to_me"] == 1
    one = rest(app, "GET", f"{url}?name=assigned_to_me&b_size=10", "urzednik").json
    assert one["items_total"] == 1
    assert one["items"][0]["reference"] == case.sign
    assert one["items"][0]["deadline"] == case.deadline.isoformat()
    assert rest(app, "GET", f"{url}?name=nope", "urzednik").status_int == 400
    assert rest(app, "GET", f"{url}?name=copies&b_size=x", "urzednik").status_int == 400
    assert rest(app, "GET", url).status_int in (401, 403)
    assert rest(app, "GET", url, "mieszkaniec").status_int in (401, 403)
    search = f"{portal.intranet.absolute_url()}/@ratusz-case-search"
    assert rest(app, "GET", f"{search}?party=Kowalski", "urzednik").json["items_total"] == 1
    assert rest(app, "GET", f"{search}?party=Kowalski", "ksiegowa").json["items_total"] == 0
    assert rest(app, "GET", f"{search}?start_to=31.12.2026", "urzednik").status_int == 400


# --- registers, record, archive ----------------------------------------------------------------


def test_the_case_register_per_unit_class_and_year(portal, functional):
    item = incoming(portal, "Wniosek o wypis")
    with as_user("sekretariat"):
        assign_to_department(item, "OR")
    with as_user("kierownik"):
        assign_to_clerk(item, "urzednik")
    with as_user("urzednik"):
        first = open_case_from_incoming(portal.intranet.sprawy, item, "0020", "certificate")
        run_transition(first, "start")
        settle(first, '=HYPERLINK("http://evil") wydano')
    second = open_case(portal, title="Druga sprawa")
    open_case(portal, jrwa="0021")
    transaction.commit()
    app = functional["app"]
    url = f"{portal.intranet.sprawy.absolute_url()}/@@case-register?unit=OR&jrwa=0020&year={YEAR}"
    browser = browser_for(app, "kierownik")
    browser.open(url)
    assert "Maria Nowak (MN/1/2026, 2026-11-02)" in browser.contents
    assert second.title in browser.contents
    csv_file = raw_get(app, url + "&format=csv", "kierownik")
    assert csv_file.headers["Content-Type"].startswith("text/csv")
    assert csv_file.body.startswith(b"\xef\xbb\xbf")  # the BOM: a spreadsheet reads UTF-8
    lines = csv_file.body.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Nr;")
    assert lines[1].startswith("1;Wniosek o wypis;Maria Nowak")
    assert ";\"'=HYPERLINK" in lines[1]  # a spreadsheet will not run it
    assert lines[2].startswith("2;Druga sprawa;")
    pdf_file = raw_get(app, url + "&format=pdf", "kierownik")
    assert pdf_file.headers["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_file.body)).pages)
    assert "OR.0020" in pdf_text and "Wniosek o wypis" in pdf_text and "Maria Nowak" in pdf_text
    outsider = browser_for(app, "ksiegowa")
    outsider.open(url)
    assert "Wniosek o wypis" not in outsider.contents


def test_the_case_record_as_page_csv_and_pdf(portal, functional):
    case = open_case(portal)
    with as_user("urzednik"):
        run_transition(case, "start")
        settle(case, "Wydano zaświadczenie")
    transaction.commit()
    browser = browser_for(functional["app"], "urzednik")
    browser.open(f"{case.absolute_url()}/@@case-record")
    assert "Metryka sprawy" in browser.contents
    assert "Anna Urzędnik (pracownik)" in browser.contents
    pdf_file = raw_get(
        functional["app"], f"{case.absolute_url()}/@@case-record?format=pdf", "urzednik"
    )
    assert pdf_file.status_int == 200, pdf_file.body[:800]
    pdf = PdfReader(io.BytesIO(pdf_file.body))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert case.sign in text and "Wydano zaświadczenie" in text and "Anna Urzędnik" in text
    csv_file = raw_get(
        functional["app"], f"{case.absolute_url()}/@@case-record?format=csv", "urzednik"
    )
    assert csv_file.body.decode("utf-8-sig").count("\r\n") == 4  # heading + 3 steps
    outsider = browser_for(functional["app"], "ksiegowa")
    outsider.open(f"{case.absolute_url()}/@@case-record?format=csv")
    assert case.sign not in str(outsider.contents)


def test_retention_counts_from_the_year_after_closing():
    assert retention("B5", 2026) == {
        "category": "B5",
        "permanent": False,
        "expert_review": False,
        "end_year": 2031,
        "disposal_year": 2032,
    }
    assert retention("BE10", 2026)["expert_review"] is True
    assert retention("BE10", 2026)["disposal_year"] == 2037
    assert retention("A", 2026)["permanent"] is True
    assert retention("A", 2026)["disposal_year"] is None
    assert retention("Bc", 2026)["disposal_year"] == 2027
    assert retention("B5", None)["disposal_year"] is None  # not closed yet


def test_settled_cases_go_to_the_archive_and_onto_the_disposal_list(portal, functional):
    case = open_case(portal)  # class 0020 is B5 in the demo list
    with as_user("urzednik"):
        run_transition(case, "start")
        settle(case, "Wydano", today=date(2026, 3, 2))
    case.reindexObject()
    assert archive_settled(portal, today=date(2026, 3, 20)) == []  # 30 days not passed
    assert archive_settled(portal, today=date(2026, 4, 1)) == [case.sign]
    assert api.content.get_state(case) == "archived"
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(case_sign=case.sign)[0]
    assert (brain.case_summary["retention_end"], brain.case_summary["disposal_year"]) == (
        2031,
        2032,
    )
    with as_user("administrator"):
        assert due_for_disposal(2031) == []
        assert [row["sign"] for row in due_for_disposal(2032)] == [case.sign]
        assert [row["sign"] for row in due_for_disposal(2035)] == [case.sign]
    transaction.commit()
    browser = browser_for(functional["app"], "administrator")
    browser.open(f"{portal.intranet.sprawy.absolute_url()}/@@disposal-list?year=2032")
    assert case.sign in browser.contents
    clerk = browser_for(functional["app"], "urzednik")
    clerk.open(f"{portal.intranet.sprawy.absolute_url()}/@@disposal-list?year=2032")
    assert case.sign not in clerk.contents
