"""A mobile app reads a form's schema (``@eservice-form``) and files it (``@eservice-submit``),
as JSON or multipart: the case is registered as from the page, the receipt comes back as
JSON, and the key works with ``@case-status``. Wrong or hostile input answers 400 naming the
field, and stores nothing."""

import base64
import hashlib
import io
from datetime import date

import pytest
import transaction
from plone import api
from pypdf import PdfReader

from ratusz.eservices.forms import create_online_form
from ratusz.eservices.submission import SUBMISSIONS
from ratusz.eservices.tracking import THROTTLE
from ratusz.eservices.uploads import MB
from tests.bip.security_helpers import browser_for
from tests.eservices.helpers import APPLICANT_FIELDS
from tests.eservices.helpers import PNG
from tests.eservices.helpers import SCAN_FIELD

YEAR = date.today().year
SIGN = f"OR.0020.1.{YEAR}"
FIELDS = [
    *APPLICANT_FIELDS,
    {"id": "birth_date", "type": "Date", "title": "Data urodzenia", "required": False},
    {
        "id": "delivery",
        "type": "Choice",
        "title": "Sposób odbioru",
        "required": False,
        "choices": ["osobiście", "pocztą"],
    },
    {"id": "copies", "type": "Int", "title": "Liczba egzemplarzy", "required": False},
    SCAN_FIELD,
]
VALID = {
    "applicant_name": "Jan Kowalski",
    "applicant_email": "jan@example.org",
    "applicant_address": "ul. Długa 1, Przykładowo",
    "purpose": "Do banku",
    "birth_date": "1980-05-17",
    "delivery": "pocztą",
    "copies": 2,
}


@pytest.fixture
def portal(functional):
    THROTTLE.clear()
    SUBMISSIONS.clear()
    yield functional["portal"]
    THROTTLE.clear()
    SUBMISSIONS.clear()


@pytest.fixture
def card(portal):
    with api.env.adopt_roles(["Manager"]):
        card = api.content.create(
            container=portal.pl["e-uslugi"],
            type="ServiceCard",
            id="zaswiadczenie",
            title="Wydanie zaświadczenia",
            department="OR",
            jrwa="0020",
            case_kind="certificate",
        )
        api.content.transition(obj=card, transition="publish")
    return card


@pytest.fixture
def form(card):
    with api.env.adopt_roles(["Manager"]):
        form = create_online_form(card, FIELDS, title="Wniosek o zaświadczenie")
        api.content.transition(obj=form, transition="publish")
    transaction.commit()
    return form


@pytest.fixture
def app(functional):
    return browser_for(functional["app"]).testapp


def api_url(obj, service):
    """``<site>/++api++/<path>/<service>``: the API without an Accept header."""
    portal_url = api.portal.get().absolute_url()
    return f"{portal_url}/++api++{obj.absolute_url()[len(portal_url) :]}/{service}"


def submit(app, form, data=None, acknowledged=True, **extra):
    body = {"data": VALID if data is None else data, "acknowledged": acknowledged, **extra}
    return app.post_json(
        api_url(form, "@eservice-submit"),
        body,
        headers={"Accept": "application/json"},
        expect_errors=True,
    )


def file_json(body, filename="skan.png", content_type="image/png"):
    return {
        "filename": filename,
        "content-type": content_type,
        "data": base64.b64encode(body).decode("ascii"),
        "encoding": "base64",
    }


def stored(portal):
    """``(cases, incoming items)`` as the database holds them now."""
    transaction.begin()
    return list(portal.intranet.sprawy.objectIds()), list(portal.intranet.kancelaria.objectIds())


def assert_refused(response, portal, field):
    assert response.status_int == 400, response.text
    error = response.json["error"]
    assert error["type"] == "ValidationError"
    assert field in [item["field"] for item in error["errors"]], error
    assert all(item["message"] for item in error["errors"])
    assert stored(portal) == ([], [])
    return error


# --- the schema ---------------------------------------------------------------------------


