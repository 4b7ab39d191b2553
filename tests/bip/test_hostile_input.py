"""Wrong, missing, huge and hostile input on every BIP item type, through the REST
API and the add forms: refused with a translated error, nothing half-created, no
script stored for anyone's browser, never a 500."""

import ast
import base64
import html
import re
from urllib.parse import urlencode

import pytest
import transaction
from plone import api
from zope.i18n import translate

from ratusz.i18n import _
from tests.bip.security_helpers import ITEM_TYPES
from tests.bip.security_helpers import PDF
from tests.bip.security_helpers import SECTION_OF
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of

SCRIPT = "<script>alert(1)</script>"
HOSTILE_HTML = '<p>Treść jawna.</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
MEGABYTE = "x" * 1_000_000
NO_MARKUP = _("The characters < and > are not allowed here.")
NOT_A_PDF = _("Upload a PDF file.")
PERIOD_REVERSED = _("The end of the publication period is before its start.")
NOT_CONFIRMED = _("Confirm that the private data are removed from the declaration.")

METADATA_SHORT_FIELDS = ("bip_produced_by", "bip_producing_unit", "bip_responsible")
SHORT_FIELDS = {
    "BipPage": (),
    "BipLegalAct": ("act_number",),
    "BipAnnouncement": (),
    "BipProcurement": ("reference_number",),
    "BipJobVacancy": ("position", "unit"),
    "BipAssetDeclaration": ("person", "office"),
}
RICH_FIELDS = {
    "BipPage": ("text",),
    "BipLegalAct": ("text",),
    "BipAnnouncement": ("text",),
    "BipProcurement": ("text", "result"),
    "BipJobVacancy": ("requirements", "result"),
    "BipAssetDeclaration": (),
}
DATE_FIELDS = {
    "BipPage": (),
    "BipLegalAct": ("act_date",),
    "BipAnnouncement": ("valid_from", "valid_to"),
    "BipProcurement": ("offers_deadline",),
    "BipJobVacancy": ("deadline",),
    "BipAssetDeclaration": (),
}
CHOICE_FIELDS = {
    "BipPage": (),
    "BipLegalAct": ("act_kind", "act_body", "act_status"),
    "BipAnnouncement": ("announcement_kind",),
    "BipProcurement": ("procedure", "value_range", "procurement_status"),
    "BipJobVacancy": ("vacancy_status",),
    "BipAssetDeclaration": ("declaration_kind",),
}
PDF_FIELDS = {"BipLegalAct": "act_file", "BipAssetDeclaration": "declaration_file"}


def cases(table, extra=()):
    """(portal_type, field) pairs of a per-type table, plus the metadata fields."""
    return [(t, field) for t in ITEM_TYPES for field in (*table[t], *extra)]


@pytest.fixture
def portal(functional):
    return functional["portal"]


@pytest.fixture
def app(functional):
    return functional["app"]


def section_of(portal, portal_type):
    return portal.unrestrictedTraverse(SECTION_OF[portal_type])


def count_items(portal, portal_type):
    """What exists in the type's section: objects and catalog entries."""
    transaction.begin()
    section = section_of(portal, portal_type)
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(section.getPhysicalPath())
    return len(section.objectIds()), len(catalog.unrestrictedSearchResults(path=path))


def wrong_dates():
    """(type, field, value) of every date field with every wrong value."""
    params = []
    for portal_type, field in cases(DATE_FIELDS, ("bip_date_produced",)):
        for value in ("not-a-date", "99999-01-01", "2026-02-30", "", 20260105):
            if value == "" and field == "bip_date_produced":
                continue  # the metadata date may stay empty in a draft
            params.append(pytest.param(portal_type, field, value))
    return params


def in_any_language(message):
    """The msgid as a visitor may read it: translated into Polish or English."""
    return {translate(message, target_language=language) for language in ("pl", "en")}


# The REST API


def rest_file(data=PDF, name="akt.pdf", content_type="application/pdf"):
    return {
        "data": base64.b64encode(data).decode(),
        "encoding": "base64",
        "filename": name,
        "content-type": content_type,
    }


def rich(text):
    return {"data": text, "content-type": "text/html", "encoding": "utf-8"}


