"""A resident files a service card's online form: an incoming item and a case are registered,
the thank-you page and the mail carry the receipt, and the key shows the case's status.
A refused submission shows a message and stores nothing."""

import io
from datetime import date

import pytest
import transaction
from plone import api
from plone.testing.zope import Browser
from pypdf import PdfReader

from ratusz.eservices.forms import create_online_form
from ratusz.eservices.receipt import key_matches
from ratusz.eservices.submission import SUBMISSIONS
from ratusz.eservices.tracking import THROTTLE
from ratusz.eservices.tracking import case_status
from tests.bip import smtp
from tests.eservices.helpers import FIELDS
from tests.eservices.helpers import PNG

smtp_server = smtp.smtp_server
mail_server = smtp.mail_server

YEAR = date.today().year
SIGN = f"OR.0020.1.{YEAR}"


@pytest.fixture
def portal(functional):
    THROTTLE.clear()
    SUBMISSIONS.clear()
    return functional["portal"]


@pytest.fixture
def form(portal):
    with api.env.adopt_roles(["Manager"]):
        card = api.content.create(
            container=portal.pl["e-uslugi"],
            type="ServiceCard",
            id="zaswiadczenie",
            title="Wydanie zaświadczenia",
            description="Zaświadczenie o niezaleganiu.",
            department="OR",
            jrwa="0020",
            case_kind="certificate",
            life_events=["documents"],
        )
        api.content.transition(obj=card, transition="publish")
        form = create_online_form(card, FIELDS, title="Wniosek o zaświadczenie")
        api.content.transition(obj=form, transition="publish")
    transaction.commit()
    return form


def resident(app):
    browser = Browser(app)
    browser.handleErrors = False
    return browser


def fill(
    browser,
    form_url,
    name="Jan Kowalski",
    email="jan@example.org",
    acknowledged=True,
):
    browser.open(form_url)
    browser.getControl(name="form.widgets.applicant_name").value = name
    browser.getControl(name="form.widgets.applicant_email").value = email
    browser.getControl(name="form.widgets.applicant_address").value = "ul. Długa 1, Przykładowo"
    browser.getControl(name="form.widgets.purpose").value = "Do banku <script>alert(1)</script>"
    browser.getControl(name="form.widgets.ratusz_privacy_acknowledged:list").value = acknowledged


def test_a_submission_becomes_a_case_with_receipt_mail_and_tracking(
    portal, form, functional, mail_server
):
    browser = resident(functional["app"])
    fill(browser, form.absolute_url())
    browser.getControl(name="form.widgets.scan").add_file(PNG, "image/png", "skan.png")
    browser.getControl(name="form.buttons.submit").click()

    page = browser.contents
    assert SIGN in page
    assert "Do banku" not in page  # the receipt, not the submitted data again
    assert "<script>alert(1)</script>" not in page
    key = browser.getLink(id="ratusz-receipt-track") and _key_from(page)
    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    assert case.department == "OR" and case.jrwa == "0020"
    assert case.deadline is not None
    assert api.content.get_state(case) == "registered"
    record = case.eservice
    assert key_matches(key, record["key_salt"], record["key_hash"])
    assert key.replace("-", "") not in repr(dict(record))  # only the hash is kept
    files = {obj.title: obj for obj in case.objectValues() if obj.portal_type == "File"}
    assert "skan.png" in files and files["skan.png"].file.data == PNG
    application = next(obj for title, obj in files.items() if title.startswith("Wniosek"))
    assert application.file.filename == "wniosek.txt"
    text = application.file.data.decode("utf-8")
    assert "Cel zaświadczenia: Do banku <script>alert(1)</script>" in text
    assert record["digest"] in text
    item = portal.intranet.kancelaria[record["item"].replace("/", "-").lower()]
    assert item.channel == "eservice" and item.assigned_department == "OR"
    assert case.parties == ["Jan Kowalski, ul. Długa 1, Przykładowo"]

    mail = mail_server.wait_for(lambda m: m["To"] == "jan@example.org")
    body = mail.get_content()
    assert SIGN in mail["Subject"] and key in body and record["digest"] in body

    pdf = browser.getForm(id="ratusz-receipt-pdf-form")
    pdf.submit()
    assert browser.headers["Content-Type"] == "application/pdf"
    receipt_text = PdfReader(io.BytesIO(browser.contents)).pages[0].extract_text()
    assert SIGN in receipt_text and key in receipt_text
    status = case_status(SIGN.lower(), key.lower(), "198.51.100.7")
    assert status["state"] == "received"
    assert "Kowalski" not in repr(status)


