"""REST API of online forms for mobile apps: the form's schema and filing a submission.

- ``GET <form>/++api++/@eservice-form``: the fields as plone.restapi's ``@types``
  describes them (JSON schema: types, translated titles, required fields,
  choices), plus what the page shows around them: the information clause, the
  acknowledgement, the upload limits and formats, the service card.
- ``POST <form>/++api++/@eservice-submit``: a submission (``deserializer.py``),
  registered by ``register_submission`` exactly as from the page: 201 with the
  receipt, 400 with every refused field (nothing stored), 413 for a body
  larger than any accepted submission, 429 past the rate limit.

Both answer 404 for a form that does not register cases, and plone.restapi's
401 to whoever may not view the form. The serialisation of the results is
kept here, apart from the services, as in ``services.py``.
"""

from collective.easyform.api import get_actions
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import IJsonCompatible
from plone.restapi.services import Service
from plone.restapi.types.utils import get_fieldset_infos
from plone.restapi.types.utils import get_form_fieldsets
from plone.restapi.types.utils import get_jsonschema_properties
from plone.restapi.types.utils import iter_fields
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.schema import getFieldsInOrder

from ratusz.eservices.action import IRegisterAsCase
from ratusz.eservices.card import card_of
from ratusz.eservices.deserializer import ACKNOWLEDGED
from ratusz.eservices.deserializer import SubmissionInvalid
from ratusz.eservices.deserializer import form_view
from ratusz.eservices.deserializer import input_fields
from ratusz.eservices.deserializer import submission_of
from ratusz.eservices.deserializer import submitted_fields
from ratusz.eservices.deserializer import translated_errors
from ratusz.eservices.privacy import ACK_FIELD
from ratusz.eservices.privacy import HONEYPOT_FIELD
from ratusz.eservices.privacy import default_clause
from ratusz.eservices.receipt_pdf import receipt_pdf_name
from ratusz.eservices.receipt_pdf import receipt_pdf_url
from ratusz.eservices.settings import eservices_setting
from ratusz.eservices.settings import upload_limits
from ratusz.eservices.submission import SubmissionRefused
from ratusz.eservices.submission import TooManySubmissions
from ratusz.eservices.submission import register_submission
from ratusz.eservices.uploads import ACCEPTED_EXTENSIONS
from ratusz.eservices.uploads import MB
from ratusz.i18n import _

# Fields the page has that an app does not fill in as data: the acknowledgement is
# the body's "acknowledged", the honeypot is for robots reading HTML.
NOT_IN_SCHEMA = (ACK_FIELD, HONEYPOT_FIELD)


def case_action(form):
    """The form's enabled "Register as case" action; NotFound if it has none.

    >>> case_action(form).__name__
    'register_case'
    """
    try:
        actions = getFieldsInOrder(get_actions(form))
    except Exception:  # a broken actions model: no e-service here
        actions = ()
    for _name, action in actions:
        if IRegisterAsCase.providedBy(action) and action.required:
            return action
    raise NotFound(form.absolute_url())


def max_body_size():
    """The largest request body a submission can need: every file at the submission limit,
    in base64 (4/3 of it), and a megabyte of fields.

    >>> max_body_size()  # max_submission_mb 50
    70953642
    """
    return upload_limits()[1] * 4 // 3 + MB


def content_length(request):
    """The request's declared body size in bytes (0 if it declares none or nonsense).

    >>> content_length(request)  # Content-Length: 1234
    1234
    """
    try:
        return int(request.getHeader("Content-Length") or 0)
    except ValueError:
        return 0


# --- serialisation ----------------------------------------------------------------------


def serialize_schema(view, request):
    """The JSON schema of the fields an app fills in, made by plone.restapi as ``@types``
    makes it (properties, required, fieldsets, widget modes).

    >>> serialize_schema(view, request)["required"]
    ['applicant_name', 'applicant_email', 'applicant_address']
    """
    fieldsets = get_form_fieldsets(view)
    fields = input_fields(view)
    excluded = [
        form_field.field.getName()
        for form_field in iter_fields(fieldsets)
        if form_field.field.getName() not in fields or form_field.field.getName() in NOT_IN_SCHEMA
    ]
    properties = get_jsonschema_properties(
        view.context, request, fieldsets, excluded_fields=excluded
    )
    for form_field in iter_fields(fieldsets):
        name = form_field.field.getName()
        if name in properties and form_field.mode:
            properties[name]["mode"] = form_field.mode
        if name in properties:
            _drop_source_link(properties[name])
    infos = [
        {**info, "fields": [name for name in info["fields"] if name in properties]}
        for info in get_fieldset_infos(fieldsets)
    ]
    return {
        "type": "object",
        "title": view.context.Title(),
        "properties": IJsonCompatible(properties),
        "required": [name for name in properties if fields[name].required],
        "fieldsets": [info for info in infos if info["fields"]],
    }


def _drop_source_link(schema):
    # A choice of a form's field lists its choices inline; plone.restapi also links it to
    # @sources/<field>, which looks the field up in the content type's schema: a dead link.
    if "/@sources/" in (schema.get("vocabulary") or {}).get("@id", ""):
        del schema["vocabulary"]


