"""Cases (sprawy): numbered per unit, JRWA class and year, with KPA deadlines and a record.

A clerk opens a case from an incoming item assigned to him (or directly); the
case gets its sign ``{UNIT}.{JRWA}.{n}.{YYYY}`` (K1, ``ratusz.cases.numbering``)
in the opening transaction, its deadline from its kind's term counted from the
start date (KPA art. 57, ``ratusz.cases.deadlines``) and its kind's workflow,
which it keeps. Every step is appended to the case's audit trail (the source
of the case record, K5), which no one can edit.
"""

from datetime import date
from datetime import datetime

from Acquisition import aq_base
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.content.namechooser import NormalizingNameChooser
from plone.autoform import directives
from plone.dexterity.utils import createContentInContainer
from plone.indexer.decorator import indexer
from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.i18n import translate
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider
from zope.schema import ValidationError
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from ratusz.cases.archive import case_retention
from ratusz.cases.deadlines import deadline as kpa_deadline
from ratusz.cases.jrwa import get_class
from ratusz.cases.kinds import kind_info
from ratusz.cases.notices import case_step
from ratusz.cases.numbering import next_case_sign
from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation import departments
from ratusz.cases.organisation import handled_by
from ratusz.cases.organisation import people_of
from ratusz.cases.organisation import set_managed_local_roles
from ratusz.i18n import _
from ratusz.mail import send_after_commit
from ratusz.site.settings import get_city_settings
from ratusz.site.settings import safe_email
from ratusz.validators import InputError
from ratusz.validators import checked_text
from ratusz.validators import has_no_markup
from ratusz.validators import validate_fields

MAX_PARTIES = 20
MAX_TEXT = 2000


class CaseError(InputError):
    """A case that cannot be opened, delayed or settled as asked."""


@provider(IVocabularyFactory)
def departments_vocabulary(context):
    """The departments, ``OR — Wydział Organizacyjny``."""
    return SimpleVocabulary(
        [SimpleTerm(d.symbol, d.symbol, f"{d.symbol} — {d.title}") for d in departments()]
    )


class NotAFinalClass(ValidationError):
    __doc__ = _("Choose a final JRWA class: cases are opened only in them.")


def is_final_class(symbol):
    """Accept the symbol of a final class of the office's JRWA."""
    entry = get_class(api.portal.get(), symbol or "")
    if entry is None or not entry.is_final:
        raise NotAFinalClass(symbol)
    return True


class ICaseFolder(model.Schema):
    """Where the cases are kept (``/intranet/sprawy``)."""


class ICase(model.Schema):
    """A case (sprawa)."""

    title = schema.TextLine(title=_("Subject"), max_length=500, constraint=has_no_markup)
    department = schema.Choice(title=_("Department"), vocabulary="ratusz.cases.departments")
    jrwa = schema.TextLine(
        title=_("JRWA class"),
        description=_("The symbol of a final class, e.g. 0020."),
        max_length=10,
        constraint=is_final_class,
    )
    kind = schema.Choice(title=_("Kind of case"), vocabulary="ratusz.cases.kinds")
    parties = schema.List(
        title=_("Parties"),
        description=_("One party a line: name and address."),
        value_type=schema.TextLine(max_length=300, constraint=has_no_markup),
        required=False,
        default=[],
        max_length=MAX_PARTIES,
    )
    start_date = schema.Date(
        title=_("Start date"),
        description=_("The day the request reached the office; the deadline counts from it."),
        required=False,
    )
    directives.omitted("sign", "deadline", "clerk", "case_workflow", "settlement", "settled_on")
    sign = schema.TextLine(title=_("Case sign"), required=False, readonly=True)
    deadline = schema.Date(title=_("Deadline"), required=False, readonly=True)
    clerk = schema.TextLine(title=_("Clerk"), required=False, readonly=True)
    case_workflow = schema.TextLine(required=False, readonly=True)
    settlement = schema.Text(title=_("How the case was settled"), required=False, readonly=True)
    settled_on = schema.Date(title=_("Settled on"), required=False, readonly=True)

    @invariant
    def opened_by_a_member(data):
        """Only a member of the department (or a site administrator) opens a case in it."""
        department = department_by_symbol(getattr(data, "department", None) or "")
        if department is not None and not may_open_in(department):
            raise Invalid(_("You may open cases only in a department you belong to."))


# --- opening a case -------------------------------------------------------------------


