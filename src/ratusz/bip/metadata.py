"""The BIP metadata block ("metryczka", UDIP art. 8 ust. 6; requirements B1-B2).

Editors type who produced the information, in which unit, who answers for the
content and when it was produced. Who entered it is taken from the logged-in
user when the item is created; the publication date is set by the publish
transition (``effective``) and the date of the last change is ``modified``.
The typed fields may stay empty in a draft; publishing refuses an item where
any is missing (see :func:`missing_metadata` and ``workflow.py``).
"""

from plone import api
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import provider

from ratusz.i18n import _
from ratusz.validators import has_no_markup

# The fields an editor must fill before the item may be published, in the
# order an error message names them.
REQUIRED_FOR_PUBLICATION = (
    "bip_produced_by",
    "bip_producing_unit",
    "bip_responsible",
    "bip_date_produced",
)


@provider(IFormFieldProvider)
class IBipMetadata(model.Schema):
    """Who produced, who answers for and who entered a BIP item, and when."""

    model.fieldset(
        "bip_metadata",
        label=_("BIP metadata"),
        fields=[
            "bip_produced_by",
            "bip_producing_unit",
            "bip_responsible",
            "bip_date_produced",
            "bip_entered_by",
        ],
    )

    bip_produced_by = schema.TextLine(
        title=_("Information produced by"),
        description=_("The person who produced the information (name and position)."),
        required=False,
        max_length=200,
        constraint=has_no_markup,
    )

    bip_producing_unit = schema.TextLine(
        title=_("Producing unit"),
        description=_("The unit of the office that produced the information."),
        required=False,
        max_length=200,
        constraint=has_no_markup,
    )

    bip_responsible = schema.TextLine(
        title=_("Responsible for the content"),
        description=_("The person responsible for the content (name and position)."),
        required=False,
        max_length=200,
        constraint=has_no_markup,
    )

    bip_date_produced = schema.Date(
        title=_("Date produced"),
        description=_("When the information (document) was produced."),
        required=False,
    )

    # Never typed: set from the user who creates the item (see workflow.py).
    directives.omitted("bip_entered_by")
    bip_entered_by = schema.TextLine(
        title=_("Entered by"),
        readonly=True,
        required=False,
    )


def missing_metadata(obj):
    """The titles of the metadata fields still empty on ``obj``, in form order.

    >>> missing_metadata(resolution)
    ['Information produced by', 'Date produced']
    """
    adapted = IBipMetadata(obj)
    return [
        IBipMetadata[name].title
        for name in REQUIRED_FOR_PUBLICATION
        if not getattr(adapted, name, None)
    ]


def user_display_name(user=None):
    """The full name and login of ``user`` (default: the current user), as stored in BIP.

    >>> user_display_name()
    'Ewa Redaktor (redaktor)'
    """
    user = user or api.user.get_current()
    login = user.getUserName()
    fullname = user.getProperty("fullname", "") if hasattr(user, "getProperty") else ""
    return f"{fullname} ({login})" if fullname else login


def record_entered_by(obj, event=None):
    """Store who entered ``obj`` into the BIP (subscriber of IObjectAddedEvent)."""
    if not getattr(obj, "bip_entered_by", None):
        obj.bip_entered_by = user_display_name()
