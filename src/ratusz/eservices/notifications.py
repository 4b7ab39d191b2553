"""The applicant hears of each public step of a case filed online, in the form's language.

A mail goes out when a case filed online enters a workflow state that has a
template: registry records ``ratusz.eservices.state_mails/<state id>`` with a
subject and a body per language (pl, en, uk), placeholders ``${sign}``,
``${service}``, ``${state}``, ``${deadline}``, ``${status_url}``, ``${office}``.
Editors change them at ``@@eservice-mails`` of the catalogue; an integrator
adds one for a new state in a profile's ``registry.xml``:

    <records interface="ratusz.eservices.notifications.IStateMail"
             prefix="ratusz.eservices.state_mails/inspection">
      <value key="subject_pl">Sprawa ${sign}: oględziny</value>
      …
    </records>

Internal steps that leave the public state as it was (sent for approval and
back) send nothing, whatever templates exist; each mail sent is noted in the
case's audit trail.
"""

from string import Template

from Acquisition import aq_base
from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import getUtility
from zope.i18n import translate
from zope.interface import Interface

from ratusz.cases.case import log
from ratusz.eservices.tracking import public_state
from ratusz.i18n import _
from ratusz.mail import send_queued

PREFIX = "ratusz.eservices.state_mails"
LANGUAGES = ("pl", "en", "uk")
MAX_SUBJECT = 300
MAX_BODY = 10000


class IStateMail(Interface):
    subject_pl = schema.TextLine(
        title=_("Subject (Polish)"), required=False, max_length=MAX_SUBJECT
    )
    body_pl = schema.Text(title=_("Text (Polish)"), required=False, max_length=MAX_BODY)
    subject_en = schema.TextLine(
        title=_("Subject (English)"), required=False, max_length=MAX_SUBJECT
    )
    body_en = schema.Text(title=_("Text (English)"), required=False, max_length=MAX_BODY)
    subject_uk = schema.TextLine(
        title=_("Subject (Ukrainian)"), required=False, max_length=MAX_SUBJECT
    )
    body_uk = schema.Text(title=_("Text (Ukrainian)"), required=False, max_length=MAX_BODY)


def state_mails():
    """``{state id: proxy}`` of the mail templates in the registry.

    >>> sorted(state_mails())
    ['awaiting_party', 'in_progress', 'settled']
    """
    registry = getUtility(IRegistry)
    return dict(registry.collectionOfInterface(IStateMail, prefix=PREFIX).items())


def state_mail(case, state_id):
    """``(recipient, subject, body)`` telling the applicant of ``case`` it is in
    ``state_id``, or None (not filed online, no template, no text in the language).

    >>> state_mail(case, "awaiting_party")[1]
    'Sprawa SO.5113.1.2026: potrzebne uzupełnienie'
    """
    record = getattr(aq_base(case), "eservice", None)
    template = state_mails().get(state_id)
    if not record or not record.get("email") or template is None:
        return None
    language = record.get("language") if record.get("language") in LANGUAGES else "pl"
    subject = getattr(template, f"subject_{language}", None) or template.subject_pl
    body = getattr(template, f"body_{language}", None) or template.body_pl
    if not subject or not body:
        return None
    values = _values(case, state_id, language, record)
    return (
        record["email"],
        " ".join(Template(subject).safe_substitute(values).split()),
        Template(body).safe_substitute(values),
    )


def _values(case, state_id, language, record):
    from ratusz.eservices.submission import office_name
    from ratusz.eservices.submission import status_page_url

    return {
        "sign": case.sign,
        "service": case.title,
        "state": translate(public_state(state_id)[1], target_language=language),
        "deadline": case.deadline.isoformat() if case.deadline else "—",
        "status_url": status_page_url(language),
        "office": office_name(),
    }


def case_state_changed(case, event):
    """Mail the applicant when a case filed online reaches a new public state."""
    if event.transition is None or not getattr(aq_base(case), "eservice", None):
        return
    old, new = event.old_state.getId(), event.new_state.getId()
    if public_state(old)[0] == public_state(new)[0]:
        return
    mail = state_mail(case, new)
    if mail is None:
        return
    send_queued([mail])
    log(case, _("The applicant was notified by e-mail"), note=mail[1])


PLACEHOLDERS = ("sign", "service", "state", "deadline", "status_url", "office")


def check_template(text):
    """``text`` if it uses only the known placeholders, else raise ValueError.

    >>> check_template("Sprawa ${sign}")
    'Sprawa ${sign}'
    """
    try:
        Template(text or "").substitute(dict.fromkeys(PLACEHOLDERS, ""))
    except KeyError as unknown:
        raise ValueError(f"unknown placeholder {unknown}") from None
    return text


def save_state_mail(state_id, values):
    """Store the templates of ``state_id`` (``{"subject_pl": …, "body_pl": …, …}``).

    Raises ValueError naming the field whose placeholders are wrong.
    """
    template = state_mails().get(state_id)
    if template is None:
        raise KeyError(state_id)
    for name in IStateMail.names():
        value = values.get(name)
        check_template(value)
        IStateMail[name].bind(template).validate(value or None)
    for name in IStateMail.names():
        setattr(template, name, values.get(name) or None)  # the proxy writes the registry
