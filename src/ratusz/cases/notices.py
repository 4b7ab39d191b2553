"""Notices to staff: in the site (``@@notices``, a count in the intranet) and by e-mail.

Sent when work reaches someone: an item assigned to a department (its head
and deputies) or to a clerk, a copy for information, an item sent back, a case
or letter sent for approval (the heads), a case or letter returned or a letter
approved (the clerk), and a deadline that is near (the daily job
``ratusz.cases.remind_deadlines``). Nobody is told of their own step.

A notice is written in the site's language when it is sent (a mail is sent in
one language too) and kept per user, newest first, at most ``KEEP`` of them:
each user's list is its own persistent object, so notices to different people
never conflict. The mail leaves after the change is committed.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta

from BTrees.OOBTree import OOBTree
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.interface import implementer

from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation import heads_today
from ratusz.cases.settings import cases_setting
from ratusz.i18n import _
from ratusz.jobs import IDailyJob
from ratusz.jobs import acting_as_job_user
from ratusz.jobs import count_line
from ratusz.mail import send_after_commit
from ratusz.site.settings import get_city_settings

KEY = "ratusz.cases.notices"
KEEP = 200
SECRETARIAT_GROUP = "ratusz-secretariat"


class NoticeList(PersistentList):
    """A user's notices, newest first; notices given at the same moment both stay.

    Every e-service submission tells the department's head: without this, two
    submissions committed together both rewrote the head's list, ZODB refused
    the second and Zope published its whole request again. Two transactions
    that each put notices in front of the same list are merged here: the other
    one's new notices, then this one's, then the list as it was, at most KEEP.
    Anything else (notices removed) is still a conflict.
    """

    def _p_resolveConflict(self, old_state, committed_state, new_state):
        old = list(old_state.get("data", ()))
        committed = list(committed_state.get("data", ()))
        new = list(new_state.get("data", ()))
        committed_added = _added_in_front(old, committed)
        new_added = _added_in_front(old, new)
        if committed_added is None or new_added is None:
            raise ConflictError("the notices were changed otherwise than by new ones")
        merged = dict(new_state)
        merged["data"] = (new_added + committed_added + old)[:KEEP]
        return merged


def _added_in_front(old, current):
    """The entries ``current`` put in front of ``old`` (then trimmed to KEEP), or None.

    In conflict resolution the notices are references, compared by their oids
    (a reference refuses to be compared with another one).
    """
    old_keys = [_key(entry) for entry in old]
    current_keys = [_key(entry) for entry in current]
    for count in range(len(current) + 1):
        rest = current_keys[count:]
        kept_all = len(rest) == len(old_keys) or len(current_keys) == KEEP
        if kept_all and rest == old_keys[: len(rest)]:
            return current[:count]
    return None


def _key(entry):
    return getattr(entry, "oid", None) or id(entry)


def _storage(create=False):
    annotations = IAnnotations(api.portal.get())
    storage = annotations.get(KEY)
    if storage is None and create:
        storage = annotations[KEY] = OOBTree()
    return storage


def _language():
    return api.portal.get_registry_record("plone.default_language", default="pl") or "pl"


def _text(message):
    return translate(message, target_language=_language())


def notify(user_ids, message, url, mail=True):
    """Give ``user_ids`` (except the current user) a notice ``message`` about ``url``.

    Returns the users told.

    >>> notify(["urzednik"], _("Item ${number} is assigned to you.", mapping={...}), item_url)
    ['urzednik']
    """
    current = api.user.get_current()
    current_id = current.getId() if current is not None else None
    text = _text(message)
    told = []
    mails = []
    storage = None
    for user_id in dict.fromkeys(user_ids or ()):
        if not user_id or user_id == current_id:
            continue
        user = api.user.get(userid=user_id)
        if user is None:
            continue
        if storage is None:
            storage = _storage(create=True)
        notices = storage.get(user_id)
        if type(notices) is not NoticeList:
            # Lists kept before NoticeList become one at their next notice.
            notices = storage[user_id] = NoticeList(notices or ())
        notices.insert(0, PersistentMapping(at=datetime.now(), text=text, url=url, read=False))
        del notices[KEEP:]
        told.append(user_id)
        email = user.getProperty("email")
        if mail and email:
            mails.append((email, text, _mail_body(text, url)))
    send_after_commit(mails)
    return told


def _mail_body(text, url):
    office = get_city_settings().office_name or ""
    return "\n".join(
        [
            text,
            "",
            url,
            "",
            "-- ",
            _text(
                _("Notice from the document circulation of ${office}.", mapping={"office": office})
            ),
        ]
    )


def notices_for(user_id):
    """The notices of ``user_id``, newest first, as dicts (``at``, ``text``, ``url``, ``read``).

    >>> notices_for("urzednik")[0]["text"]
    'Przesyłka RPW/1/2026 została Ci przydzielona.'
    """
    storage = _storage()
    if storage is None:
        return []
    return [dict(notice) for notice in storage.get(user_id) or ()]


def unread_count(user_id):
    """How many notices ``user_id`` has not seen yet."""
    return sum(1 for notice in notices_for(user_id) if not notice["read"])


def mark_read(user_id):
    """Mark every notice of ``user_id`` seen; returns how many were unread."""
    storage = _storage()
    count = 0
    for notice in (storage.get(user_id) if storage is not None else None) or ():
        if not notice["read"]:
            notice["read"] = True
            count += 1
    return count


# --- who is told -----------------------------------------------------------------------------


def heads_of(symbol):
    """The head and the deputies in force of the department ``symbol``."""
    department = department_by_symbol(symbol or "")
    return heads_today(department) if department is not None else []


def secretariat():
    """The members of the office's secretariat group."""
    group = api.group.get(groupname=SECRETARIAT_GROUP)
    return [user.getId() for user in api.user.get_users(group=group)] if group else []


