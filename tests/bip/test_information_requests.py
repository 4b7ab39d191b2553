"""Requests for information not published in the BIP: the form, the REST API, the
staff list and the mails, through zope.testbrowser and a real SMTP server."""

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import transaction

from ratusz.bip.information_requests import storage
from tests.bip import smtp
from tests.bip.pages_fixtures import browser_for as pages_browser_for

# Fixtures of tests/bip/smtp.py: a real SMTP server and the portal mailing to it.
smtp_server = smtp.smtp_server
mail_server = smtp.mail_server

PL_SECTION = "pl/bip/informacje-nieudostepnione"
EN_SECTION = "en/bip/information-on-request"
ADMINISTRATOR_EMAIL = "bip@przykladowo.example"
REQUESTER_EMAIL = "jan.nowak@example.org"
STAFF_LIST = "pl/bip/information-requests"
NOT_ALLOWED = [None, "mieszkaniec", "urzednik", "kierownik", "redaktor"]
ALLOWED = ["sekretarz", "administrator"]


def browser_for(app, login=None, language=None):
    return pages_browser_for(app, login, language, handle_errors=True)


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def url(portal, path):
    return f"{portal.absolute_url()}/{path}"


def stored_requests():
    transaction.begin()
    return list(storage.information_requests())


def fill_form(browser, text="Proszę o umowy na odśnieżanie w 2025 r.", **values):
    fields = {"email": REQUESTER_EMAIL, "name": "Jan Nowak", "text": text, **values}
    for name, value in fields.items():
        browser.getControl(name=f"form.widgets.{name}").value = value


def submit_form(browser, portal, section=PL_SECTION, **values):
    browser.open(url(portal, f"{section}/request-information"))
    fill_form(browser, **values)
    browser.getControl(name="form.buttons.send").click()
    return browser


def post_form(browser, portal, section=EN_SECTION, **values):
    """A raw POST of the form, as a bot or a hostile client would send it."""
    data = {
        "form.widgets.name": "Jan Nowak",
        "form.widgets.email": REQUESTER_EMAIL,
        "form.widgets.postal_address": "",
        "form.widgets.text": "Proszę o informację.",
        "form.widgets.access_way": "email",
        "form.widgets.access_form": "electronic",
        "form.buttons.send": "Send the request",
    }
    data.update({f"form.widgets.{k}" if k != "website" else k: v for k, v in values.items()})
    browser.post(url(portal, f"{section}/request-information"), urlencode(data))
    return browser


def status(browser):
    return int(browser.headers["status"].split()[0])


def year_now():
    return storage.now().year


def deadline_now():
    return (storage.today() + timedelta(days=14)).isoformat()


# The form


def test_the_form_explains_how_to_ask_and_what_the_law_promises(site):
    portal, app = site
    browser = browser_for(app)
    browser.open(url(portal, f"{EN_SECTION}/request-information"))
    assert status(browser) == 200
    contents = browser.contents
    assert 'id="ratusz-request-howto"' in contents
    for promise in ("within 14 days", "2 months", "art. 13", "art. 15", "art. 8 sec. 4–5"):
        assert promise in contents
    assert "/UMPrzykladowo/SkrytkaESP" in contents  # ePUAP inbox from the city settings
    assert f"mailto:{ADMINISTRATOR_EMAIL}" in contents
    gdpr = contents.split('id="ratusz-request-gdpr"')[1]
    assert "art. 6(1)(c) GDPR" in gdpr
    assert "UODO" in gdpr
    assert url(portal, "en/bip/data-protection") in gdpr
    honeypot = contents.split('class="ratusz-request-honeypot"')[1].split("</div>")[0]
    assert 'hidden="hidden"' in honeypot
    assert 'name="website"' in honeypot
    assert 'tabindex="-1"' in honeypot


def test_a_request_is_numbered_stored_and_both_mails_arrive(site, mail_server):
    portal, app = site
    browser = submit_form(browser_for(app), portal, postal_address="ul. Polna 2\n99-999 X")
    number = f"UDIP.1.{year_now()}"
    assert status(browser) == 200
    assert 'id="ratusz-request-receipt"' in browser.contents
    assert f'<dd class="ratusz-request-number">{number}</dd>' in browser.contents
    assert f'datetime="{deadline_now()}"' in browser.contents

    (record,) = stored_requests()
    assert record["number"] == number
    assert record["status"] == "new"
    assert record["email"] == REQUESTER_EMAIL
    assert record["postal_address"] == "ul. Polna 2\n99-999 X"
    assert record["deadline"] == record["received"].date() + timedelta(days=14)
    assert record["language"] == "pl"

    to_office = mail_server.wait_for(lambda m: m["To"] == ADMINISTRATOR_EMAIL)
    assert number in to_office["Subject"]
    assert to_office.get_content_type() == "text/plain"
    body = to_office.get_content()
    assert number in body
    assert deadline_now() in body
    assert "Proszę o umowy na odśnieżanie w 2025 r." in body
    assert REQUESTER_EMAIL in body

    confirmation = mail_server.wait_for(lambda m: m["To"] == REQUESTER_EMAIL)
    assert number in confirmation["Subject"]
    body = confirmation.get_content()
    assert number in body
    assert deadline_now() in body
    assert record["received"].strftime("%Y-%m-%d %H:%M") in body
    assert "noreply@przykladowo.example" in confirmation["From"]