def check_opening(case_or_fields):
    """Raise CaseError unless department, JRWA class and kind make an openable case."""
    get = (
        case_or_fields.get
        if isinstance(case_or_fields, dict)
        else lambda name: getattr(case_or_fields, name, None)
    )
    department = department_by_symbol(get("department") or "")
    if department is None:
        raise CaseError("department", _("Choose the department."))
    try:
        is_final_class(get("jrwa"))
    except NotAFinalClass as error:
        raise CaseError("jrwa", error.doc())
    if kind_info(get("kind") or "") is None:
        raise CaseError("kind", _("Choose the kind of case."))
    if not may_open_in(department):
        raise CaseError("department", _("You may open cases only in a department you belong to."))
    return department


def may_open_in(department):
    """Whether the current user may open cases in ``department``: its people, and
    site administrators."""
    user = api.user.get_current()
    if user is None:
        return False
    if api.user.has_permission("Manage portal", obj=api.portal.get()):
        return True
    if "Site Administrator" in api.user.get_roles(user=user):
        return True
    return user.getId() in people_of(department)


def open_case(case):
    """Number a new case and set what follows from its kind: deadline, workflow, clerk.

    Called once, when the case is added (by the case folder's name chooser).
    Returns the sign.
    """
    if getattr(case, "sign", None):
        return case.sign
    check_opening(case)
    info = kind_info(case.kind)
    case.start_date = case.start_date or date.today()
    case.case_workflow = info["workflow"]
    case.deadline = kpa_deadline(case.start_date, info["term"]) if info["term"] else None
    case.clerk = getattr(case, "clerk", None) or api.user.get_current().getId()
    case.sign = next_case_sign(api.portal.get(), case.department, case.jrwa, case.start_date.year)
    return case.sign


@adapter(ICaseFolder)
class CaseNameChooser(NormalizingNameChooser):
    """A case is numbered when it is added, and named after its sign (``or-0012-1-2026``)."""

    def chooseName(self, name, obj):
        if ICase.providedBy(obj):
            name = open_case(obj).replace(".", "-")
        return super().chooseName(name, obj)


def create_case(folder, **fields):
    """Open a case in ``folder`` as the current user; return it, numbered.

    >>> create_case(folder, title="Zaświadczenie", department="OR", jrwa="0020",
    ...             kind="certificate").sign
    'OR.0020.1.2026'
    """
    check_opening(fields)
    validate_fields(ICase, fields, folder, CaseError)
    return createContentInContainer(folder, "Case", checkConstraints=True, **fields)


def open_case_from_incoming(folder, item, jrwa, kind, title=None):
    """Open a case for an incoming item assigned to the current user, and link the item.

    The subject, the party and the department come from the item; the start
    date is the day the item was received (the KPA term runs from it).
    """
    parties = [", ".join(part for part in (item.sender, _one_line(item.sender_address)) if part)]
    received = item.received.date() if isinstance(item.received, datetime) else item.received
    case = create_case(
        folder,
        title=title or item.title,
        department=item.assigned_department,
        jrwa=jrwa,
        kind=kind,
        parties=parties,
        start_date=received,
    )
    link_incoming(case, item)
    return case


def _one_line(text):
    return " ".join((text or "").split())


def link_incoming(case, item):
    """Put an incoming item among the case's documents (and note it in the audit trail)."""
    linked = getattr(aq_base(case), "incoming", None)
    if linked is None:
        linked = case.incoming = PersistentList()
    uid = api.content.get_uuid(item)
    if uid not in linked:
        linked.append(uid)
        item.case_sign = case.sign
        item.reindexObject()
        if getattr(aq_base(case), "received_from", None) is None:
            # The register (K2) names who the case came from: the first item's sender.
            case.received_from = {
                "sender": item.sender,
                "letter_sign": item.letter_sign,
                "letter_date": item.letter_date.isoformat() if item.letter_date else None,
                "number": item.number,
            }
            case.reindexObject()
        log(case, _("Incoming item attached"), document=item.number)


# --- workflow --------------------------------------------------------------------------


def apply_local_roles(case):
    """The department reads the case, its heads are Head of Department, the clerk is Clerk."""
    set_managed_local_roles(case, handled_by(case.department, case.clerk))


def case_added(case, event):
    apply_local_roles(case)
    log(case, _("Case opened"), document=case.sign)