def item_assigned(item, entry):
    """Tell who now handles an incoming item (after ``ratusz.cases.assignment``)."""
    values = {"number": item.number, "subject": item.title}
    url = item.absolute_url()
    if entry["kind"] == "department":
        notify(
            heads_of(entry["department"]),
            _("Item ${number} (${subject}) is assigned to your department.", mapping=values),
            url,
        )
    elif entry["kind"] == "clerk":
        notify(
            [entry["clerk"]],
            _("Item ${number} (${subject}) is assigned to you.", mapping=values),
            url,
        )
    elif entry["kind"] == "refused":
        told = heads_of(entry["department"]) if entry.get("clerk") else secretariat()
        notify(
            told,
            _(
                "Item ${number} (${subject}) was sent back: ${reason}",
                mapping={**values, "reason": entry["reason"]},
            ),
            url,
        )
    if entry.get("copies"):
        notify(
            entry["copies"],
            _("A copy of item ${number} (${subject}) for your information.", mapping=values),
            url,
        )


def case_step(case, transition_id):
    """Tell the heads of a case sent for approval, the clerk of a case returned."""
    values = {"sign": case.sign, "subject": case.title}
    url = case.absolute_url()
    if transition_id == "submit_for_approval":
        notify(
            heads_of(case.department),
            _("Case ${sign} (${subject}) awaits your approval.", mapping=values),
            url,
        )
    elif transition_id == "return_to_clerk":
        notify(
            [case.clerk], _("Case ${sign} (${subject}) was returned to you.", mapping=values), url
        )
    elif transition_id == "approve":
        notify(
            [case.clerk],
            _("The settlement of case ${sign} (${subject}) is approved.", mapping=values),
            url,
        )


def letter_step(case, letter, transition_id):
    """Tell the heads of a letter sent for approval, the clerk of one returned or approved."""
    values = {"sign": case.sign, "subject": letter.title}
    url = letter.absolute_url()
    if transition_id == "submit":
        notify(
            heads_of(case.department),
            _("A letter in case ${sign} (${subject}) awaits your approval.", mapping=values),
            url,
        )
    elif transition_id == "return":
        notify(
            [case.clerk],
            _("A letter in case ${sign} (${subject}) was returned with comments.", mapping=values),
            url,
        )
    elif transition_id == "approve":
        notify(
            [case.clerk],
            _("A letter in case ${sign} (${subject}) is approved.", mapping=values),
            url,
        )


# --- the clock: deadlines near ------------------------------------------------------------------


def remind_deadlines(portal, today=None, days=None):
    """Tell each clerk of an open case whose deadline is within ``days`` (once per deadline).

    The catalog picks the cases (``case_deadline``, ``case_phase``); only those are
    woken. Returns the signs reminded.

    >>> remind_deadlines(portal, today=date(2026, 11, 27))
    ['OR.0020.1.2026']
    """
    today = today or date.today()
    days = cases_setting("reminder_days", 3) if days is None else days
    catalog = api.portal.get_tool("portal_catalog")
    until = today + timedelta(days=days)
    brains = catalog.unrestrictedSearchResults(
        portal_type="Case",
        case_phase=["open", "waiting", "approval"],
        case_deadline={
            "query": (
                datetime(today.year, today.month, today.day),
                datetime(until.year, until.month, until.day),
            ),
            "range": "min:max",
        },
    )
    reminded = []
    with acting_as_job_user(portal):
        for brain in brains:
            case = brain._unrestrictedGetObject()
            if getattr(case, "reminded_for", None) == case.deadline:
                continue
            case.reminded_for = case.deadline
            notify(
                [case.clerk],
                _(
                    "Case ${sign} (${subject}): the deadline is ${deadline}.",
                    mapping={
                        "sign": case.sign,
                        "subject": case.title,
                        "deadline": case.deadline.isoformat(),
                    },
                ),
                case.absolute_url(),
            )
            reminded.append(case.sign)
    return reminded


@implementer(IDailyJob)
class RemindDeadlinesJob:
    """``ratusz.cases.remind_deadlines``: clerks hear of deadlines that are near."""

    title = "Remind clerks of case deadlines that are near"

    def __call__(self, portal, today):
        signs = remind_deadlines(portal, today)
        return [count_line("Deadline reminders", signs)]
