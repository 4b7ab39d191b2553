"""Documents inside a case: notes and outgoing letters (K5: each step in the record).

Every document added to a case gets the next ordinal of the case, so the record
names it ``OR.0020.1.2026/2`` (the case sign and the document's place in the
case). Incoming items are linked, not moved (``ratusz.cases.case.link_incoming``).

An outgoing letter is drafted in the case, often from a template with the
case's fields filled in, and follows ``ratusz_letter_workflow``::

    draft --submit--> for_approval --approve--> approved --sign--> signed --dispatch--> dispatched
                           \\--return (with comments)--> draft

The head of the department approves or returns; the clerk marks it signed
(optionally with the signed file) and dispatched (channel and date). Each step
goes to the case's audit trail with the letter as its document.

Templates are registry records ``ratusz.cases.letter_templates/<id>`` (title and
text with ``${sign}``, ``${subject}``, ``${party}``, ``${date}``, ``${deadline}``,
``${start_date}``, ``${clerk}``, ``${department}``, ``${office}``), so an office adds
its own in a profile's ``registry.xml`` alone.
"""

from datetime import date
from string import Template

from Acquisition import aq_base
from Acquisition import aq_parent
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.indexer.decorator import indexer
from plone.namedfile.field import NamedBlobFile
from plone.registry.interfaces import IRegistry
from plone.supermodel import model
from zope import schema
from zope.component import getUtility
from zope.interface import Interface
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from ratusz.cases.case import ICase
from ratusz.cases.case import log
from ratusz.cases.notices import letter_step
from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation_views import person
from ratusz.dates import display_date
from ratusz.i18n import _
from ratusz.site.settings import get_city_settings
from ratusz.validators import InputError
from ratusz.validators import checked_text
from ratusz.validators import has_no_markup

TEMPLATES_PREFIX = "ratusz.cases.letter_templates"
MAX_BODY = 20000
MAX_TEXT = 2000
LETTER_CHANNELS = (
    ("post", _("Post (registered letter)")),
    ("epuap", _("Electronic inbox (ePUAP)")),
    ("e-delivery", _("e-Doręczenia")),
    ("email", _("E-mail")),
    ("in_person", _("Handed over in person")),
)


class DocumentError(InputError):
    """A note or letter that cannot be added or moved on as asked."""


class ICaseNote(model.Schema):
    """A note in a case (notatka służbowa): what was done or found, by whom."""

    title = schema.TextLine(title=_("Title"), max_length=200, constraint=has_no_markup)
    text = schema.Text(title=_("Text"), max_length=MAX_BODY)


@provider(IVocabularyFactory)
def letter_channels(context):
    """How a letter leaves the office."""
    return SimpleVocabulary([SimpleTerm(key, key, title) for key, title in LETTER_CHANNELS])


class IOutgoingLetter(model.Schema):
    """An outgoing letter drafted in a case."""

    title = schema.TextLine(title=_("Subject"), max_length=300, constraint=has_no_markup)
    recipient = schema.Text(
        title=_("Recipient"), description=_("Name and address."), max_length=MAX_TEXT
    )
    body = schema.Text(title=_("Text of the letter"), max_length=MAX_BODY)
    model.fieldset("dispatch", label=_("Dispatch"), fields=["channel", "dispatched_on"])
    channel = schema.Choice(
        title=_("Sent by"), vocabulary="ratusz.cases.letter_channels", required=False
    )
    dispatched_on = schema.Date(title=_("Dispatched on"), required=False)
    signed_file = NamedBlobFile(title=_("Signed letter"), required=False)


class ILetterTemplate(Interface):
    title = schema.TextLine(title=_("Name"), max_length=200)
    text = schema.Text(title=_("Text"))


# --- shared ------------------------------------------------------------------------------


def case_of(document):
    """The case a note or letter is in (its parent).

    >>> case_of(letter).sign
    'OR.0020.1.2026'
    """
    case = aq_parent(document)
    return case if ICase.providedBy(case) else None


def document_reference(document):
    """``OR.0020.1.2026/2``: the case sign and the document's place in the case."""
    case = case_of(document)
    number = getattr(aq_base(document), "document_number", None)
    if case is None or number is None:
        return document.getId()
    return f"{case.sign}/{number}"


def _number_document(case, document):
    number = (getattr(aq_base(case), "documents_count", 0) or 0) + 1
    case.documents_count = number
    document.document_number = number
    return number


def _check_text(field, text, required, limit=MAX_TEXT):
    if required and not (text or "").strip():
        raise DocumentError(field, _("Fill in this field."))
    return checked_text(field, text, required, limit, DocumentError)


def _check_may_add(case):
    if case is None or not api.user.has_permission("Add portal content", obj=case):
        raise DocumentError(None, _("You may not add documents to the case in its present state."))


def document_added(document, event):
    """Number a note or letter added to a case (also through REST) and note it in the record."""
    case = case_of(document)
    if case is None or getattr(aq_base(document), "document_number", None):
        return
    _number_document(case, document)
    if ICaseNote.providedBy(document):
        action = _("Note added")
    elif IOutgoingLetter.providedBy(document):
        action = _("Letter drafted")
    else:
        action = _("File added")
    log(case, action, document=document_reference(document), note=document.title)
    document.reindexObject()


# --- notes -------------------------------------------------------------------------------


def add_note(case, title, text):
    """Add a note to ``case``; returns it (numbered, in the record).

    >>> add_note(case, "Rozmowa telefoniczna", "Strona doniesie zaświadczenie.").document_number
    1
    """
    _check_may_add(case)
    title = _check_text("title", title, True, 200)
    text = _check_text("text", text, True, MAX_BODY)
    return createContentInContainer(case, "CaseNote", checkConstraints=True, title=title, text=text)


