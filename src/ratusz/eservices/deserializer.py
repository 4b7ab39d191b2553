"""Reading a submission sent to the REST API (``@eservice-submit``) into the fields of its form.

A JSON body ``{"data": {field: value}, "acknowledged": true}`` (files as
plone.restapi sends them: ``{"filename", "content-type", "data", "encoding":
"base64"}``) or a multipart/form-data request (fields as parts, files as file
parts, ``acknowledged=true`` as a part) becomes the ``{field: value}`` dict
easyform hands its actions, files as ``NamedBlobFile``.

The fields are the ones the HTML form shows (the easyform form is built, with
its form extenders, and asked for them), each value is converted by
plone.restapi's field deserializer and then checked by the form's own
z3c.form validators: required fields, lengths, vocabularies, e-mail addresses
and the validators an editor set on a field behave as on the page. What the
action checks itself (the applicant's name, the files' contents and sizes,
the honeypot, the rate limit) is left to ``register_submission``.

Fields the form does not have are refused rather than dropped: an app built
on an older schema would otherwise lose, without a word, what the resident
typed.
"""

import base64
import binascii
import json
from datetime import datetime

from collective.easyform.browser.view import EasyFormForm
from collective.easyform.interfaces import ILabel
from plone.namedfile.interfaces import INamedField
from plone.restapi.interfaces import IFieldDeserializer
from plone.schema.email import InvalidEmail
from z3c.form.interfaces import IValidator
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.interface import Invalid
from zope.schema.interfaces import IDate
from zope.schema.interfaces import IDatetime
from zope.schema.interfaces import IText
from zope.schema.interfaces import ValidationError
from zope.schema.interfaces import WrongType
from ZPublisher.HTTPRequest import FileUpload

from ratusz.bip.information_requests.deserializer import field_error_message
from ratusz.eservices.privacy import ACK_FIELD
from ratusz.i18n import _

ACKNOWLEDGED = "acknowledged"  # the body's key for the information clause's checkbox
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
SHOWN_NAME = 100  # an unknown field's name is echoed back: not a megabyte of it
BAD_BODY = _('Send the submission as a JSON object: {"data": {…}, "acknowledged": true}.')
BAD_FILE = _(
    'Send a file as {"filename", "content-type", "data", "encoding": "base64"}, '
    "or as a file part of a multipart request."
)


