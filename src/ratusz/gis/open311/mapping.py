"""What Open311 calls things here: services are report categories, requests are reports.

Statuses (GeoReport v2 knows ``open`` and ``closed``):

=============  ========  =================================================
report state   status    public
=============  ========  =================================================
new            open      no: waits for moderation, never listed
accepted       open      yes
in_progress    open      yes
resolved       closed    yes
duplicate      closed    yes (``status_notes`` names the original)
rejected       closed    no: never listed
=============  ========  =================================================

A request's fields come from catalog metadata (``report_summary``, the point,
dates, state): listing a thousand requests wakes no report. Nothing about the
reporter is ever part of them.
"""

from Acquisition import aq_base
from plone import api
from plone.indexer import indexer
from zope.i18n import translate

from ratusz.gis.reports.categories import LANGUAGES
from ratusz.gis.reports.categories import report_categories
from ratusz.gis.reports.content import PUBLIC_STATES
from ratusz.gis.reports.content import ICitizenReport
from ratusz.gis.reports.content import state_title
from ratusz.gis.reports.tracking import WORKFLOW
from ratusz.i18n import _

STATUS_OF_STATE = {
    "new": "open",
    "accepted": "open",
    "in_progress": "open",
    "resolved": "closed",
    "duplicate": "closed",
    "rejected": "closed",
}
STATUSES = ("open", "closed")


def status_of(state):
    """The Open311 status of a report state.

    >>> status_of("in_progress")
    'open'
    """
    return STATUS_OF_STATE.get(state, "open")


def public_states_with(statuses):
    """The public report states having one of ``statuses``.

    >>> public_states_with(["closed"])
    ['resolved', 'duplicate']
    """
    return [state for state in PUBLIC_STATES if status_of(state) in statuses]


def language_of(request):
    """The language of the answer: ``locale`` (``en``, ``uk_UA``…), else the first language of
    Accept-Language that Ratusz has, else Polish.

    >>> language_of(request_with(locale="en_GB"))
    'en'
    """
    locale = request.form.get("locale")
    candidates = [locale] if isinstance(locale, str) else []
    accept = request.getHeader("Accept-Language") or ""
    candidates += [part.split(";")[0] for part in accept.split(",")]
    for candidate in candidates:
        language = candidate.strip()[:2].lower()
        if language in LANGUAGES:
            return language
    return "pl"


def service_of(category, language):
    """A category as a GeoReport v2 service.

    >>> service_of({"code": "lighting", "pl": "Oświetlenie", "en": "Lighting", "uk": "…"}, "en")
    {'service_code': 'lighting', 'service_name': 'Lighting', …}
    """
    others = [category[other] for other in LANGUAGES if other != language]
    return {
        "service_code": category["code"],
        "service_name": category[language],
        "description": category[language],
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([category["code"], *others])),
        "group": translate(_("Citizen reports"), target_language=language),
    }


def services(language):
    """Every category, in the order of Site Setup, as services."""
    return [service_of(category, language) for category in report_categories()]


def category_named(code):
    """The category whose code is ``code``, or None."""
    for category in report_categories():
        if category["code"] == code:
            return category
    return None


def _iso(date):
    return date.ISO8601() if date is not None and hasattr(date, "ISO8601") else None


def _number(value):
    return float(value) if isinstance(value, (int, float)) else None


def _updated(brain):
    # Missing.Value in a catalog not yet updated by the upgrade: the modification date then.
    updated = getattr(brain, "open311_updated", None)
    return updated if hasattr(updated, "ISO8601") else brain.modified


def request_of(brain, language, agency, titles):
    """A report's catalog entry as a GeoReport v2 service request (metadata only).

    ``titles`` maps category codes to their titles in ``language``.

    >>> request_of(brain, "pl", "Urząd Miasta Przykładowo", {"lighting": "Oświetlenie"})
    {'service_request_id': 'ZG/2026/00001', 'status': 'open', …}
    """
    summary = brain.report_summary or {}
    state = brain.review_state
    code = summary.get("category") or ""
    notes = state_title(state, language)
    if state == "duplicate" and summary.get("duplicate_of"):
        notes = translate(
            _(
                "Duplicate of ${number}.",
                mapping={"number": summary["duplicate_of"]},
            ),
            target_language=language,
        )
    url = brain.getURL()
    return {
        "service_request_id": summary.get("number") or brain.report_number,
        "status": status_of(state),
        "status_notes": notes,
        "service_name": titles.get(code, code),
        "service_code": code,
        "description": brain.Description or None,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _iso(brain.created),
        "updated_datetime": _iso(_updated(brain)),
        "expected_datetime": None,
        "address": summary.get("address") or brain.geo_address or None,
        "address_id": None,
        "zipcode": None,
        "lat": _number(brain.geo_latitude),
        "long": _number(brain.geo_longitude),
        "media_url": f"{url}/@@images/photo" if summary.get("has_photo") else None,
    }


def category_titles(language):
    return {category["code"]: category[language] for category in report_categories()}


def agency():
    """Who is responsible: the office (the site's title)."""
    return api.portal.get().Title() or None


@indexer(ICitizenReport)
def open311_updated(obj):
    """When the report last changed — edited or moved to another state (DCWorkflow does not
    touch the modification date) — as catalog metadata for ``updated_datetime``."""
    moments = [obj.modified()]
    history = getattr(aq_base(obj), "workflow_history", {}).get(WORKFLOW, ())
    if history:
        moments.append(history[-1].get("time"))
    return max(moment for moment in moments if moment is not None)