def rest_values(portal_type):
    """A valid JSON body for POST of ``portal_type`` into its section."""
    metadata = {
        "bip_produced_by": "Jan Kowalski, inspektor",
        "bip_producing_unit": "Wydział Organizacyjny",
        "bip_responsible": "Zofia Sekretarz",
        "bip_date_produced": "2026-01-05",
    }
    own = {
        "BipPage": {"text": rich("<p>Statut.</p>")},
        "BipLegalAct": {
            "act_kind": "resolution",
            "act_number": "XII/123/2026",
            "act_date": "2026-01-05",
            "act_body": "council",
            "act_status": "in_force",
            "act_file": rest_file(),
        },
        "BipAnnouncement": {
            "announcement_kind": "notice",
            "valid_from": "2026-01-01",
            "valid_to": "2026-02-01",
            "text": rich("<p>Obwieszczenie.</p>"),
        },
        "BipProcurement": {
            "reference_number": "ZP.271.12.2026",
            "procedure": "basic",
            "value_range": "national",
            "offers_deadline": "2026-03-01T10:00:00",
            "procurement_status": "open",
        },
        "BipJobVacancy": {
            "position": "Inspektor",
            "unit": "Wydział Organizacyjny",
            "requirements": rich("<p>Wykształcenie wyższe.</p>"),
            "deadline": "2026-03-01T15:00:00",
            "vacancy_status": "open",
        },
        "BipAssetDeclaration": {
            "person": "Jan Nowak",
            "office": "Radny",
            "declaration_year": 2025,
            "declaration_kind": "annual",
            "declaration_file": rest_file(name="oswiadczenie.pdf"),
            "private_data_removed": True,
        },
    }[portal_type]
    return {"@type": portal_type, "title": f"Nowy {portal_type}", **own, **metadata}


def post(portal, app, portal_type, **changes):
    """POST ``portal_type`` as the BIP administrator, with ``changes`` to a valid body."""
    body = {**rest_values(portal_type), **changes}
    url = section_of(portal, portal_type).absolute_url()
    response = rest(app, "POST", url, "sekretarz", body)
    assert response.status_int != 500, response.body[:500]
    return response


def rest_errors(response):
    """[(field, message)] of a plone.restapi 400 answer."""
    body = response.json
    message = body["error"]["message"] if "error" in body else body["message"]
    try:
        errors = ast.literal_eval(message)
    except (ValueError, SyntaxError):
        return [(None, message)]
    return [(error.get("field"), error.get("message")) for error in errors]


def assert_refused(portal, app, portal_type, field=None, message=None, **changes):
    before = count_items(portal, portal_type)
    response = post(portal, app, portal_type, **changes)
    assert response.status_int == 400, response.body[:500]
    errors = rest_errors(response)
    if field is not None:
        assert field in [name for name, _text in errors] or any(
            field in (text or "") for _name, text in errors
        ), errors
    if message is not None:
        assert in_any_language(message) & {text for _name, text in errors}, errors
    assert count_items(portal, portal_type) == before