def test_anonymous_reads_the_schema_with_the_clause_limits_and_card(portal, form, app):
    response = app.get(api_url(form, "@eservice-form"), headers={"Accept": "application/json"})
    assert response.status_int == 200
    result = response.json
    schema = result["schema"]
    # JSON objects have no order (plone.restapi sorts the keys): the fieldsets give it.
    assert schema["fieldsets"][0]["fields"] == [field["id"] for field in FIELDS]
    assert sorted(schema["properties"]) == sorted(field["id"] for field in FIELDS)
    assert schema["required"] == ["applicant_name", "applicant_email", "applicant_address"]
    assert schema["properties"]["applicant_name"] == {
        "title": "Imię i nazwisko",
        "description": "",
        "type": "string",
        "factory": "Text line (String)",
        "maxLength": 300,
    }
    assert schema["properties"]["birth_date"]["widget"] == "date"
    assert [title for _token, title in schema["properties"]["delivery"]["choices"]] == [
        "osobiście",
        "pocztą",
    ]
    assert "vocabulary" not in schema["properties"]["delivery"]  # no dead @sources link
    assert schema["properties"]["scan"]["factory"] == "File"
    assert "ratusz_website" not in schema["properties"]  # the honeypot is for HTML robots
    assert "ratusz_privacy_acknowledged" not in schema["properties"]
    assert result["acknowledgement"]["name"] == "acknowledged"
    assert result["acknowledgement"]["required"] is True
    assert "klauzulą informacyjną" in result["acknowledgement"]["title"]
    assert "Administratorem" in result["information_clause"]["text"]
    assert result["uploads"]["max_file_size"] == 10 * MB
    assert "pdf" in result["uploads"]["extensions"] and "exe" not in result["uploads"]["extensions"]
    assert result["service"] == {
        "@id": form.aq_parent.absolute_url(),
        "title": "Wydanie zaświadczenia",
    }
    assert result["submit"].endswith("/formularz/@eservice-submit")


def test_a_form_that_registers_no_cases_has_no_schema_and_takes_no_submission(portal, card, app):
    with api.env.adopt_roles(["Manager"]):
        plain = api.content.create(container=card, type="EasyForm", id="ankieta", title="Ankieta")
        api.content.transition(obj=plain, transition="publish")
    transaction.commit()
    assert app.get(api_url(plain, "@eservice-form"), expect_errors=True).status_int == 404
    response = submit(app, plain)
    assert response.status_int == 404
    assert response.json["type"] == "NotFound"  # plone.restapi's own 404
    assert stored(portal) == ([], [])


def test_a_private_form_is_refused_to_anonymous(portal, card, app):
    with api.env.adopt_roles(["Manager"]):
        private = create_online_form(card, FIELDS, form_id="szkic")
    transaction.commit()
    response = app.get(
        api_url(private, "@eservice-form"),
        headers={"Accept": "application/json"},
        expect_errors=True,
    )
    assert response.status_int == 401
    assert submit(app, private).status_int == 401
    assert stored(portal) == ([], [])


# --- filing -------------------------------------------------------------------------------


def test_a_json_submission_with_a_file_becomes_a_case_and_its_key_tracks_it(portal, form, app):
    response = submit(app, form, {**VALID, "scan": file_json(PNG)})
    assert response.status_int == 201, response.text
    receipt = response.json
    assert receipt["sign"] == SIGN
    assert receipt["number"] and receipt["key"] and len(receipt["digest"]) == 64
    assert receipt["received"].startswith(str(YEAR)) and receipt["deadline"]
    assert receipt["files"] == [{"filename": "skan.png", "sha256": hashlib.sha256(PNG).hexdigest()}]
    assert receipt["status_url"].endswith("/pl/status-sprawy")
    assert response.headers["Cache-Control"] == "no-store"
    # The PDF is made on request, by a POST of the sign and the key (not a stored file).
    link = receipt["receipt_pdf"]
    assert link["method"] == "POST" and link["parameters"] == ["sign", "key"]
    assert link["filename"] == f"potwierdzenie-{SIGN.replace('.', '-')}.pdf"
    pdf = app.post(link["@id"], {"sign": receipt["sign"], "key": receipt["key"]})
    assert pdf.content_type == "application/pdf"
    assert SIGN in PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()

    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    files = {obj.title: obj for obj in case.objectValues() if obj.portal_type == "File"}
    assert files["skan.png"].file.data == PNG
    application = next(obj for title, obj in files.items() if title.startswith("Wniosek"))
    assert application.file.filename == "wniosek.txt"
    text = application.file.data.decode("utf-8")
    assert "Do banku" in text and "1980-05-17" in text and "pocztą" in text
    assert case.eservice["digest"] == receipt["digest"]

    status = app.get(
        f"{portal.absolute_url()}/++api++/@case-status",
        {"sign": receipt["sign"], "key": receipt["key"]},
    )
    assert status.status_int == 200
    assert status.json["state"] == "received"


