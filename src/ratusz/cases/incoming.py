"""The incoming register (rejestr przesyłek wpływających, K3): numbered incoming items.

Each item the office receives — at the desk, by post, e-mail, through the
electronic inbox (ePUAP) or e-Doręczenia — is registered in
``/intranet/kancelaria`` and gets the next number of the year from the
register's pattern (default ``RPW/{n}/{yyyy}``, Site Setup → Document
circulation). The number is taken in the registering transaction (gapless,
``ratusz.cases.numbering``) and names the item (``rpw-17-2026``). Scans and
attachments are files inside the item.
"""

from datetime import datetime

from plone import api
from plone.app.content.namechooser import NormalizingNameChooser
from plone.autoform import directives
from plone.dexterity.utils import createContentInContainer
from plone.indexer.decorator import indexer
from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.interface import provider
from zope.schema.interfaces import IContextAwareDefaultFactory
from zope.schema.interfaces import IVocabularyFactory

from ratusz.cases.numbering import DEFAULT_REGISTER_PATTERN
from ratusz.cases.numbering import check_register_pattern
from ratusz.cases.numbering import next_register_number
from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.validators import validate_fields
from ratusz.vocabularies import fixed_vocabulary

PATTERN_RECORD = "ratusz.cases.incoming_number_pattern"
NO_DATA = _("no data")  # "brak danych": what the register shows for an unknown value

CHANNELS = (
    ("desk", _("At the desk")),
    ("post", _("By post")),
    ("email", _("By e-mail")),
    ("epuap", _("Electronic inbox (ePUAP)")),
    ("edoreczenia", _("e-Doręczenia")),
    ("eservice", _("E-service (online form)")),
)


@provider(IVocabularyFactory)
def channels(context):
    """How an item reached the office (K3)."""
    return fixed_vocabulary(*CHANNELS)


class IIncomingRegister(model.Schema):
    """The incoming register (``/intranet/kancelaria``): the items, by day and month."""


@provider(IContextAwareDefaultFactory)
def now(context):
    return datetime.now().replace(second=0, microsecond=0)


class IIncomingItem(model.Schema):
    """One incoming item: letter, application, e-mail, electronic document."""

    received = schema.Datetime(
        title=_("Received"), description=_("Date and time of receipt."), defaultFactory=now
    )
    channel = schema.Choice(title=_("Channel"), vocabulary="ratusz.cases.channels", default="desk")
    sender = schema.TextLine(
        title=_("Sender"),
        description=_("Name of the person or institution."),
        max_length=300,
        constraint=has_no_markup,
    )
    sender_address = schema.Text(
        title=_("Sender's address"), required=False, max_length=1000, constraint=has_no_markup
    )
    letter_sign = schema.TextLine(
        title=_("Sign on the letter"),
        description=_("The sender's reference, if the letter has one."),
        required=False,
        max_length=100,
        constraint=has_no_markup,
    )
    letter_date = schema.Date(title=_("Date on the letter"), required=False)
    title = schema.TextLine(title=_("Subject"), max_length=500, constraint=has_no_markup)
    attachments_count = schema.Int(title=_("Number of attachments"), min=0, max=9999, default=0)
    remarks = schema.Text(
        title=_("Remarks"), required=False, max_length=2000, constraint=has_no_markup
    )
    directives.omitted("number")
    number = schema.TextLine(title=_("Number"), required=False, readonly=True)


def number_pattern():
    """The register's number pattern from the registry (the default if unset or broken).

    >>> number_pattern()
    'RPW/{n}/{yyyy}'
    """
    pattern = api.portal.get_registry_record(PATTERN_RECORD, default=None) or ""
    try:
        check_register_pattern(pattern)
    except ValueError:
        return DEFAULT_REGISTER_PATTERN
    return pattern


def register_item(item):
    """Give ``item`` the next number of its year, unless it has one; return the number.

    >>> register_item(item)
    'RPW/17/2026'
    """
    if getattr(item, "number", None):
        return item.number
    received = item.received or datetime.now()
    item.number = next_register_number(api.portal.get(), received.year, number_pattern())
    return item.number


def create_incoming_item(register, **fields):
    """Register an incoming item in ``register`` as the current user; return it, numbered.

    Use this rather than ``plone.api.content.create``, which creates under a
    temporary id and renames (a rename needs "Copy or Move", which the desk
    does not have): here the item is numbered and named once.

    >>> create_incoming_item(register, title="Wniosek", sender="Jan Kowalski").number
    'RPW/18/2026'
    """
    validate_fields(IIncomingItem, fields, register)
    return createContentInContainer(register, "IncomingItem", checkConstraints=True, **fields)


@adapter(IIncomingRegister)
class IncomingNameChooser(NormalizingNameChooser):
    """An incoming item is numbered when it is added, and named after its number."""

    def chooseName(self, name, obj):
        if IIncomingItem.providedBy(obj):
            name = register_item(obj).replace("/", "-")
        return super().chooseName(name, obj)


# --- catalog ----------------------------------------------------------------------------


@indexer(IIncomingItem)
def incoming_received(item):
    return item.received


@indexer(IIncomingItem)
def incoming_number(item):
    return item.number


@indexer(IIncomingItem)
def assigned_department(item):
    value = getattr(item, "assigned_department", None)
    if not value:
        raise AttributeError("assigned_department")
    return value


@indexer(IIncomingItem)
def assigned_clerk(item):
    value = getattr(item, "assigned_clerk", None)
    if not value:
        raise AttributeError("assigned_clerk")
    return value


def summary(item):
    """What the register shows of an item, kept as catalog metadata (no object woken).

    >>> summary(item)["number"]
    'RPW/17/2026'
    """
    department = getattr(item, "assigned_department", None)
    return {
        "number": item.number,
        "received": item.received.isoformat() if item.received else None,
        "channel": item.channel,
        "sender": item.sender,
        "sender_address": item.sender_address,
        "letter_sign": item.letter_sign,
        "letter_date": item.letter_date.isoformat() if item.letter_date else None,
        "subject": item.title,
        "attachments_count": item.attachments_count,
        "remarks": (item.remarks or "")[:500],
        "department": department,
        "clerk": getattr(item, "assigned_clerk", None),
        "deadline": item.deadline.isoformat() if getattr(item, "deadline", None) else None,
        "case_sign": getattr(item, "case_sign", None),
    }


@indexer(IIncomingItem)
def incoming_copies(item):
    return list(getattr(item, "copies", None) or ())


@indexer(IIncomingItem)
def incoming_pending(item):
    """An item its clerk has not yet opened a case for (the "Assigned to me" dashboard)."""
    return bool(getattr(item, "assigned_clerk", None)) and not getattr(item, "case_sign", None)


@indexer(IIncomingItem)
def incoming_summary(item):
    return summary(item)