class TestRestApi:
    @pytest.mark.parametrize("portal_type", ITEM_TYPES)
    def test_a_valid_item_is_created(self, portal, app, portal_type):
        before = count_items(portal, portal_type)
        response = post(portal, app, portal_type)
        assert response.status_int == 201, response.body[:500]
        assert count_items(portal, portal_type)[0] == before[0] + 1

    @pytest.mark.parametrize("portal_type, field", cases(SHORT_FIELDS, METADATA_SHORT_FIELDS))
    def test_markup_in_a_short_field_is_refused(self, portal, app, portal_type, field):
        assert_refused(portal, app, portal_type, field, NO_MARKUP, **{field: SCRIPT})

    @pytest.mark.parametrize("portal_type", ITEM_TYPES)
    def test_a_megabyte_title_is_refused(self, portal, app, portal_type):
        assert_refused(portal, app, portal_type, "title", title=MEGABYTE)

    @pytest.mark.parametrize("portal_type, field", cases(SHORT_FIELDS, METADATA_SHORT_FIELDS))
    def test_a_megabyte_short_field_is_refused(self, portal, app, portal_type, field):
        assert_refused(portal, app, portal_type, field, **{field: MEGABYTE})

    @pytest.mark.parametrize("portal_type, field, value", wrong_dates())
    def test_a_wrong_date_is_refused(self, portal, app, portal_type, field, value):
        assert_refused(portal, app, portal_type, field, **{field: value})

    def test_a_period_ending_before_it_starts_is_refused(self, portal, app):
        assert_refused(
            portal,
            app,
            "BipAnnouncement",
            message=PERIOD_REVERSED,
            valid_from="2026-02-01",
            valid_to="2026-01-31",
        )

    @pytest.mark.parametrize("portal_type, field", cases(CHOICE_FIELDS))
    def test_an_unknown_vocabulary_value_is_refused(self, portal, app, portal_type, field):
        assert_refused(portal, app, portal_type, field, **{field: "<b>unknown</b>"})

    @pytest.mark.parametrize(
        "data, name, content_type",
        [
            (b"MZ\x90\x00 an executable", "akt.pdf", "application/pdf"),
            (b"<html><script>alert(1)</script></html>", "akt.pdf", "application/pdf"),
            (b"", "pusty.pdf", "application/pdf"),
        ],
    )
    @pytest.mark.parametrize("portal_type", list(PDF_FIELDS))
    def test_a_file_that_is_not_a_pdf_is_refused(
        self, portal, app, portal_type, data, name, content_type
    ):
        field = PDF_FIELDS[portal_type]
        changes = {field: rest_file(data, name, content_type)}
        message = NOT_A_PDF if data else None
        assert_refused(portal, app, portal_type, field, message, **changes)

    def test_an_unconfirmed_declaration_is_refused(self, portal, app):
        assert_refused(
            portal,
            app,
            "BipAssetDeclaration",
            "private_data_removed",
            private_data_removed=False,
        )

    @pytest.mark.parametrize("value", [1990 - 1, 2101, "dwa tysiące", -5])
    def test_a_wrong_declaration_year_is_refused(self, portal, app, value):
        assert_refused(
            portal, app, "BipAssetDeclaration", "declaration_year", declaration_year=value
        )

    @pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik"])
    def test_only_bip_staff_may_add(self, portal, app, login):
        before = count_items(portal, "BipAnnouncement")
        url = section_of(portal, "BipAnnouncement").absolute_url()
        response = rest(app, "POST", url, login, rest_values("BipAnnouncement"))
        assert response.status_int in (401, 403)
        assert count_items(portal, "BipAnnouncement") == before

    @pytest.mark.parametrize("portal_type", ITEM_TYPES)
    def test_the_entered_by_field_cannot_be_forged(self, portal, app, portal_type):
        response = post(portal, app, portal_type, bip_entered_by="Prezydent Miasta")
        if response.status_int == 201:
            transaction.begin()
            obj = portal.unrestrictedTraverse(response.json["@id"].split("/plone/", 1)[1])
            assert "Prezydent" not in (obj.bip_entered_by or "")
            assert "sekretarz" in obj.bip_entered_by
        else:
            assert response.status_int == 400

    @pytest.mark.parametrize("portal_type", ITEM_TYPES)
    def test_a_script_in_the_title_is_shown_as_text(self, portal, app, portal_type):
        response = post(portal, app, portal_type, title=f"Tytuł {SCRIPT}")
        assert response.status_int == 201
        page = browser_for(app, "sekretarz")
        page.open(response.json["@id"])
        assert status_of(page) == 200
        assert SCRIPT not in page.contents
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.contents

    @pytest.mark.parametrize("portal_type, field", cases(RICH_FIELDS))
    def test_rich_text_is_sanitised(self, portal, app, portal_type, field):
        changes = {field: rich(HOSTILE_HTML)}
        if field == "result":  # a result goes with a closed procedure or recruitment
            status = "procurement_status" if portal_type == "BipProcurement" else "vacancy_status"
            changes[status] = "cancelled"
        response = post(portal, app, portal_type, **changes)
        assert response.status_int == 201, response.body[:500]
        page = browser_for(app, "sekretarz")
        page.open(response.json["@id"])
        assert status_of(page) == 200
        assert "Treść jawna." in page.contents
        assert_no_script_from_input(page.contents)


def assert_no_script_from_input(contents):
    assert "alert(1)" not in contents
    assert not re.search(r"onerror\s*=", contents, re.IGNORECASE)


# The add forms