def test_a_multipart_submission_works_the_same(portal, form, app):
    response = app.post(
        api_url(form, "@eservice-submit"),
        params={
            **{name: str(value) for name, value in VALID.items()},
            "delivery": "poczt\\u0105",  # the choice's token, from the schema's "enum"
            "acknowledged": "true",
        },
        upload_files=[("scan", "skan.png", PNG, "image/png")],
        headers={"Accept": "application/json"},
        expect_errors=True,
    )
    assert response.status_int == 201, response.text
    assert response.json["sign"] == SIGN
    assert [item["filename"] for item in response.json["files"]] == ["skan.png"]
    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    assert "skan.png" in [obj.title for obj in case.objectValues()]


def test_a_signed_in_resident_needs_no_csrf_token(portal, form, functional):
    caller = browser_for(functional["app"], "mieszkaniec").testapp
    credentials = base64.b64encode(b"mieszkaniec:" + _password("mieszkaniec")).decode()
    response = caller.post_json(
        api_url(form, "@eservice-submit"),
        {"data": VALID, "acknowledged": True},
        headers={"Accept": "application/json", "Authorization": f"Basic {credentials}"},
        expect_errors=True,
    )
    assert response.status_int == 201, response.text
    # Without the check switched off, plone.protect aborted the case after the 201.
    assert stored(portal)[0] == [SIGN.lower().replace(".", "-")]


def _password(login):
    from ratusz.demo import DEMO_USERS

    return DEMO_USERS[login][2].encode()


# --- refused ------------------------------------------------------------------------------


def test_a_missing_required_field_is_named(portal, form, app):
    data = {name: value for name, value in VALID.items() if name != "applicant_address"}
    error = assert_refused(submit(app, form, data), portal, "applicant_address")
    assert len(error["errors"]) == 1


def test_a_wrong_e_mail_is_named(portal, form, app):
    response = submit(app, form, {**VALID, "applicant_email": "jan@"})
    error = assert_refused(response, portal, "applicant_email")
    assert error["message"] == "Podaj poprawny adres e-mail."


def test_markup_in_the_name_is_refused(portal, form, app):
    response = submit(app, form, {**VALID, "applicant_name": "<script>alert(1)</script>"})
    assert_refused(response, portal, "applicant_name")
    assert "<script>" not in response.text


@pytest.mark.parametrize("acknowledged", [False, None, "no", 1])
def test_without_the_acknowledgement_nothing_is_filed(portal, form, app, acknowledged):
    assert_refused(submit(app, form, acknowledged=acknowledged), portal, "acknowledged")


def test_a_body_without_the_acknowledgement_is_refused(portal, form, app):
    response = app.post_json(api_url(form, "@eservice-submit"), {"data": VALID}, expect_errors=True)
    assert_refused(response, portal, "acknowledged")


def test_a_file_with_invalid_base64_is_named(portal, form, app):
    bad = {**file_json(PNG), "data": "iVBORw0KGgo$$$not base64"}
    assert_refused(submit(app, form, {**VALID, "scan": bad}), portal, "scan")


def test_a_file_in_another_codec_is_refused(portal, form, app):
    import zlib

    bomb = {**file_json(zlib.compress(b"\x00" * MB)), "encoding": "zlib"}
    assert_refused(submit(app, form, {**VALID, "scan": bomb}), portal, "scan")


def test_a_program_named_pdf_is_named(portal, form, app):
    program = file_json(b"MZ\x90\x00" + b"\x00" * 200, "faktura.pdf", "application/pdf")
    error = assert_refused(submit(app, form, {**VALID, "scan": program}), portal, "scan")
    assert "faktura.pdf" in error["message"]