class SubmissionInvalid(ValueError):
    """Input refused before anything is made: ``errors`` is ``[(field or None, message)]``,
    each message translatable.

    >>> SubmissionInvalid([("applicant_email", _("Enter a valid e-mail address."))]).errors[0][0]
    'applicant_email'
    """

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class FieldInvalid(ValidationError):
    """A value of the wrong shape for its field; ``message`` (translatable) says what to send."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message


# --- the form ---------------------------------------------------------------------------


def form_view(form, request):
    """The easyform form of ``form`` with its fields set up as the page's (extenders included,
    fields an editor disabled or computes on the server left out), no widgets rendered.

    >>> "ratusz_privacy_acknowledged" in form_view(form, request).fields
    True
    """
    view = EasyFormForm(form, request)
    view.updateFields()
    return view


def input_fields(view):
    """``{name: zope.schema field}`` of every field the resident fills in, in the page's order
    (fieldsets included; labels, which only show text, left out).

    >>> list(input_fields(form_view(form, request)))[:2]
    ['applicant_name', 'applicant_email']
    """
    fields = {}
    for container in (view, *view.groups):
        for name, form_field in container.fields.items():
            if not ILabel.providedBy(form_field.field):
                fields[name] = form_field.field
    return fields


# --- the request ------------------------------------------------------------------------


def is_form_post(request):
    """Whether the request sends form parts (multipart/form-data; or urlencoded, without files)
    rather than a JSON body: Zope has already parsed them into ``request.form``.

    >>> is_form_post(request)  # Content-Type: multipart/form-data; boundary=…
    True
    """
    content_type = (request.getHeader("Content-Type") or "").lower()
    return content_type.startswith(FORM_TYPES)


def json_submission(body):
    """``(values, acknowledged)`` from a JSON body; SubmissionInvalid if it is not one.

    >>> json_submission(b'{"data": {"applicant_name": "Jan"}, "acknowledged": true}')
    ({'applicant_name': 'Jan'}, True)
    """
    try:
        document = json.loads(body or b"")
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested a million deep
        raise SubmissionInvalid([(None, BAD_BODY)])
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise SubmissionInvalid([(None, BAD_BODY)])
    return document["data"], document.get(ACKNOWLEDGED)


def multipart_submission(form):
    """``(values, acknowledged)`` from the parts of a multipart request (``request.form``).

    >>> multipart_submission({"applicant_name": "Jan", "acknowledged": "true"})
    ({'applicant_name': 'Jan'}, 'true')
    """
    values = {name: value for name, value in form.items() if name != ACKNOWLEDGED}
    return values, form.get(ACKNOWLEDGED)


def submission_of(request):
    """``(values, acknowledged)`` of the request, JSON or multipart.

    >>> submission_of(request)
    ({'applicant_name': 'Jan', …}, True)
    """
    if is_form_post(request):
        return multipart_submission(request.form)
    return json_submission(request.get("BODY"))


# --- one value --------------------------------------------------------------------------


def file_value(field, value):
    """A ``NamedBlobFile`` (the field's file type) from a JSON file object or a file part;
    None for no file.

    >>> file_value(field, {"filename": "a.png", "data": "iVBORw0K", "encoding": "base64"}).filename
    'a.png'
    """
    if isinstance(value, FileUpload):
        if not value.filename:  # an empty file input
            return field.missing_value
        data = value.read()
        content_type = value.headers.get("Content-Type") or "application/octet-stream"
        return _named_file(field, data, content_type, value.filename)
    if not isinstance(value, dict) or value.get("encoding") != "base64":
        # Only base64: plone.restapi would take any Python codec here, zlib (a bomb) included.
        raise FieldInvalid(BAD_FILE)
    filename, data = value.get("filename"), value.get("data")
    content_type = value.get("content-type") or "application/octet-stream"
    if not isinstance(filename, str) or not isinstance(data, str) or not filename.strip():
        raise FieldInvalid(BAD_FILE)
    if not isinstance(content_type, str):
        raise FieldInvalid(BAD_FILE)
    try:
        # validate=True: the default decoder skips any character not in the alphabet.
        body = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise FieldInvalid(_("The file's data is not valid base64."))
    return _named_file(field, body, content_type, filename)


def _named_file(field, data, content_type, filename):
    if not data:
        return field.missing_value
    return field._type(data=data, contentType=content_type[:100], filename=filename)


def datetime_value(value):
    """A naive local ``datetime`` from an ISO 8601 text, as the page's widget gives it.

    >>> datetime_value("2026-03-01T10:00")
    datetime.datetime(2026, 3, 1, 10, 0)
    """
    if not isinstance(value, str):
        raise FieldInvalid(_("Enter a date and time as text, e.g. 2026-03-01T10:00."))
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FieldInvalid(_("Enter a date and time as text, e.g. 2026-03-01T10:00."))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed


def field_value(field, value, form, request):
    """``value`` (JSON or a multipart part) converted for ``field``; the field's missing value
    for nothing sent; ValidationError, Invalid, ValueError or TypeError if it does not fit.

    Files and date-times are read here; every other type by plone.restapi's field
    deserializer for the form (dates from ``YYYY-MM-DD``, choices by token or value,
    numbers and yes/no from JSON or from text). Date-times are not left to
    plone.restapi, which reads the stored value of a content item first.

    >>> field_value(form_schema["birth_date"], "2026-01-05", form, request)
    datetime.date(2026, 1, 5)
    """
    if value is None or value == "":  # as z3c.form's converters: an empty input is no value
        return field.missing_value
    if INamedField.providedBy(field):
        return file_value(field, value)
    if isinstance(value, FileUpload):
        raise FieldInvalid(_("The value is not valid."))
    if IDatetime.providedBy(field):
        return datetime_value(value)
    if IDate.providedBy(field) and not isinstance(value, str):
        raise FieldInvalid(_("Enter a date as YYYY-MM-DD."))
    deserializer = getMultiAdapter((field, form, request), IFieldDeserializer)
    return deserializer(value)


def validate_value(view, field, value):
    """Check ``value`` with the validator the page's form uses for ``field`` (required,
    constraints, the editor's validators of easyform, the file size limit of easyform).

    No widget: the value is already converted, and without one z3c.form checks every value.

    >>> validate_value(view, view.fields["applicant_name"].field, None)
    Traceback (most recent call last):
    RequiredMissing: applicant_name
    """
    validator = getMultiAdapter((view.context, view.request, view, field, None), IValidator)
    validator.validate(value)


def error_message(error, field):
    """The translatable message of a refused value.

    >>> error_message(FieldInvalid(_("Enter a date as YYYY-MM-DD.")), field)
    'Enter a date as YYYY-MM-DD.'
    """
    if isinstance(error, FieldInvalid):
        return error.message
    if isinstance(error, InvalidEmail):
        return _("Enter a valid e-mail address.")  # plone.schema's own has no translations
    if IDate.providedBy(field) and not isinstance(error, (ValidationError, Invalid)):
        return _("Enter a date as YYYY-MM-DD.")  # strptime's ValueError
    if isinstance(error, WrongType) and not IText.providedBy(field):
        return _("The value is not valid.")  # a list for a number: not "send it as text"
    if isinstance(error, (ValidationError, Invalid)):
        try:
            return field_error_message(error, field)
        except TypeError:  # "Choose one of" joins the choices: not texts here
            return _("The value is not valid.")
    return _("The value is not valid.")


# --- the whole submission ---------------------------------------------------------------


def is_yes(value):
    """Whether the acknowledgement was given: JSON ``true``, or a part ``true``/``on``/``1``
    (``1`` in JSON is no: ``1 == True`` in Python, not in the protocol).

    >>> is_yes(True), is_yes("true"), is_yes(1), is_yes(False)
    (True, True, False, False)
    """
    return value is True or (isinstance(value, str) and value.lower() in ("true", "on", "1"))


def unknown_fields(values, fields):
    """``[(name, message)]`` for each name in ``values`` the form has no field of.

    >>> unknown_fields({"pesel": "80051712345"}, {"applicant_name": field})
    [('pesel', 'This form has no such field.')]
    """
    return [
        (str(name)[:SHOWN_NAME], _("This form has no such field."))
        for name in values
        if name not in fields or name == ACK_FIELD
    ]


def submitted_fields(view, values, acknowledged):
    """``{field: value}`` for ``register_submission``, every field of the form in order
    (nothing sent: its missing value), the acknowledgement included, as easyform passes
    them; SubmissionInvalid with every refused field.

    >>> submitted_fields(view, {"applicant_name": "Jan", …}, True)["ratusz_privacy_acknowledged"]
    True
    """
    fields = input_fields(view)
    errors = unknown_fields(values, fields)
    result = {}
    for name, field in fields.items():
        if name == ACK_FIELD:
            continue
        try:
            value = field_value(field, values.get(name), view.context, view.request)
            validate_value(view, field, value)
        except (ValidationError, Invalid, ValueError, TypeError, LookupError) as error:
            errors.append((name, error_message(error, field)))
            continue
        result[name] = value
    if not is_yes(acknowledged):
        errors.append((ACKNOWLEDGED, _("Confirm that you have read the information clause.")))
    if errors:
        raise SubmissionInvalid(errors)
    if ACK_FIELD in fields:
        result[ACK_FIELD] = True  # recorded in the application document, as from the page
    return view.updateServerSideData(result)


def translated_errors(errors, request):
    """``[{"field", "message"}]`` of SubmissionInvalid's errors, in the request's language.

    >>> translated_errors([("copies", _("The value is not valid."))], request)
    [{'field': 'copies', 'message': 'Nieprawidłowa wartość.'}]
    """
    return [
        {"field": field, "message": translate(message, context=request)}
        for field, message in errors
    ]
