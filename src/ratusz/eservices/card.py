"""Service cards (karty usług): what a resident needs to know to settle a matter.

A card says what the service is for, who may apply, which documents to bring,
the fees and how to pay them, how long it takes, the legal basis, where to go
and how to appeal. It names the department and the JRWA class and kind of
case (deadline, workflow) that a submission of its online form becomes; the
form (collective.easyform) and downloadable templates (Files) live inside it.

Cards sit in the catalogue (``/pl/e-uslugi``), which lists them from catalog
metadata (``service_summary``) and filters them by life event.
"""

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.app.z3cform.widgets.select import SelectFieldWidget
from plone.autoform import directives
from plone.indexer import indexer
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory

from ratusz.cases.case import is_final_class
from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.vocabularies import fixed_vocabulary

LIFE_EVENTS = (
    ("moving", _("Moving house")),
    ("family", _("Family and civil status")),
    ("building", _("Building and planning")),
    ("property", _("Property and housing")),
    ("business", _("Running a business")),
    ("vehicles", _("Vehicles and roads")),
    ("environment", _("Environment and waste")),
    ("taxes", _("Local taxes and fees")),
    ("documents", _("Documents and certificates")),
    ("participation", _("Public information, complaints, civic matters")),
)


@provider(IVocabularyFactory)
def life_events(context):
    """The life events a resident looks services up by (the catalogue's categories)."""
    return fixed_vocabulary(*LIFE_EVENTS)


class IServiceCatalogue(model.Schema):
    """The catalogue of e-services (``/pl/e-uslugi``)."""


def _text(title, description=None, required=False, max_length=5000):
    return schema.Text(
        title=title,
        description=description,
        required=required,
        max_length=max_length,
        constraint=has_no_markup,
    )


class IServiceCard(model.Schema):
    """A service card (karta usługi)."""

    title = schema.TextLine(
        title=_("Name of the service"), max_length=300, constraint=has_no_markup
    )
    description = _text(_("What it is for"), _("One or two sentences."), True, 1000)
    purpose = _text(_("What you settle"))
    eligibility = _text(_("Who can apply"))
    required_documents = schema.List(
        title=_("Required documents"),
        description=_("One document a line."),
        value_type=schema.TextLine(max_length=500, constraint=has_no_markup),
        required=False,
        default=[],
        max_length=50,
    )
    fees = _text(_("Fees and how to pay"))
    handling_time = schema.TextLine(
        title=_("How long it takes"),
        description=_("As the resident reads it, e.g. up to 7 days."),
        required=False,
        max_length=200,
        constraint=has_no_markup,
    )
    legal_basis = schema.List(
        title=_("Legal basis"),
        description=_("One act or article a line."),
        value_type=schema.TextLine(max_length=500, constraint=has_no_markup),
        required=False,
        default=[],
        max_length=30,
    )
    place = _text(_("Where to go"), _("Address, floor, room or desk."), max_length=1000)
    opening_hours = _text(_("Opening hours"), max_length=500)
    appeal = _text(_("How to appeal"))
    details = RichText(title=_("More information"), required=False)
    life_events = schema.List(
        title=_("Life events"),
        value_type=schema.Choice(vocabulary="ratusz.eservices.life_events"),
        required=False,
        default=[],
    )
    directives.widget("life_events", SelectFieldWidget)
    related = RelationList(
        title=_("Related services"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )
    directives.widget(
        "related",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ServiceCard"], "basePath": ""},
    )

    model.fieldset(
        "handling",
        label=_("Handling"),
        fields=["department", "jrwa", "case_kind", "clerk"],
    )
    department = schema.Choice(
        title=_("Responsible department"),
        description=_("Submissions of the online form become cases of this department."),
        vocabulary="ratusz.cases.departments",
    )
    jrwa = schema.TextLine(
        title=_("JRWA class"),
        description=_("The symbol of a final class, e.g. 0020."),
        max_length=10,
        constraint=is_final_class,
    )
    case_kind = schema.Choice(
        title=_("Kind of case"),
        description=_("Gives the deadline and the workflow of the cases."),
        vocabulary="ratusz.cases.kinds",
    )
    clerk = schema.Choice(
        title=_("Clerk"),
        description=_("Who handles new cases; empty: the head of the department."),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )


def card_summary_of(card):
    """What the catalogue shows of a card, kept as catalog metadata.

    >>> card_summary_of(card)["life_events"]
    ['moving']
    """
    form = online_form(card)
    return {
        "life_events": list(card.life_events or ()),
        "department": card.department,
        "case_kind": card.case_kind,
        "handling_time": card.handling_time or "",
        "has_form": form is not None,
        "form_id": form.getId() if form is not None else None,
        "place": card.place or "",
    }


def online_form(card):
    """The card's online form (the first EasyForm inside it), or None.

    >>> online_form(card).portal_type
    'EasyForm'
    """
    for child in card.objectValues():
        if getattr(child, "portal_type", None) == "EasyForm":
            return child
    return None


def card_of(obj):
    """The service card ``obj`` is in (or is), or None: a form takes its defaults from it."""
    for item in getattr(obj, "aq_chain", ()):
        if IServiceCard.providedBy(item):
            return item
    return None


@indexer(IServiceCard)
def service_summary(card):
    return card_summary_of(card)


@indexer(IServiceCard)
def service_life_events(card):
    return list(card.life_events or ())


@indexer(IServiceCard)
def card_searchable_text(card):
    parts = [
        card.title,
        card.description,
        card.purpose,
        card.eligibility,
        " ".join(card.required_documents or ()),
        card.fees,
        card.handling_time,
        " ".join(card.legal_basis or ()),
        card.place,
    ]
    return " ".join(part for part in parts if part)


def form_changed(form, event):
    """A form added to or removed from a card changes the card's "online" mark."""
    card = card_of(getattr(event, "oldParent", None) or form)
    if card is None:
        card = card_of(getattr(event, "newParent", None))
    if card is not None and card is not form:
        card.reindexObject()


def public_information_form_url(context):
    """The online form of the published card for requests for public information (kind
    ``information``) in the language of ``context``, or None: the BIP's request page
    sends residents there (B7).

    >>> public_information_form_url(api.content.get("/pl/bip/informacje-nieudostepnione"))
    'http://localhost:8080/Plone/pl/e-uslugi/informacja-publiczna/formularz'
    """
    from plone import api

    from ratusz.eservices.structure import CATALOGUE_IDS

    language = context.Language() or "pl"
    root = api.portal.get().get(language)
    catalogue = root.get(CATALOGUE_IDS.get(language, "")) if root is not None else None
    if catalogue is None:
        return None
    for brain in api.content.find(
        context=catalogue, portal_type="ServiceCard", sort_on="getObjPositionInParent"
    ):
        summary = brain.service_summary or {}
        if summary.get("case_kind") == "information" and summary.get("form_id"):
            return f"{brain.getURL()}/{summary['form_id']}"
    return None