def test_a_request_of_the_longest_allowed_text_arrives_whole(site, mail_server):
    portal, app = site
    text = ("Proszę o kopie umów zawartych przez urząd w 2025 roku. " * 100)[:5_000]
    submit_form(browser_for(app), portal, text=text)
    for recipient in (ADMINISTRATOR_EMAIL, REQUESTER_EMAIL):
        message = mail_server.wait_for(lambda m, to=recipient: m["To"] == to)
        assert text in message.get_content()
    raw = mail_server.envelopes[0].content
    assert b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5321 line ends only


def test_numbers_count_up_within_the_year(site, mail_server):
    portal, app = site
    submit_form(browser_for(app), portal)
    browser = submit_form(browser_for(app), portal, section=EN_SECTION, email="anna@example.org")
    assert f"UDIP.2.{year_now()}" in browser.contents
    assert [r["number"] for r in stored_requests()] == [
        f"UDIP.2.{year_now()}",
        f"UDIP.1.{year_now()}",
    ]


def test_without_email_only_the_office_is_told(site, mail_server):
    portal, app = site
    browser = browser_for(app)
    browser.open(url(portal, f"{PL_SECTION}/request-information"))
    fill_form(browser, email="", postal_address="ul. Polna 2, 99-999 Przykładowo")
    browser.getControl(name="form.widgets.access_way").value = ["post"]
    browser.getControl(name="form.widgets.access_form").value = ["paper"]
    browser.getControl(name="form.buttons.send").click()
    (record,) = stored_requests()
    assert (record["access_way"], record["access_form"]) == ("post", "paper")
    mail_server.wait_for(lambda m: m["To"] == ADMINISTRATOR_EMAIL)
    assert [m["To"] for m in mail_server.wait_quietly()] == [ADMINISTRATOR_EMAIL]


@pytest.mark.parametrize(
    "values, error",
    [
        ({"text": ""}, "Required input is missing."),
        ({"text": "   "}, "Required input is missing."),
        (
            {"email": "", "postal_address": ""},
            "Give an e-mail address or a postal address, so that the office can answer.",
        ),
        (
            {"email": "", "postal_address": "ul. Polna 2"},
            "To receive the information by e-mail, give an e-mail address.",
        ),
        ({"email": "jan(at)example.org"}, "Enter an e-mail address such as urzad@miasto.pl."),
        (
            {"email": "jan@example.org\r\nBcc: all@example.org"},
            "Line breaks are not allowed here.",
        ),
        ({"name": "Jan\r\nBcc: all@example.org"}, "Line breaks are not allowed here."),
        ({"text": "x" * 5_001}, "Value is too long"),
        ({"postal_address": "x" * 100_000}, "Value is too long"),
        ({"access_way": "carrier-pigeon"}, "Required input is missing."),
    ],
    ids=[
        "no-text",
        "blank-text",
        "no-contact",
        "email-access-without-email",
        "invalid-email",
        "crlf-in-email",
        "crlf-in-name",
        "5001-characters",
        "100-kB-address",
        "unknown-way",
    ],
)
def test_bad_input_is_refused_nothing_is_kept_and_no_mail_leaves(site, mail_server, values, error):
    portal, app = site
    browser = post_form(browser_for(app, language="en"), portal, **values)
    assert status(browser) == 200
    assert 'id="ratusz-request-receipt"' not in browser.contents
    assert "statusmessage-error" in browser.contents
    assert error in browser.contents
    assert stored_requests() == []
    assert mail_server.wait_quietly(0.5) == []


def test_a_missing_address_is_explained_at_the_field_to_fill(site):
    portal, app = site
    browser = post_form(browser_for(app, language="en"), portal, access_way="post")
    field = browser.contents.split('id="formfield-form-widgets-postal_address"')[1]
    field = field.split('id="formfield-form-widgets-text"')[0]
    assert "To receive the information by post, give a postal address." in field
    assert stored_requests() == []


def test_a_megabyte_is_refused_before_the_form_reads_it(site, mail_server):
    # Zope's form-memory limit (1 MB) answers 400 before any code of ours runs.
    portal, app = site
    browser = post_form(browser_for(app, language="en"), portal, text="x" * 1024 * 1024)
    assert status(browser) == 400
    assert stored_requests() == []
    assert mail_server.wait_quietly(0.5) == []


