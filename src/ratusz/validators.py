"""Validators of short texts, colours, e-mail addresses and links, shared by every form.

Each raises a ``zope.schema.ValidationError`` whose docstring is the
translated message: z3c.form shows it at the field, and plone.restapi answers
400 with it (it does not catch a bare ``zope.interface.Invalid``).
"""

import re

from zope.schema import ValidationError

from ratusz.i18n import _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SAFE_TEXT = re.compile(r"^[^<>]*$")
# No ? & % , ; either: the address becomes a mailto: link, where they would add headers.
EMAIL = re.compile(r"^[^@\s<>\"'?&%,;]+@[^@\s<>\"'?&%,;]+\.[^@\s<>\"'?&%,;]+$")
URL = re.compile(r"^(https?://|/)[^\s<>\"']*$")


class NotAColour(ValidationError):
    __doc__ = _("Enter a colour as # and six hexadecimal digits, e.g. #8b1a1a.")


class MarkupNotAllowed(ValidationError):
    __doc__ = _("The characters < and > are not allowed here.")


class NotAnEmail(ValidationError):
    __doc__ = _("Enter an e-mail address such as urzad@miasto.pl.")


class NotAnAddress(ValidationError):
    __doc__ = _("Enter an address starting with https://, http:// or /.")


def is_hex_colour(value):
    """Accept ``#rrggbb`` only: the value ends up inside a ``<style>`` element.

    >>> is_hex_colour("#8b1a1a")
    True
    """
    if not HEX_COLOUR.match(value or ""):
        raise NotAColour(value)
    return True


def has_no_markup(value):
    """Refuse angle brackets in short texts shown on pages and in mails.

    >>> has_no_markup("Urząd Miasta")
    True
    """
    if not SAFE_TEXT.match(value or ""):
        raise MarkupNotAllowed(value)
    return True


def is_email_or_empty(value):
    """Accept an empty value or a plain e-mail address.

    >>> is_email_or_empty("urzad@miasto.pl")
    True
    """
    if value and not EMAIL.match(value):
        raise NotAnEmail(value)
    return True


def is_url_or_empty(value):
    """Accept an empty value, an absolute http(s) address or a site path.

    >>> is_url_or_empty("/pl/bip")
    True
    """
    if value and not URL.match(value):
        raise NotAnAddress(value)
    return True


class InputError(ValueError):
    """Input a form or an API call refuses: ``field`` names the wrong input (or is None),
    ``message`` says why, translatable, for the user.

    >>> InputError("deadline", _("The deadline has passed.")).field
    'deadline'
    """

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def checked_text(field, text, required=False, limit=2000, error=InputError):
    """``text`` stripped, or ``error(field, message)`` if it is empty (when required), longer
    than ``limit`` or holds ``<``/``>`` (shown to other users: kept plain text).

    >>> checked_text("reason", "  Brak załącznika ")
    'Brak załącznika'
    """
    text = (text or "").strip()
    if required and not text:
        raise error(field, _("Give the reason."))
    if len(text) > limit:
        raise error(
            field, _("The text is longer than ${limit} characters.", mapping={"limit": limit})
        )
    if "<" in text or ">" in text:
        raise error(field, _("The characters < and > are not allowed."))
    return text


def validate_fields(schema, fields, context, error=InputError):
    """Check ``fields`` (``{name: value}``) against their ``schema`` fields bound to ``context``,
    as a form would; raise ``error(name, message)`` on the first wrong value.

    For content made in code (``createContentInContainer`` sets attributes
    without checking them): scripts, REST helpers and e-services get the
    forms' rules.

    >>> validate_fields(ICase, {"title": "<b>"}, folder)
    Traceback (most recent call last):
    InputError: ...
    """
    for name, value in fields.items():
        if name not in schema:
            continue
        field = schema[name].bind(context)
        try:
            field.validate(value)
        except ValidationError as problem:
            raise error(name, _message_of(problem))


def _message_of(problem):
    doc = problem.doc() if hasattr(problem, "doc") else ""
    return doc if getattr(doc, "domain", None) else _(doc or problem.__class__.__name__)