def test_markup_in_the_name_is_refused_on_its_field_and_nothing_is_stored(portal, form, functional):
    browser = resident(functional["app"])
    fill(browser, form.absolute_url(), name="<b>Jan</b>")
    browser.getControl(name="form.buttons.submit").click()
    assert "ratusz-receipt" not in browser.contents
    assert "Znaki &lt; i &gt; są niedozwolone." in browser.contents
    transaction.begin()
    assert list(portal.intranet.sprawy.objectIds()) == []


def test_without_the_acknowledgement_nothing_is_filed(portal, form, functional):
    browser = resident(functional["app"])
    fill(browser, form.absolute_url(), acknowledged=False)
    browser.getControl(name="form.buttons.submit").click()
    assert "ratusz-receipt" not in browser.contents
    assert "klauzulą informacyjną" in browser.contents
    transaction.begin()
    assert list(portal.intranet.kancelaria.objectIds()) == []


def _key_from(page):
    start = page.index('id="ratusz-receipt-key"')
    return page[page.index(">", start) + 1 : page.index("</strong>", start)].strip()


def test_a_refused_file_shows_a_message_and_stores_nothing(portal, form, functional):
    browser = resident(functional["app"])
    fill(browser, form.absolute_url())
    browser.getControl(name="form.widgets.scan").add_file(
        b"MZ\x90\x00" + b"\x00" * 200, "application/pdf", "faktura.pdf"
    )
    browser.getControl(name="form.buttons.submit").click()
    assert "faktura.pdf" in browser.contents
    assert "ratusz-receipt" not in browser.contents
    transaction.begin()
    assert list(portal.intranet.sprawy.objectIds()) == []
    assert list(portal.intranet.kancelaria.objectIds()) == []


def test_wrong_keys_are_throttled_without_saying_which_part_was_wrong(portal, form, functional):
    browser = resident(functional["app"])
    fill(browser, form.absolute_url(), name="Anna Nowak")
    browser.getControl(name="form.buttons.submit").click()
    key = _key_from(browser.contents)
    status_page = portal.pl.absolute_url() + "/status-sprawy"
    browser.open(status_page)
    browser.getControl(name="sign").value = SIGN
    browser.getControl(name="key").value = "AAAA-BBBB-CCCC"
    browser.getForm(id="ratusz-status-form").submit()
    wrong_key = browser.contents
    browser.getControl(name="sign").value = f"OR.0020.99.{YEAR}"
    browser.getControl(name="key").value = key
    browser.getForm(id="ratusz-status-form").submit()
    assert _error(wrong_key) == _error(browser.contents)
    for _attempt in range(3):
        browser.getForm(id="ratusz-status-form").submit()
    browser.getControl(name="sign").value = SIGN
    browser.getControl(name="key").value = key
    browser.getForm(id="ratusz-status-form").submit()
    assert "Zbyt wiele" in _error(browser.contents)  # the right key waits too
    THROTTLE.clear()
    browser.getControl(name="key").value = key
    browser.getForm(id="ratusz-status-form").submit()
    assert "ratusz-status-state" in browser.contents
    assert "Anna Nowak" not in browser.contents


def _error(page):
    start = page.index('id="ratusz-status-error"')
    return page[page.index(">", start) + 1 : page.index("</div>", start)].strip()


def test_the_applicant_hears_of_each_public_step_in_the_forms_language(
    portal, form, functional, mail_server
):
    from ratusz.cases.case import audit_trail
    from ratusz.cases.case import run_transition
    from ratusz.cases.case import settle

    browser = resident(functional["app"])
    fill(browser, form.absolute_url(), email="anna@example.org")
    browser.getControl(name="form.buttons.submit").click()
    mail_server.wait_for(lambda m: m["To"] == "anna@example.org")  # the receipt
    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    with api.env.adopt_user(username="kierownik"):  # no clerk yet: the head's case
        run_transition(case, "start")
    transaction.commit()
    mail = mail_server.wait_for(lambda m: "w toku" in str(m["Subject"]))
    assert mail["To"] == "anna@example.org"
    assert mail["Subject"] == f"Sprawa {SIGN}: w toku"
    assert "/pl/status-sprawy" in mail.get_content()
    assert "Termin załatwienia: " in mail.get_content()
    with api.env.adopt_user(username="kierownik"):
        settle(case, "Wydano zaświadczenie")
    transaction.commit()
    mail = mail_server.wait_for(lambda m: "załatwiona" in str(m["Subject"]))
    assert mail["Subject"] == f"Sprawa {SIGN}: załatwiona"
    actions = [str(entry["action"]) for entry in audit_trail(case)]
    assert actions.count("The applicant was notified by e-mail") == 2