def test_the_form_keeps_what_was_typed_after_an_error(site):
    portal, app = site
    browser = browser_for(app)
    browser.open(url(portal, f"{EN_SECTION}/request-information"))
    fill_form(browser, email="", text="Ile kosztował remont ratusza?")
    browser.getControl(name="form.buttons.send").click()
    assert browser.getControl(name="form.widgets.text").value == "Ile kosztował remont ratusza?"
    assert browser.getControl(name="form.widgets.name").value == "Jan Nowak"


def test_a_bot_filling_the_honeypot_sees_thanks_but_nothing_happens(site, mail_server):
    portal, app = site
    browser = post_form(browser_for(app), portal, website="http://spam.example")
    assert status(browser) == 200
    assert 'id="ratusz-request-receipt"' in browser.contents
    assert "ratusz-request-number" not in browser.contents
    assert stored_requests() == []
    assert mail_server.wait_quietly() == []


def test_markup_is_kept_as_text_shown_escaped_and_mailed_as_plain_text(site, mail_server):
    portal, app = site
    hostile = "<script>alert('udip')</script>"
    browser = post_form(
        browser_for(app),
        portal,
        name=f"Jan {hostile}",
        postal_address=f"<img src=x onerror=alert(1)>{hostile}",
        text=f"Bcc: all@example.org\n{hostile}",
    )
    assert 'id="ratusz-request-receipt"' in browser.contents
    (record,) = stored_requests()
    assert record["text"] == f"Bcc: all@example.org\n{hostile}"

    staff = browser_for(app, "sekretarz")
    staff.open(url(portal, STAFF_LIST))
    assert status(staff) == 200
    assert "<script>alert(" not in staff.contents
    assert "<img src=x" not in staff.contents
    assert "&lt;script&gt;alert(&#x27;udip&#x27;)&lt;/script&gt;" in staff.contents or (
        "&lt;script&gt;alert('udip')&lt;/script&gt;" in staff.contents
    )

    to_office = mail_server.wait_for(lambda m: m["To"] == ADMINISTRATOR_EMAIL)
    assert to_office.get_content_type() == "text/plain"
    assert hostile in to_office.get_content()
    assert to_office["Bcc"] is None
    recipients = {rcpt for envelope in mail_server.envelopes for rcpt in envelope.rcpt_tos}
    assert recipients == {ADMINISTRATOR_EMAIL, REQUESTER_EMAIL}


# The staff list


def store_request(portal, days_ago=0, **values):
    received = storage.now() - timedelta(days=days_ago)
    data = {
        "name": "Ewa Kowalska",
        "email": "ewa@example.org",
        "text": "Proszę o rejestr umów.",
        "access_way": "email",
        "access_form": "electronic",
        **values,
    }
    record = storage.new_information_request(data, portal.pl.bip, received=received)
    storage.store(record)
    transaction.commit()
    return record


@pytest.mark.parametrize("login", NOT_ALLOWED)
def test_others_do_not_see_the_staff_list(site, login):
    portal, app = site
    store_request(portal)
    browser = browser_for(app, login)
    browser.open(url(portal, STAFF_LIST))
    assert "ratusz-information-requests-table" not in browser.contents
    assert "ewa@example.org" not in browser.contents
    assert "login" in browser.url or "insufficient-privileges" in browser.url


@pytest.mark.parametrize("login", ALLOWED)
def test_bip_and_site_administrators_see_the_staff_list(site, login):
    portal, app = site
    record = store_request(portal, name="Ewa Kowalska")
    browser = browser_for(app, login)
    browser.open(url(portal, STAFF_LIST))
    assert status(browser) == 200
    row = browser.contents.split(f'data-number="{record["number"]}"')[1].split("</tr>")[0]
    assert "Ewa Kowalska" in row
    assert "mailto:ewa@example.org" in row
    assert f'datetime="{record["deadline"].isoformat()}"' in row
    assert 'data-status="new"' in row
    assert "ratusz-request-overdue-label" not in row


def test_overdue_requests_are_highlighted(site):
    portal, app = site
    late = store_request(portal, days_ago=20)
    answered = store_request(portal, days_ago=30)
    storage.update_information_request(answered["number"], status="answered")
    fresh = store_request(portal, days_ago=1)
    transaction.commit()
    browser = browser_for(app, "sekretarz", language="en")
    browser.open(url(portal, STAFF_LIST))

    def row(record):
        return browser.contents.split(f'data-number="{record["number"]}"')[0].rsplit("<tr", 1)[1]

    assert "ratusz-request-overdue" in row(late)
    assert "ratusz-request-overdue" not in row(answered)
    assert "ratusz-request-overdue" not in row(fresh)
    late_cells = browser.contents.split(f'data-number="{late["number"]}"')[1].split("</tr>")[0]
    assert "-6" in late_cells
    assert "overdue" in late_cells