def case_transitioned(case, event):
    if event.transition is None:
        return
    title = event.transition.title or event.transition.id
    comment = (event.kwargs or {}).get("comment") or ""
    log(case, title, note=comment)
    case_step(case, event.transition.id)


# --- the audit trail -----------------------------------------------------------------------


def log(case, action, document=None, note=""):
    """Append an entry to the case's audit trail: when, who (name, position), what, which document.

    The trail is append-only: no view or API changes or removes entries.
    """
    user = api.user.get_current()
    user_id = user.getId() if user is not None else None
    name = (user.getProperty("fullname") if user is not None else None) or user_id
    trail = getattr(aq_base(case), "audit_trail", None)
    if trail is None:
        trail = case.audit_trail = PersistentList()
    trail.append(
        PersistentMapping(
            at=datetime.now(),
            user=user_id,
            name=name,
            position=_position(case, user_id),
            action=action,
            document=document,
            note=note,
        )
    )


def _position(case, user_id):
    department = department_by_symbol(getattr(case, "department", None) or "")
    if department is None or not user_id:
        return None
    if user_id == department.head:
        return "head"
    if user_id in (department.secretariat or ()):
        return "secretariat"
    if user_id in people_of(department):
        return "clerk"
    return None


def audit_trail(case):
    """The audit trail, oldest first, as read-only dicts."""
    return [dict(entry) for entry in getattr(aq_base(case), "audit_trail", None) or ()]


# --- delays and settling -------------------------------------------------------------------


def _check_text(field, text, required=False):
    return checked_text(field, text, required, MAX_TEXT, CaseError)


def notify_delay(case, reason, new_deadline, today=None, email=None):
    """Record a delay (KPA art. 36): the reason and the new date; the party is told.

    The new date must be later than the present deadline and not in the past.
    With ``email`` the notice is mailed to the party (after the change is
    committed); for a letter by post, draft one from the ``delay`` template.
    Returns the notice (a dict).
    """
    reason = _check_text("reason", reason, required=True)
    email = (email or "").strip()
    if email and not safe_email(email):
        raise CaseError("email", _("Enter a valid e-mail address."))
    today = today or date.today()
    if new_deadline is None or new_deadline < today:
        raise CaseError("new_deadline", _("Give a new deadline that has not passed."))
    if case.deadline is not None and new_deadline <= case.deadline:
        raise CaseError("new_deadline", _("The new deadline must be later than the present one."))
    if not api.user.has_permission("Modify portal content", obj=case):
        raise CaseError(None, _("You may not do this with the case in its present state."))
    notices = getattr(aq_base(case), "delays", None)
    if notices is None:
        notices = case.delays = PersistentList()
    notice = PersistentMapping(
        at=datetime.now(),
        by=api.user.get_current().getId(),
        reason=reason,
        previous=case.deadline,
        new=new_deadline,
    )
    notices.append(notice)
    case.deadline = new_deadline
    log(case, _("Delay notified (KPA art. 36)"), note=f"{new_deadline.isoformat()}: {reason}")
    if email:
        notice["mailed_to"] = email
        send_after_commit([delay_mail(case, notice, email)])
        log(case, _("Delay notice mailed to the party"), note=email)
    case.reindexObject()
    return dict(notice)


def delay_mail(case, notice, email):
    """``(recipient, subject, body)`` of the delay notice (art. 36), in the site's language."""
    language = api.portal.get_registry_record("plone.default_language", default="pl") or "pl"
    values = {
        "sign": case.sign,
        "subject": case.title,
        "reason": notice["reason"],
        "new": notice["new"].isoformat(),
        "office": get_city_settings().office_name or "",
    }

    def text(message):
        return translate(message, target_language=language)

    subject = text(_("Case ${sign}: notice of delay", mapping=values))
    body = [
        text(_("Case ${sign}: ${subject}", mapping=values)),
        "",
        text(
            _(
                "Under article 36 of the Code of Administrative Procedure we inform you that "
                "the case will not be settled within the deadline.",
                mapping=values,
            )
        ),
        text(_("Reason: ${reason}", mapping=values)),
        text(_("New deadline: ${new}", mapping=values)),
        "",
        text(
            _(
                "If the case is not settled in time, you may file a reminder (ponaglenie, "
                "article 37 of the Code of Administrative Procedure)."
            )
        ),
        "",
        values["office"],
    ]
    return email, subject, "\n".join(body)


def delays(case):
    return [dict(notice) for notice in getattr(aq_base(case), "delays", None) or ()]