def test_an_oversize_file_is_named(portal, form, app):
    api.portal.set_registry_record("ratusz.eservices.max_file_mb", 1)
    transaction.commit()
    big = file_json(PNG + b"\x00" * (MB + 1000))
    assert_refused(submit(app, form, {**VALID, "scan": big}), portal, "scan")


def test_two_megabytes_in_a_text_line_are_refused(portal, form, app):
    response = submit(app, form, {**VALID, "purpose": "x" * (2 * MB)})
    error = assert_refused(response, portal, "purpose")
    assert len(response.text) < 5000  # the value is not echoed back
    assert "300" in error["errors"][0]["message"]


def test_a_date_that_is_not_a_date_is_named(portal, form, app):
    for value in ("17.05.1980", "1980-02-30", 1980):
        assert_refused(submit(app, form, {**VALID, "birth_date": value}), portal, "birth_date")


def test_a_choice_not_offered_is_named(portal, form, app):
    error = assert_refused(submit(app, form, {**VALID, "delivery": "kurierem"}), portal, "delivery")
    assert "pocztą" in error["errors"][0]["message"]


def test_a_value_of_the_wrong_type_is_named(portal, form, app):
    assert_refused(submit(app, form, {**VALID, "copies": "dwa"}), portal, "copies")
    assert_refused(submit(app, form, {**VALID, "purpose": ["a", "b"]}), portal, "purpose")
    assert_refused(submit(app, form, {**VALID, "scan": "skan.png"}), portal, "scan")


def test_unknown_fields_are_refused_not_dropped(portal, form, app):
    # An app built on an older schema must not lose what the resident typed without a word.
    response = submit(app, form, {**VALID, "pesel": "80051712345"})
    error = assert_refused(response, portal, "pesel")
    assert [item["field"] for item in error["errors"]] == ["pesel"]


@pytest.mark.parametrize(
    "body",
    [b"[1, 2]", b'"text"', b"{not json", b'{"data": [1]}', b"[" * 100000, b"\xff\xfe"],
)
def test_a_body_that_is_not_a_json_object_is_refused(portal, form, app, body):
    response = app.post(
        api_url(form, "@eservice-submit"),
        body,
        # With the charset: plone.restapi's JWT plugin reads any body sent as exactly
        # "application/json" for a login, and fails (500) on one nested too deep.
        headers={"Content-Type": "application/json; charset=utf-8"},
        expect_errors=True,
    )
    assert response.status_int == 400, response.text
    assert response.json["error"]["errors"][0]["field"] is None
    assert stored(portal) == ([], [])


def test_a_multipart_program_is_named_too(portal, form, app):
    response = app.post(
        api_url(form, "@eservice-submit"),
        params={**{name: str(value) for name, value in VALID.items()}, "acknowledged": "on"},
        upload_files=[("scan", "faktura.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")],
        expect_errors=True,
    )
    assert_refused(response, portal, "scan")


def test_a_body_larger_than_any_submission_is_refused_unread(portal, form, app):
    api.portal.set_registry_record("ratusz.eservices.max_submission_mb", 1)
    transaction.commit()
    response = submit(app, form, {**VALID, "purpose": "x" * (3 * MB)})
    assert response.status_int == 413
    assert response.json["error"]["type"] == "PayloadTooLarge"
    assert stored(portal) == ([], [])


def test_a_filled_honeypot_files_nothing(portal, form, app):
    response = submit(app, form, {**VALID, "ratusz_website": "http://spam.example"})
    assert response.status_int == 400
    assert stored(portal) == ([], [])


def test_past_the_rate_limit_the_answer_is_429(portal, form, app):
    api.portal.set_registry_record("ratusz.eservices.submissions_per_hour", 1)
    transaction.commit()
    assert submit(app, form).status_int == 201
    response = submit(app, form, {**VALID, "applicant_name": "Anna Nowak"})
    assert response.status_int == 429
    assert response.json["error"]["type"] == "TooManyRequests"
    assert int(response.headers["Retry-After"]) > 0
    assert len(stored(portal)[0]) == 1