def test_the_staff_list_pages_through_many_requests(site):
    portal, app = site
    for _ in range(55):
        store_request(portal)
    browser = browser_for(app, "sekretarz")
    browser.open(url(portal, STAFF_LIST))
    assert browser.contents.count('class="ratusz-request-row') == 50
    assert f'data-number="UDIP.55.{year_now()}"' in browser.contents
    browser.open(url(portal, f"{STAFF_LIST}?b_start=50"))
    assert browser.contents.count('class="ratusz-request-row') == 5
    assert f'data-number="UDIP.1.{year_now()}"' in browser.contents
    browser.open(url(portal, f"{STAFF_LIST}?b_start=nonsense"))
    assert status(browser) == 200


# The REST API

JSON_HEADERS = {"Accept": "application/json"}


def api_browser(app, login=None, language="en"):
    browser = browser_for(app, login, language)
    browser.handleErrors = False
    browser.addHeader("Accept", "application/json")
    return browser


def post_json(browser, target, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    browser.post(f"{target}/@information-requests", body, "application/json")
    return status(browser), json.loads(browser.contents)


def test_anyone_sends_a_request_through_the_api(site, mail_server):
    portal, app = site
    code, answer = post_json(
        api_browser(app),
        url(portal, "pl/bip"),
        {"email": REQUESTER_EMAIL, "text": "Proszę o protokoły kontroli z 2025 r."},
    )
    assert code == 201
    assert answer["number"] == f"UDIP.1.{year_now()}"
    assert answer["deadline"] == deadline_now()
    assert "email" not in answer
    (record,) = stored_requests()
    assert record["text"] == "Proszę o protokoły kontroli z 2025 r."
    assert (record["access_way"], record["access_form"]) == ("email", "electronic")
    mail = mail_server.wait_for(lambda m: m["To"] == REQUESTER_EMAIL)
    assert answer["number"] in mail.get_content()


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"email": REQUESTER_EMAIL}, "text", "Required input is missing."),
        ({"email": REQUESTER_EMAIL, "text": "x" * 1024 * 1024}, "text", "at most 5000"),
        ({"email": "not-an-address", "text": "?"}, "email", "Enter an e-mail address"),
        (
            {"email": REQUESTER_EMAIL, "name": "A\nBcc: x@example.org", "text": "?"},
            "name",
            "Line breaks are not allowed here.",
        ),
        ({"email": REQUESTER_EMAIL, "text": "?", "access_way": "fax"}, "access_way", "email"),
        ({"email": REQUESTER_EMAIL, "text": ["a", "b"]}, "text", "Send this value as text."),
        ({"text": "?"}, "email", "Give an e-mail address or a postal address"),
        (
            {"text": "?", "email": REQUESTER_EMAIL, "access_way": "post"},
            "postal_address",
            "To receive the information by post, give a postal address.",
        ),
        ("not json", None, "Send the request as a JSON object."),
        ("[1, 2]", None, "Send the request as a JSON object."),
    ],
    ids=[
        "no-text",
        "1-MB",
        "bad-email",
        "crlf-name",
        "unknown-way",
        "list-text",
        "no-contact",
        "post-without-address",
        "not-json",
        "json-list",
    ],
)
def test_the_api_refuses_bad_requests_with_translated_reasons(
    site, mail_server, payload, field, message
):
    portal, app = site
    code, answer = post_json(api_browser(app), url(portal, EN_SECTION), payload)
    assert code == 400
    errors = answer["error"]["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors
    assert stored_requests() == []
    assert mail_server.wait_quietly(0.5) == []


@pytest.mark.parametrize("login", NOT_ALLOWED)
def test_others_may_not_list_requests_through_the_api(site, login):
    portal, app = site
    store_request(portal)
    browser = api_browser(app, login)
    browser.handleErrors = True
    browser.open(url(portal, "pl/bip/@information-requests"))
    assert status(browser) in (401, 403)
    assert b"ewa@example.org" not in browser.contents


@pytest.mark.parametrize("login", ALLOWED)
def test_administrators_list_requests_through_the_api(site, login):
    portal, app = site
    first = store_request(portal, text="<script>alert(1)</script>")
    second = store_request(portal, days_ago=15)
    browser = api_browser(app, login)
    browser.open(url(portal, f"{EN_SECTION}/@information-requests"))
    assert status(browser) == 200
    answer = json.loads(browser.contents)
    assert answer["items_total"] == 2
    newest, oldest = answer["items"]
    assert newest["number"] == second["number"]
    assert (newest["overdue"], newest["days_left"]) == (True, -1)
    assert oldest["number"] == first["number"]
    assert oldest["text"] == "<script>alert(1)</script>"
    assert oldest["email"] == "ewa@example.org"
    assert oldest["status"] == "new"