def serialize_form(form, view, request):
    """The form's schema with what the page shows around the fields.

    >>> serialize_form(form, view, request)["acknowledgement"]["name"]
    'acknowledged'
    """
    card = card_of(form)
    max_file, max_total = upload_limits()
    acknowledgement = input_fields(view).get(ACK_FIELD)
    return {
        "@id": f"{form.absolute_url()}/@eservice-form",
        "title": form.Title(),
        "description": form.Description(),
        "submit": f"{form.absolute_url()}/@eservice-submit",
        "service": (
            {"@id": card.absolute_url(), "title": card.Title()} if card is not None else None
        ),
        "schema": serialize_schema(view, request),
        "acknowledgement": {
            "name": ACKNOWLEDGED,
            "title": translate(acknowledgement.title, context=request) if acknowledgement else "",
            "required": True,
        },
        "information_clause": {
            "text": eservices_setting("information_clause") or default_clause(request),
            "url": eservices_setting("information_clause_url") or None,
        },
        "uploads": {
            "max_file_size": max_file,
            "max_submission_size": max_total,
            "extensions": sorted(ACCEPTED_EXTENSIONS),
        },
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def serialize_receipt(receipt):
    """The receipt as JSON-ready data, with where its PDF is made on request.

    The PDF is not inside: making it costs more than the rest of the submission
    (fonts, subsetting), and most apps show the receipt from these data. The key
    is not stored, so the PDF is made by a POST of the sign and the key, as the
    thank-you page's button does.

    >>> serialize_receipt(receipt)["receipt_pdf"]["method"]
    'POST'
    """
    return {
        "office": receipt["office"],
        "service": receipt["service"],
        "sign": receipt["sign"],
        "number": receipt["number"],
        "received": _iso(receipt["received"]),
        "issued": _iso(receipt["issued"]),
        "deadline": _iso(receipt["deadline"]),
        "key": receipt["key"],
        "digest": receipt["digest"],
        "files": [{"filename": name, "sha256": digest} for name, digest in receipt["files"]],
        "status_url": receipt["status_url"],
        "receipt_pdf": {
            "@id": receipt_pdf_url(),
            "method": "POST",
            "parameters": ["sign", "key"],
            "content-type": "application/pdf",
            "filename": receipt_pdf_name(receipt["sign"]),
        },
    }


def serialize_errors(errors, request):
    """The 400 body: every refused field, and one message (the only error's, or a summary).

    >>> serialize_errors([("birth_date", _("Enter a date as YYYY-MM-DD."))], request)["error"]
    {'type': 'ValidationError', 'message': 'Podaj datę…', 'errors': [{'field': 'birth_date', …}]}
    """
    errors = translated_errors(errors, request)
    if len(errors) == 1:
        message = errors[0]["message"]
    else:
        message = translate(_("Correct the marked fields; nothing has been sent."), context=request)
    return {"error": {"type": "ValidationError", "message": message, "errors": errors}}


# --- services ---------------------------------------------------------------------------


class EServiceFormGet(Service):
    """``GET <form>/@eservice-form``: the schema of a form that registers cases."""

    def reply(self):
        case_action(self.context)
        return serialize_form(self.context, form_view(self.context, self.request), self.request)


class EServiceSubmitPost(Service):
    """``POST <form>/@eservice-submit``: file a submission; 201 with the receipt."""

    def reply(self):
        action = case_action(self.context)
        # plone.protect checks a CSRF token on a signed-in user's writes (not an anonymous
        # one's), and without one it aborts the transaction after the 201 is written: the
        # resident would hold a receipt of a case that is not stored. plone.restapi's write
        # services switch the check off each for itself; so does this one. A forged request
        # gains nothing: the e-service user files it from what it holds, as an anonymous one.
        alsoProvides(self.request, IDisableCSRFProtection)
        if content_length(self.request) > max_body_size():
            return self.error(
                413,
                "PayloadTooLarge",
                _(
                    "The submission is too large: at most ${size} MB.",
                    mapping={"size": upload_limits()[1] // MB},
                ),
            )
        try:
            values, acknowledged = submission_of(self.request)
            fields = submitted_fields(form_view(self.context, self.request), values, acknowledged)
            receipt = register_submission(self.context, action, fields, self.request)
        except SubmissionInvalid as invalid:
            return self.invalid(invalid.errors)
        except TooManySubmissions as refusal:
            minutes = (getattr(refusal.message, "mapping", None) or {}).get("minutes", 60)
            self.request.response.setHeader("Retry-After", str(int(minutes) * 60))
            return self.error(429, "TooManyRequests", refusal.message)
        except SubmissionRefused as refusal:
            return self.invalid([(refusal.field, refusal.message)])
        self.request.response.setStatus(201)
        self.request.response.setHeader("Cache-Control", "no-store")  # it holds the key
        return serialize_receipt(receipt)

    def invalid(self, errors):
        self.request.response.setStatus(400)
        return serialize_errors(errors, self.request)

    def error(self, status, kind, message):
        self.request.response.setStatus(status)
        return {"error": {"type": kind, "message": translate(message, context=self.request)}}