def form_values(portal_type):
    """Valid add-form values: {control name: value}; files separately."""
    metadata = {
        "form.widgets.IBipMetadata.bip_produced_by": "Jan Kowalski, inspektor",
        "form.widgets.IBipMetadata.bip_producing_unit": "Wydział Organizacyjny",
        "form.widgets.IBipMetadata.bip_responsible": "Zofia Sekretarz",
        "form.widgets.IBipMetadata.bip_date_produced": "2026-01-05",
    }
    own = {
        "BipPage": {"form.widgets.text": "<p>Statut.</p>"},
        "BipLegalAct": {
            "form.widgets.act_kind:list": ["resolution"],
            "form.widgets.act_number": "XII/123/2026",
            "form.widgets.act_date": "2026-01-05",
            "form.widgets.act_body:list": ["council"],
            "form.widgets.act_status:list": ["in_force"],
        },
        "BipAnnouncement": {
            "form.widgets.announcement_kind:list": ["notice"],
            "form.widgets.valid_from": "2026-01-01",
            "form.widgets.valid_to": "2026-02-01",
            "form.widgets.text": "<p>Obwieszczenie.</p>",
        },
        "BipProcurement": {
            "form.widgets.reference_number": "ZP.271.12.2026",
            "form.widgets.procedure:list": ["basic"],
            "form.widgets.value_range:list": ["national"],
            "form.widgets.offers_deadline": "2026-03-01T10:00",
            "form.widgets.procurement_status:list": ["open"],
        },
        "BipJobVacancy": {
            "form.widgets.position": "Inspektor",
            "form.widgets.unit": "Wydział Organizacyjny",
            "form.widgets.requirements": "<p>Wykształcenie wyższe.</p>",
            "form.widgets.deadline": "2026-03-01T15:00",
            "form.widgets.vacancy_status:list": ["open"],
        },
        "BipAssetDeclaration": {
            "form.widgets.person": "Jan Nowak",
            "form.widgets.office": "Radny",
            "form.widgets.declaration_year": "2025",
            "form.widgets.declaration_kind:list": ["annual"],
            "form.widgets.private_data_removed:list": ["selected"],
        },
    }[portal_type]
    return {"form.widgets.IBasic.title": f"Nowy {portal_type}", **own, **metadata}


def widget_name(field):
    if field in ("title", "description"):
        return f"form.widgets.IBasic.{field}"
    if field.startswith("bip_"):
        return f"form.widgets.IBipMetadata.{field}"
    return f"form.widgets.{field}"


def submit_add_form(portal, app, portal_type, changes=None, pdf=(PDF, "akt.pdf")):
    """Fill the add form as the BIP administrator, apply ``changes``, save; return the browser."""
    browser = browser_for(app, "sekretarz")
    browser.open(f"{section_of(portal, portal_type).absolute_url()}/++add++{portal_type}")
    assert status_of(browser) == 200
    for name, value in {**form_values(portal_type), **(changes or {})}.items():
        browser.getControl(name=name).value = value
    if portal_type in PDF_FIELDS and pdf is not None:
        data, filename = pdf
        control = browser.getControl(name=f"form.widgets.{PDF_FIELDS[portal_type]}")
        control.add_file(data, "application/pdf", filename)
    browser.getControl(name="form.buttons.save").click()
    assert status_of(browser) != 500
    return browser


def page_language(browser):
    match = re.search(r'<html[^>]*\blang="([a-z-]+)"', browser.contents)
    return match.group(1) if match else "pl"


def assert_form_refused(browser, portal, portal_type, before, field=None, message=None):
    assert status_of(browser) == 200
    assert "++add++" in browser.url
    if field is not None:
        wrapper = re.search(
            rf'<div[^>]+id="formfield-{re.escape(widget_name(field).replace(".", "-"))}"[^>]*>',
            browser.contents,
        )
        assert wrapper and "error" in wrapper.group(0), field
    if message is not None:
        expected = translate(message, target_language=page_language(browser))
        assert html.escape(expected, quote=False) in browser.contents
    assert count_items(portal, portal_type) == before