# --- letters -----------------------------------------------------------------------------


def letter_templates():
    """``{id: proxy}`` of the letter templates in the registry (title, text).

    >>> sorted(letter_templates())
    ['delay', 'reply', 'supplement']
    """
    registry = getUtility(IRegistry)
    return dict(registry.collectionOfInterface(ILetterTemplate, prefix=TEMPLATES_PREFIX).items())


@provider(IVocabularyFactory)
def letter_templates_vocabulary(context):
    items = sorted(letter_templates().items(), key=lambda item: item[1].title or item[0])
    return SimpleVocabulary(
        [SimpleTerm(key, key, template.title or key) for key, template in items]
    )


def case_fields(case, today=None):
    """The values a template may use, from the case (dates as the office writes them)."""
    department = department_by_symbol(case.department or "")
    parties = list(case.parties or ())
    return {
        "sign": case.sign or "",
        "subject": case.title or "",
        "party": parties[0] if parties else "",
        "date": display_date(today or date.today()),
        "deadline": display_date(case.deadline) if case.deadline else "",
        "start_date": display_date(case.start_date) if case.start_date else "",
        "clerk": person(case.clerk)["name"] if case.clerk else "",
        "department": department.title if department is not None else "",
        "office": get_city_settings().office_name or "",
    }


def fill_template(template_id, case, today=None):
    """The text of template ``template_id`` with the case's fields filled in.

    Unknown ``${names}`` stay as they are, for the clerk to see and fill.

    >>> fill_template("reply", case).splitlines()[0]
    'Znak sprawy: OR.0020.1.2026'
    """
    template = letter_templates().get(template_id)
    if template is None:
        raise DocumentError("template", _("Choose a letter template."))
    return Template(template.text or "").safe_substitute(case_fields(case, today))


def draft_letter(case, title, recipient=None, body=None, template=None):
    """Draft an outgoing letter in ``case``; empty parts come from the template and the case.

    >>> draft_letter(case, "Odpowiedź na wniosek", template="reply").recipient
    'Jan Kowalski, ul. Długa 1, 00-001 Przykładowo'
    """
    _check_may_add(case)
    if not body and template:
        body = fill_template(template, case)
    if not recipient:
        recipient = (list(case.parties or ()) or [""])[0]
    title = _check_text("title", title, True, 300)
    recipient = _check_text("recipient", recipient, True)
    body = _check_text("body", body, True, MAX_BODY)
    letter = createContentInContainer(
        case, "OutgoingLetter", checkConstraints=True, title=title, recipient=recipient, body=body
    )
    letter.template = template
    return letter


def _transition(letter, transition, comment=""):
    available = {t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(letter)}
    if transition not in available:
        raise DocumentError(None, _("You may not do this with the letter in its present state."))
    letter._v_ratusz_letter_step = True
    try:
        api.content.transition(obj=letter, transition=transition, comment=comment)
    finally:
        letter._v_ratusz_letter_step = False
    letter.reindexObject()


def submit_letter(letter):
    """The clerk sends the draft to the head for approval."""
    _transition(letter, "submit")


def approve_letter(letter, comment=""):
    """The head approves the letter: it may be signed and sent."""
    _transition(letter, "approve", _check_text("comment", comment, False))


def return_letter(letter, comments):
    """The head returns the letter to the clerk with ``comments`` (required)."""
    _transition(letter, "return", _check_text("comments", comments, True))


def sign_letter(letter, signed_file=None):
    """Mark the approved letter signed (optionally keeping the signed file, e.g. PAdES)."""
    if signed_file is not None:
        letter.signed_file = signed_file
    _transition(letter, "sign")


def dispatch_letter(letter, channel, dispatched_on=None, today=None):
    """Record how and when the signed letter left the office.

    >>> dispatch_letter(letter, "post", date(2026, 11, 24))
    """
    if channel not in dict(LETTER_CHANNELS):
        raise DocumentError("channel", _("Choose how the letter was sent."))
    today = today or date.today()
    dispatched_on = dispatched_on or today
    if dispatched_on > today:
        raise DocumentError("dispatched_on", _("The dispatch date cannot be in the future."))
    _transition(letter, "dispatch", f"{channel}, {dispatched_on.isoformat()}")
    letter.channel = channel
    letter.dispatched_on = dispatched_on
    letter.reindexObject()


def letter_transitioned(letter, event):
    """Every step of a letter goes to its case's record, the letter named as the document."""
    if event.transition is None:
        return
    case = case_of(letter)
    if case is None:
        return
    comment = (event.kwargs or {}).get("comment") or ""
    log(
        case,
        event.transition.title or event.transition.id,
        document=document_reference(letter),
        note=comment,
    )
    letter_step(case, letter, event.transition.id)


# --- catalog: letters are found by the case's department and sign ------------------------


@indexer(IOutgoingLetter)
def letter_case_department(letter):
    case = case_of(letter)
    if case is None:
        raise AttributeError("case_department")
    return case.department


@indexer(IOutgoingLetter)
def letter_case_sign(letter):
    case = case_of(letter)
    if case is None:
        raise AttributeError("case_sign")
    return case.sign


@indexer(IOutgoingLetter)
def letter_case_clerk(letter):
    case = case_of(letter)
    if case is None:
        raise AttributeError("case_clerk")
    return case.clerk


@indexer(IOutgoingLetter)
def letter_summary(letter):
    """A letter in the dashboards: its case's sign and people, its own subject."""
    case = case_of(letter)
    if case is None:
        raise AttributeError("case_summary")
    return {
        "sign": document_reference(letter),
        "subject": letter.title,
        "department": case.department,
        "clerk": case.clerk,
        "parties": [letter.recipient.splitlines()[0]] if letter.recipient else [],
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "case_sign": case.sign,
    }
