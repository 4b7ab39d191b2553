"""The steps of a report (``ratusz_report_workflow``) and what follows each one.

new → accepted → in_progress → resolved (reopen: back to in_progress), or
rejected from new, accepted or in progress, or duplicate from accepted or in
progress (reconsider: back to new). Not duplicate straight from new: a
duplicate is public, and a new report has not been moderated yet — staff
accept it first (or reject it). A duplicate names its original: ``mark_duplicate`` checks it and
records it before the transition, which refuses to run without one (the
state menu and ``@workflow/mark_duplicate`` alike; staff use the report's
"Mark as duplicate" form, or ``POST @report-duplicate`` in REST).

After each step the report is catalogued again (its popup shows the state)
and the reporter, if they gave an e-mail, gets a mail in their language.
"""

from Acquisition import aq_base
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.i18n import translate

from ratusz.gis.reports.create import normalized_number
from ratusz.gis.reports.mails import send_state_mail
from ratusz.i18n import _
from ratusz.validators import InputError

# The steps' names on the report page (DCWorkflow's own titles are English only).
TRANSITION_TITLES = {
    "accept": _("Accept and publish"),
    "start": _("Start the work"),
    "resolve": _("Mark as resolved"),
    "reject": _("Reject"),
    "mark_duplicate": _("Mark as duplicate"),
    "reopen": _("Reopen"),
    "reconsider": _("Back to moderation"),
}


class DuplicateRefused(InputError):
    """The original named for a duplicate cannot be one (``field`` is ``original``)."""

    def __init__(self, message):
        super().__init__("original", message)


def number_in(text):
    """A report number from what staff typed: the number, or the report's link.

    >>> number_in("http://…/pl/zgloszenia/zg-2026-00042")
    'ZG/2026/00042'
    """
    text = (text if isinstance(text, str) else "").strip()
    last = text.rstrip("/").rsplit("/", 1)[-1] if "://" in text or text.startswith("/") else ""
    if last.startswith("zg-"):
        text = last.replace("-", "/")
    return normalized_number(text)


def original_for(report, text):
    """The report that ``report`` duplicates, named by ``text`` (number or link); the original
    of an original that is itself a duplicate. Raises DuplicateRefused."""
    from ratusz.gis.reports.tracking import find_report

    number = number_in(text)
    original = find_report(number) if number else None
    if original is None:
        raise DuplicateRefused(_("No report has this number. Give the number of the original."))
    seen = {report.report_number}
    while api.content.get_state(original) == "duplicate" and original.report_number not in seen:
        seen.add(original.report_number)
        further = find_report(getattr(aq_base(original), "duplicate_of", None) or "")
        if further is None:
            break
        original = further
    if original.report_number in seen:
        raise DuplicateRefused(_("A report cannot be a duplicate of itself."))
    return original


def why_not_duplicate(report):
    """Why ``report`` cannot be marked a duplicate now (a message), or None when it can.

    >>> why_not_duplicate(new_report)
    'A new report has not been moderated: accept it (or reject it) first…'
    """
    workflow = api.portal.get_tool("portal_workflow")
    if "mark_duplicate" in {t["id"] for t in workflow.getTransitionsFor(report)}:
        return None
    if api.content.get_state(report) == "new":
        return _(
            "A new report has not been moderated: accept it (or reject it) first. A "
            "duplicate is public, so it is marked only after its text and photo were checked."
        )
    return _("This step is not possible in the report's present state.")


def mark_duplicate(report, text, comment=""):
    """Mark ``report`` as a duplicate of the report named by ``text``; return the original.

    >>> mark_duplicate(report, "ZG/2026/00001").report_number
    'ZG/2026/00001'
    """
    original = original_for(report, text)
    report.duplicate_of = original.report_number
    api.content.transition(obj=report, transition="mark_duplicate", comment=comment)
    return original


def before_transition(report, event):
    """A duplicate without its original is refused (the state menu, REST, scripts alike)."""
    if event.transition is None or event.transition.getId() != "mark_duplicate":
        return
    if not getattr(aq_base(report), "duplicate_of", None):
        raise WorkflowException(
            translate(
                _("Name the original report: use “Mark as duplicate” on the report's page."),
                context=getattr(report, "REQUEST", None),
            )
        )


def after_transition(report, event):
    """Catalogue the new state; mail the reporter; forget the original when leaving duplicate."""
    if event.transition is None:
        return
    new = event.new_state.getId()
    if new != "duplicate" and getattr(aq_base(report), "duplicate_of", None):
        report.duplicate_of = None
    report.reindexObject()
    if new != "new":
        send_state_mail(report, new)


def report_modified(report, event):
    """The district follows the point: when staff place or move a report, it is found again.

    The report remembers the point its district was found for (``district_source``: the
    point and what the layer answered), so a change of anything else keeps the district,
    and a district staff typed themselves is kept when the layer has none for the new
    point; a district the layer gave for the old point is not.

    >>> report.geolocation = Geolocation(51.75, 18.35); report_modified(report, None)
    >>> report.district
    'Majków'
    """
    from ratusz.gis.location import point_of
    from ratusz.gis.reports.create import district_of

    point = point_of(getattr(report, "geolocation", None))
    source = getattr(aq_base(report), "district_source", None)
    old_point, found_before = source if source else (_UNKNOWN, None)
    if point == old_point:
        return
    found = district_of(point)
    district = getattr(report, "district", None)
    if found:
        district = found
    elif district and district == found_before:
        district = None  # the layer's answer for a point the report has left
    report.district_source = (point, found)
    if district != getattr(report, "district", None):
        report.district = district
        report.reindexObject(idxs=["report_district", "report_summary"])


_UNKNOWN = object()  # a report made before the district remembered its point