def test_an_english_applicant_gets_english_mails(portal):
    from types import SimpleNamespace

    from ratusz.eservices.notifications import state_mail

    filed_in_english = SimpleNamespace(
        sign=SIGN,
        title="Certificate",
        deadline=date(YEAR, 12, 10),
        eservice={"email": "ann@example.org", "language": "en"},
    )
    to, subject, body = state_mail(filed_in_english, "awaiting_party")
    assert to == "ann@example.org"
    assert subject == f"Case {SIGN}: a supplement is needed"
    assert "/en/case-status" in body and "Hello," in body
    assert state_mail(filed_in_english, "for_approval") is None  # no template, no mail


def test_editors_change_the_mails_and_a_wrong_placeholder_saves_nothing(portal, functional):
    from ratusz.eservices.notifications import state_mails
    from tests.bip.security_helpers import browser_for

    editor = browser_for(functional["app"], "redaktor")
    url = portal.pl["e-uslugi"].absolute_url() + "/@@eservice-mails"
    editor.open(url)
    editor.getControl(name="in_progress.subject_pl").value = "Sprawa ${sign}: ${nonsense}"
    editor.getControl(name="settled.subject_pl").value = "Zmieniony temat ${sign}"
    editor.getForm(id="ratusz-eservice-mails").submit()
    assert "Unknown placeholder" in editor.contents or "Nieznane pole" in editor.contents
    transaction.begin()
    assert state_mails()["settled"].subject_pl == "Sprawa ${sign}: załatwiona"
    editor.getControl(name="in_progress.subject_pl").value = "Sprawa ${sign} w toku"
    editor.getForm(id="ratusz-eservice-mails").submit()
    transaction.begin()
    assert state_mails()["settled"].subject_pl == "Zmieniony temat ${sign}"
    resident_browser = browser_for(functional["app"], "mieszkaniec")
    resident_browser.raiseHttpErrors = False
    resident_browser.open(url)
    assert "ratusz-eservice-mails" not in resident_browser.contents


def test_a_signed_in_resident_sees_their_cases_and_nobody_elses(portal, form, functional):
    from tests.bip.security_helpers import browser_for

    citizen = browser_for(functional["app"], "mieszkaniec")
    fill(citizen, form.absolute_url(), name="Maria Mieszkaniec")
    citizen.getControl(name="form.buttons.submit").click()
    assert SIGN in citizen.contents
    anonymous = resident(functional["app"])
    fill(anonymous, form.absolute_url(), name="Ktoś Inny")
    anonymous.getControl(name="form.buttons.submit").click()

    citizen.open(portal.pl.absolute_url() + "/moje-sprawy")
    table = citizen.contents
    assert SIGN in table and f"OR.0020.2.{YEAR}" not in table
    assert "Przyjęta" in table or "Received" in table
    clerk = browser_for(functional["app"], "ksiegowa")
    clerk.open(portal.pl.absolute_url() + "/moje-sprawy")
    assert SIGN not in clerk.contents
    anonymous.raiseHttpErrors = False
    anonymous.handleErrors = True
    anonymous.open(portal.pl.absolute_url() + "/moje-sprawy")
    assert SIGN not in anonymous.contents
    assert "login" in anonymous.url or "require_login" in anonymous.url