class TestAddForms:
    @pytest.mark.parametrize("portal_type", ITEM_TYPES)
    def test_a_valid_item_is_added(self, portal, app, portal_type):
        before = count_items(portal, portal_type)
        browser = submit_add_form(portal, app, portal_type)
        assert "++add++" not in browser.url, browser.url
        assert count_items(portal, portal_type)[0] == before[0] + 1

    @pytest.mark.parametrize("portal_type, field", cases(SHORT_FIELDS, METADATA_SHORT_FIELDS))
    def test_markup_in_a_short_field_is_refused(self, portal, app, portal_type, field):
        before = count_items(portal, portal_type)
        browser = submit_add_form(portal, app, portal_type, {widget_name(field): SCRIPT})
        assert_form_refused(browser, portal, portal_type, before, field, NO_MARKUP)
        assert SCRIPT not in browser.contents

    @pytest.mark.parametrize("portal_type", ITEM_TYPES)
    def test_a_megabyte_title_is_refused(self, portal, app, portal_type):
        before = count_items(portal, portal_type)
        browser = submit_add_form(portal, app, portal_type, {widget_name("title"): MEGABYTE})
        assert_form_refused(browser, portal, portal_type, before, "title")

    @pytest.mark.parametrize("value", ["not-a-date", "99999-01-01", "2026-02-30"])
    @pytest.mark.parametrize("portal_type, field", cases(DATE_FIELDS, ("bip_date_produced",)))
    def test_a_wrong_date_is_refused(self, portal, app, portal_type, field, value):
        if field in ("offers_deadline", "deadline"):
            value = f"{value}T10:00"
        before = count_items(portal, portal_type)
        browser = submit_add_form(portal, app, portal_type, {widget_name(field): value})
        assert_form_refused(browser, portal, portal_type, before, field)

    def test_a_period_ending_before_it_starts_is_refused(self, portal, app):
        before = count_items(portal, "BipAnnouncement")
        changes = {"form.widgets.valid_from": "2026-02-01", "form.widgets.valid_to": "2026-01-31"}
        browser = submit_add_form(portal, app, "BipAnnouncement", changes)
        assert_form_refused(browser, portal, "BipAnnouncement", before, message=PERIOD_REVERSED)

    @pytest.mark.parametrize("portal_type", list(PDF_FIELDS))
    def test_a_file_that_is_not_a_pdf_is_refused(self, portal, app, portal_type):
        before = count_items(portal, portal_type)
        browser = submit_add_form(
            portal, app, portal_type, pdf=(b"<html><script>alert(1)</script>", "akt.pdf")
        )
        field = PDF_FIELDS[portal_type]
        assert_form_refused(browser, portal, portal_type, before, field, NOT_A_PDF)

    @pytest.mark.parametrize("portal_type", list(PDF_FIELDS))
    def test_a_missing_pdf_is_refused(self, portal, app, portal_type):
        before = count_items(portal, portal_type)
        browser = submit_add_form(portal, app, portal_type, pdf=None)
        assert_form_refused(browser, portal, portal_type, before, PDF_FIELDS[portal_type])

    def test_an_unconfirmed_declaration_is_refused(self, portal, app):
        before = count_items(portal, "BipAssetDeclaration")
        changes = {"form.widgets.private_data_removed:list": []}
        browser = submit_add_form(portal, app, "BipAssetDeclaration", changes)
        assert_form_refused(browser, portal, "BipAssetDeclaration", before, "private_data_removed")

    @pytest.mark.parametrize("portal_type, field", cases(CHOICE_FIELDS))
    def test_an_unknown_vocabulary_value_is_refused(self, portal, app, portal_type, field):
        # A browser offers only the listed values: a hand-made POST sends another.
        browser = browser_for(app, "sekretarz")
        add_url = f"{section_of(portal, portal_type).absolute_url()}/++add++{portal_type}"
        browser.open(add_url)
        token = browser.getControl(name="_authenticator").value
        values = {
            name: value[0] if isinstance(value, list) else value
            for name, value in form_values(portal_type).items()
        }
        values[f"{widget_name(field)}:list"] = "<b>unknown</b>"
        values[f"{widget_name(field)}-empty-marker"] = "1"
        values.update({"_authenticator": token, "form.buttons.save": "Save"})
        before = count_items(portal, portal_type)
        browser.post(add_url, urlencode(values))
        assert status_of(browser) == 200
        assert "<b>unknown</b>" not in browser.contents
        assert_form_refused(browser, portal, portal_type, before, field)

    @pytest.mark.parametrize("portal_type", ["BipPage", "BipAnnouncement", "BipJobVacancy"])
    def test_rich_text_from_the_form_is_sanitised(self, portal, app, portal_type):
        field = RICH_FIELDS[portal_type][0]
        browser = submit_add_form(portal, app, portal_type, {widget_name(field): HOSTILE_HTML})
        assert "++add++" not in browser.url
        assert "Treść jawna." in browser.contents
        assert_no_script_from_input(browser.contents)