def settle(case, settlement, today=None):
    """Settle the case, saying how (decision, letter, …); returns the transition made.

    In the approval workflow the settlement goes to the head (``submit_for_approval``).

    >>> settle(case, "Wydano zaświadczenie")
    'settle'
    """
    settlement = _check_text("settlement", settlement, required=True)
    transitions = {t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(case)}
    # With approval, the clerk's settlement goes to the head first (``approve``).
    transition = next((t for t in ("settle", "submit_for_approval") if t in transitions), None)
    if transition is None:
        raise CaseError(None, _("You may not do this with the case in its present state."))
    case.settlement = settlement
    if transition == "settle":
        case.settled_on = today or date.today()
    api.content.transition(obj=case, transition=transition, comment=settlement)
    case.reindexObject()
    return transition


def approve(case, comment="", today=None):
    """The head approves the settlement the clerk submitted: the case is settled."""
    comment = _check_text("comment", comment, required=False)
    transitions = {t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(case)}
    if "approve" not in transitions:
        raise CaseError(None, _("You may not do this with the case in its present state."))
    case.settled_on = today or date.today()
    api.content.transition(obj=case, transition="approve", comment=comment)
    case.reindexObject()


def run_transition(case, transition, comment=""):
    """Any other step of the case's workflow, with an optional comment (in the audit trail)."""
    comment = _check_text("comment", comment, required=transition in ("return_to_clerk", "reopen"))
    transitions = {t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(case)}
    if transition not in transitions or transition in ("settle", "submit_for_approval", "approve"):
        raise CaseError(None, _("You may not do this with the case in its present state."))
    if transition == "reopen":
        case.settled_on = None
    api.content.transition(obj=case, transition=transition, comment=comment)
    case.reindexObject()


# --- catalog --------------------------------------------------------------------------------


@indexer(ICase)
def case_sign(case):
    return case.sign


@indexer(ICase)
def case_department(case):
    return case.department


@indexer(ICase)
def case_clerk(case):
    return case.clerk


@indexer(ICase)
def case_deadline(case):
    if case.deadline is None:
        raise AttributeError("case_deadline")
    return datetime(case.deadline.year, case.deadline.month, case.deadline.day)


@indexer(ICase)
def case_year(case):
    return sign_parts(case.sign)[3]


@indexer(ICase)
def case_jrwa(case):
    return case.jrwa


@indexer(ICase)
def case_start(case):
    if case.start_date is None:
        raise AttributeError("case_start")
    return datetime(case.start_date.year, case.start_date.month, case.start_date.day)


@indexer(ICase)
def case_parties(case):
    return " ".join(case.parties or ())


@indexer(ICase)
def case_searchable_text(case):
    return " ".join([case.sign or "", case.title or "", *(case.parties or ())])


@indexer(ICase)
def case_disposal_year(case):
    year = case_retention(case)["disposal_year"]
    if year is None:
        raise AttributeError("case_disposal_year")
    return year


def sign_parts(sign):
    """``(unit, jrwa, number, year)`` of a case sign; JRWA symbols have no dots.

    >>> sign_parts("OR.0020.12.2026")
    ('OR', '0020', 12, 2026)
    """
    unit, jrwa, number, year = (sign or "...").split(".")
    return unit, jrwa, int(number or 0), int(year or 0)


def case_summary_of(case):
    """What listings show of a case, kept as catalog metadata."""
    unit, jrwa, number, year = sign_parts(case.sign)
    retention = case_retention(case)
    received_from = getattr(aq_base(case), "received_from", None) or {}
    return {
        "number": number,
        "year": year,
        "category": retention["category"],
        "retention_end": retention["end_year"],
        "disposal_year": retention["disposal_year"],
        "expert_review": retention["expert_review"],
        "sign": case.sign,
        "subject": case.title,
        "sender": received_from.get("sender"),
        "sender_sign": received_from.get("letter_sign"),
        "sender_date": received_from.get("letter_date"),
        "department": case.department,
        "jrwa": case.jrwa,
        "kind": case.kind,
        "parties": list(case.parties or ()),
        "start_date": case.start_date.isoformat() if case.start_date else None,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "clerk": case.clerk,
        "settled_on": case.settled_on.isoformat() if case.settled_on else None,
        "settlement": (case.settlement or "")[:300],
    }


@indexer(ICase)
def case_summary(case):
    return case_summary_of(case)