def test_an_administrator_anonymises_a_settled_case_after_retention_only(portal, form, functional):
    from ratusz.cases.case import audit_trail
    from ratusz.cases.case import run_transition
    from ratusz.cases.case import settle
    from ratusz.eservices.anonymise import REMOVED
    from ratusz.eservices.anonymise import AnonymiseError
    from ratusz.eservices.anonymise import anonymise_case
    from ratusz.eservices.anonymise import anonymise_refusal
    from tests.bip.security_helpers import browser_for

    browser = resident(functional["app"])
    fill(browser, form.absolute_url())
    browser.getControl(name="form.widgets.scan").add_file(PNG, "image/png", "skan.png")
    browser.getControl(name="form.buttons.submit").click()
    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    assert "settled" in str(anonymise_refusal(case)) or "Tylko" in str(anonymise_refusal(case))
    with api.env.adopt_user(username="kierownik"):
        run_transition(case, "start")
        settle(case, "Wydano zaświadczenie")
    transaction.commit()
    clerk = browser_for(functional["app"], "kierownik")
    clerk.open(case.absolute_url() + "/@@anonymise")
    assert "ratusz-anonymise" not in clerk.contents  # heads may not
    with pytest.raises(AnonymiseError):
        anonymise_case(case, date(YEAR, 12, 31))  # class 0020 is kept for years
    with api.env.adopt_roles(["Site Administrator"]):
        removed = anonymise_case(case, date(YEAR + 60, 1, 2))
    assert removed == 2
    assert case.parties == [REMOVED]
    assert case.eservice["email"] is None
    assert not [o for o in case.objectValues() if o.portal_type == "File"]
    item = portal.intranet.kancelaria[case.eservice["item"].replace("/", "-").lower()]
    assert item.sender == REMOVED
    assert "anonymised" in str(audit_trail(case)[-1]["action"])


def test_a_filled_honeypot_stores_nothing(portal, form, functional):
    browser = resident(functional["app"])
    fill(browser, form.absolute_url())
    browser.getControl(name="form.widgets.ratusz_website").value = "http://spam.example"
    browser.getControl(name="form.buttons.submit").click()
    assert "ratusz-receipt" not in browser.contents
    assert "Nie udało się wysłać formularza" in browser.contents
    transaction.begin()
    assert list(portal.intranet.sprawy.objectIds()) == []


def test_too_many_submissions_from_one_address_are_refused_with_a_message(portal, form, functional):
    api.portal.set_registry_record("ratusz.eservices.submissions_per_hour", 2)
    transaction.commit()
    try:
        for _attempt in range(2):
            browser = resident(functional["app"])
            fill(browser, form.absolute_url())
            browser.getControl(name="form.buttons.submit").click()
            assert "ratusz-receipt-key" in browser.contents
        browser = resident(functional["app"])
        fill(browser, form.absolute_url())
        browser.getControl(name="form.buttons.submit").click()
        assert "Zbyt wiele zgłoszeń z Twojego adresu" in browser.contents
        transaction.begin()
        assert len(list(portal.intranet.sprawy.objectIds())) == 2
    finally:
        api.portal.set_registry_record("ratusz.eservices.submissions_per_hour", 20)
        transaction.commit()


def test_a_mail_server_that_is_down_loses_neither_the_case_nor_the_receipt(
    portal, form, functional, mail_server, mail_queue
):
    from tests.test_mail_queue import LateServer
    from tests.test_mail_queue import point_mailhost_at
    from tests.test_mail_queue import queued

    late = LateServer()
    try:
        point_mailhost_at(functional, late)  # nothing listens there yet
        browser = resident(functional["app"])
        fill(browser, form.absolute_url(), email="ewa@example.org")
        browser.getControl(name="form.buttons.submit").click()
        key = _key_from(browser.contents)
        transaction.begin()
        assert SIGN.lower().replace(".", "-") in portal.intranet.sprawy.objectIds()
        waiting = [path.read_bytes() for path in queued(mail_queue)]
        assert any(b"ewa@example.org" in mail for mail in waiting)  # the receipt waits
        late.start()
        mail = late.wait_for(lambda m: m["To"] == "ewa@example.org", timeout=30)
        assert key in mail.get_content()
    finally:
        late.stop()


def test_hostile_text_reaches_the_clerk_escaped(portal, form, functional):
    from tests.bip.security_helpers import browser_for

    hostile = "<img src=x onerror=alert(1)>"
    browser = resident(functional["app"])
    fill(browser, form.absolute_url())
    browser.getControl(name="form.widgets.purpose").value = hostile
    browser.getControl(name="form.widgets.scan").add_file(PNG, "image/png", f"{hostile}.png")
    browser.getControl(name="form.buttons.submit").click()
    assert "ratusz-receipt-key" in browser.contents
    case_url = f"{portal.intranet.sprawy.absolute_url()}/{SIGN.lower().replace('.', '-')}"
    head = browser_for(functional["app"], "kierownik")
    head.open(case_url)
    assert hostile not in head.contents
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in head.contents  # the file's name, as text
    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    application = next(o for o in case.objectValues() if o.file.filename == "wniosek.txt")
    assert hostile in application.file.data.decode()  # as written; a text file runs nothing
