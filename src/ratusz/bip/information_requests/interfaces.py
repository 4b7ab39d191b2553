"""What a requester sends, and the handler extension point."""

from zope import schema
from zope.interface import Attribute
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider
from zope.schema import ValidationError
from zope.schema.interfaces import IVocabularyFactory

from ratusz.bip.vocabularies import fixed_vocabulary
from ratusz.i18n import _
from ratusz.validators import is_email_or_empty

MAX_TEXT_LENGTH = 5_000


class IInformationRequestHandler(Interface):
    """Something to do with a received request, registered as a named utility.

    The handlers run in ascending ``order`` within the transaction of the
    submission: an exception in one aborts the whole submission (nothing is
    stored, no mail is sent) and the visitor sees an error. Ratusz ships
    ``store`` (order 100) and ``notify`` (order 900).
    """

    order = Attribute("Position among the handlers: lower runs first.")

    def __call__(information_request, context, request):
        """Handle ``information_request`` (a dict, see ``storage.new_information_request``)
        submitted on ``context`` (a BIP section) during ``request``."""


ACCESS_WAYS = fixed_vocabulary(
    ("email", _("By e-mail")),
    ("post", _("By post")),
    ("inspection", _("Inspection in the office")),
)

ACCESS_FORMS = fixed_vocabulary(
    ("electronic", _("Electronic")),
    ("paper", _("Paper")),
)

STATUSES = fixed_vocabulary(
    ("new", _("New")),
    ("in_progress", _("In progress")),
    ("answered", _("Answered")),
    ("refused", _("Refused by decision")),
)

# A request in these states still waits for an answer: its deadline matters.
OPEN_STATUSES = ("new", "in_progress")


@provider(IVocabularyFactory)
def access_ways_vocabulary(context=None):
    """``ratusz.bip.information_access_ways``: e-mail, post, inspection in the office."""
    return ACCESS_WAYS


@provider(IVocabularyFactory)
def access_forms_vocabulary(context=None):
    """``ratusz.bip.information_access_forms``: electronic or paper."""
    return ACCESS_FORMS


@provider(IVocabularyFactory)
def statuses_vocabulary(context=None):
    """``ratusz.bip.information_request_statuses``: new, in progress, answered, refused."""
    return STATUSES


class FieldInvalid(Invalid):
    """An invariant's error that belongs to one field: forms show it next to that field.

    >>> FieldInvalid("Give an e-mail address.", "email").field
    'email'
    """

    def __init__(self, message, field):
        super().__init__(message)
        self.field = field


class LineBreakNotAllowed(ValidationError):
    __doc__ = _("Line breaks are not allowed here.")


def is_single_line(value):
    """Refuse line breaks: a name ends up in mails and one-line lists.

    >>> is_single_line("Jan Kowalski")
    True
    """
    if value and ("\r" in value or "\n" in value):
        raise LineBreakNotAllowed(value)
    return True


def is_single_line_email(value):
    """A plain e-mail address on one line (no extra headers can ride on it).

    >>> is_single_line_email("jan@example.org")
    True
    """
    return is_single_line(value) and is_email_or_empty(value)


class IInformationRequest(Interface):
    """A request for public information (UDIP art. 10): only the text is required."""

    name = schema.TextLine(
        title=_("Your name"),
        description=_("Optional: you need not say who you are."),
        required=False,
        max_length=200,
        constraint=is_single_line,
    )

    email = schema.TextLine(
        title=_("E-mail address"),
        description=_("We send the confirmation and, if you choose so, the answer here."),
        required=False,
        max_length=200,
        constraint=is_single_line_email,
    )

    postal_address = schema.Text(
        title=_("Postal address"),
        description=_("Needed if you want the answer by post."),
        required=False,
        max_length=500,
    )

    text = schema.Text(
        title=_("Information requested"),
        description=_("What information do you ask for? At most 5,000 characters."),
        required=True,
        max_length=MAX_TEXT_LENGTH,
    )

    access_way = schema.Choice(
        title=_("Way of access"),
        vocabulary="ratusz.bip.information_access_ways",
        default="email",
        required=True,
    )

    access_form = schema.Choice(
        title=_("Form of the information"),
        vocabulary="ratusz.bip.information_access_forms",
        default="electronic",
        required=True,
    )

    @invariant
    def office_can_answer(data):
        """Without an e-mail or a postal address the office could not answer."""
        email = getattr(data, "email", None)
        postal_address = getattr(data, "postal_address", None)
        if not email and not (postal_address or "").strip():
            raise FieldInvalid(
                _("Give an e-mail address or a postal address, so that the office can answer."),
                "email",
            )
        access_way = getattr(data, "access_way", None)
        if access_way == "email" and not email:
            raise FieldInvalid(
                _("To receive the information by e-mail, give an e-mail address."), "email"
            )
        if access_way == "post" and not (postal_address or "").strip():
            raise FieldInvalid(
                _("To receive the information by post, give a postal address."), "postal_address"
            )
