"""Following a report: its number and tracking token show its state to the reporter.

What the holder of the token sees: the number, category, state and the dates
of its steps, the description and place they gave, the link to the original of
a duplicate and to the public page once the report is public. Never staff
notes, never who handled it. A wrong number and a wrong token get the same
answer; wrong guesses are throttled per client (``status_attempts`` an hour,
in memory: a failed guess writes nothing).

Not per report number: a number is public once the report is, so counting
wrong tokens per number would let anyone lock the reporter out of their own
status page. A token has about 59 bits (12 characters of a 31-letter
alphabet), so guessing it even from many addresses at ``status_attempts`` an
hour each is hopeless. Only the client that guessed wrong too often waits
(even with the right token); the reporter elsewhere is never locked out.
"""

from Acquisition import aq_base
from plone import api

from ratusz.eservices.receipt import key_matches
from ratusz.eservices.tracking import Throttle
from ratusz.gis.reports.categories import category_title
from ratusz.gis.reports.content import PUBLIC_STATES
from ratusz.gis.reports.content import report_language
from ratusz.gis.reports.content import state_title
from ratusz.gis.reports.create import normalized_number
from ratusz.gis.reports.settings import reports_setting
from ratusz.i18n import _
from ratusz.validators import InputError

WORKFLOW = "ratusz_report_workflow"
GUESSES = Throttle()


class StatusRefused(InputError):
    """No status for this number and token, or too many wrong tries (``field`` None)."""


def find_report(number):
    """The report numbered ``number`` (as typed), found without the asker's rights, or None."""
    number = normalized_number(number)
    if not number:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="CitizenReport", report_number=_padded(number)
    ):
        return brain._unrestrictedGetObject()
    return None


def _padded(number):
    prefix, year, running = number.split("/")
    return f"{prefix}/{year}/{int(running):05d}"


def verified_report(number, token, client):
    """The report ``number`` if ``token`` is its tracking token; raise StatusRefused.

    >>> verified_report("ZG/2026/00001", "K7QM-3TZP-W9AD", "203.0.113.9").report_number
    'ZG/2026/00001'
    """
    keys = [("client", client or "?")]
    wait = GUESSES.blocked_for(keys, reports_setting("status_attempts"))
    if wait:
        raise StatusRefused(
            None,
            _(
                "Too many wrong attempts. Try again in ${minutes} minutes.",
                mapping={"minutes": max(1, int(wait // 60) + 1)},
            ),
        )
    report = find_report(number)
    base = aq_base(report) if report is not None else None
    if base is None or not key_matches(
        token if isinstance(token, str) else "",
        getattr(base, "token_salt", None),
        getattr(base, "token_hash", None),
    ):
        GUESSES.record(keys)
        raise StatusRefused(
            None,
            _("No report matches this number and tracking token. Check both and try again."),
        )
    return report


def public_history(report, language):
    """The report's steps, oldest first: ``[{"at", "state", "title"}]``."""
    history = getattr(aq_base(report), "workflow_history", {}).get(WORKFLOW, ())
    steps = []
    for entry in history:
        state = entry.get("review_state")
        if steps and steps[-1]["state"] == state:
            continue
        at = entry.get("time")
        steps.append(
            {
                "at": at.asdatetime() if hasattr(at, "asdatetime") else at,
                "state": state,
                "title": state_title(state, language),
            }
        )
    return steps


def original_of(report):
    """``{"number", "url"}`` of the report ``report`` duplicates (url None if not public)."""
    number = getattr(aq_base(report), "duplicate_of", None)
    if not number:
        return None
    original = find_report(number)
    public = original is not None and api.content.get_state(original) in PUBLIC_STATES
    return {"number": number, "url": original.absolute_url() if public else None}


def public_status(report, language=None):
    """What the reporter may know of ``report`` (nothing about them or the staff).

    >>> public_status(report)["state"]
    'new'
    """
    language = language or report_language(report)
    state = api.content.get_state(report)
    created = report.created()
    return {
        "number": report.report_number,
        "category": report.report_category,
        "category_title": category_title(report.report_category, language),
        "state": state,
        "state_title": state_title(state, language),
        "public": state in PUBLIC_STATES,
        "url": report.absolute_url() if state in PUBLIC_STATES else None,
        "created": created.asdatetime() if created is not None else None,
        "description": report.description,
        "address": getattr(report, "address", None),
        "district": report.district,
        "duplicate_of": original_of(report) if state == "duplicate" else None,
        "history": public_history(report, language),
    }


def status_url(report, token):
    """The tracking link of the reporter: the status page of the report's board.

    >>> status_url(report, "K7QM-3TZP-W9AD")
    'http://…/pl/zgloszenia/@@report-status?number=ZG%2F2026%2F00001&token=K7QM-3TZP-W9AD'
    """
    from urllib.parse import urlencode

    from Acquisition import aq_parent

    board = aq_parent(report)
    query = urlencode({"number": report.report_number, "token": token})
    return f"{board.absolute_url()}/@@report-status?{query}"
