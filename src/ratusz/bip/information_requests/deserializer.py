"""Reading a request sent to the REST API: the same schema and checks as the form."""

from types import SimpleNamespace

from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import Invalid
from zope.schema import getFieldsInOrder
from zope.schema.interfaces import RequiredMissing
from zope.schema.interfaces import TooLong
from zope.schema.interfaces import ValidationError
from zope.schema.interfaces import WrongType

from ratusz.bip.information_requests.interfaces import IInformationRequest
from ratusz.i18n import _


def field_error_message(error, field):
    """The message (translatable) explaining why ``field`` refused a value.

    >>> field_error_message(TooLong("x" * 6000, 5000), IInformationRequest["text"])
    'The text is too long: at most ${max} characters.'
    """
    if isinstance(error, RequiredMissing):
        return _("Required input is missing.")
    if isinstance(error, TooLong):
        return _(
            "The text is too long: at most ${max} characters.",
            mapping={"max": field.max_length},
        )
    vocabulary = getattr(field, "vocabulary", None)
    if vocabulary is not None:
        return _(
            "Choose one of: ${values}.",
            mapping={"values": ", ".join(term.value for term in vocabulary)},
        )
    if isinstance(error, WrongType):
        return _("Send this value as text.")
    # Ratusz's validators carry their message as the error's docstring
    # (ratusz.validators); an invariant passes it as the first argument.
    message = error.doc() if isinstance(error, ValidationError) else error.args[0]
    return message if isinstance(message, Message) else _("The value is not valid.")


def _value(data, name, field):
    raw = data.get(name)
    if isinstance(raw, str) and not raw.strip():
        raw = None
    if raw is None and field.default is not None:
        return field.default
    return raw


def deserialize_information_request(data, context, request):
    """Validate ``data`` (the JSON body); return ``(values, errors)``.

    Each error is ``{"field": name or None, "message": translated text}``.

    >>> deserialize_information_request({"text": "Budżet?"}, section, request)[1]
    [{'field': 'email', 'message': 'Give an e-mail address or a postal address, …'}]
    """
    values, errors = {}, []
    for name, field in getFieldsInOrder(IInformationRequest):
        field = field.bind(context)
        value = _value(data, name, field)
        try:
            if value is not None and not isinstance(value, str):
                raise WrongType(value, str, name)
            field.validate(value)
        except Invalid as error:
            message = field_error_message(error, field)
            errors.append({"field": name, "message": translate(message, context=request)})
            continue
        values[name] = value
    if not errors:
        try:
            IInformationRequest.validateInvariants(SimpleNamespace(**values))
        except Invalid as error:
            message = error.args[0] if error.args else _("The value is not valid.")
            field = getattr(error, "field", None)
            errors.append({"field": field, "message": translate(message, context=request)})
    return values, errors
