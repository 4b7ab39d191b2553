"""Dashboards of document circulation and the case search: catalog queries only.

Each dashboard is a list of catalog queries for the current user; its rows come
from catalog metadata (``case_summary`` of cases and letters, ``incoming_summary``
of items), so a dashboard of 100,000 cases wakes none of them. The catalog
filters by permission as for any search: a dashboard never shows what its user
may not open.

- ``assigned_to_me``: my open cases, and items assigned to me that have no case yet;
- ``my_department``: the open cases of the departments I belong to;
- ``for_approval``: cases and letters awaiting the approval of a head (of
  departments I head today, or all for an administrator);
- ``deadlines``: open cases overdue or due within ``reminder_days`` (mine, and
  my departments' if I head them; all for an administrator);
- ``copies``: items sent to me for information.
"""

import re
from datetime import date
from datetime import datetime
from datetime import timedelta

from plone import api

from ratusz.cases.organisation import departments
from ratusz.cases.organisation import departments_of
from ratusz.cases.organisation import heads_today
from ratusz.cases.settings import cases_setting
from ratusz.i18n import _

OPEN_PHASES = ["open", "waiting", "approval"]
DASHBOARDS = {
    "assigned_to_me": _("Assigned to me"),
    "my_department": _("My department"),
    "for_approval": _("For approval"),
    "deadlines": _("Overdue and due soon"),
    "copies": _("Copies for information"),
}
SEARCH_FIELDS = (
    "text",
    "phase",
    "department",
    "jrwa",
    "start_from",
    "start_to",
    "overdue",
    "party",
)
MAX_QUERY_TEXT = 200
NOTHING = "ratusznothingmatchesthis"
SIGN = re.compile(r"^[A-Z][A-Z0-9]{0,9}\.[0-9A-Za-z/-]+\.\d+\.\d{4}$")


def _midnight(day):
    return datetime(day.year, day.month, day.day)


def _is_administrator(user):
    """Managers and site administrators see every department's dashboards."""
    roles = api.user.get_roles(user=user, obj=api.portal.get())
    return "Manager" in roles or "Site Administrator" in roles


def headed_by(user_id, today=None):
    """The symbols of the departments ``user_id`` heads ``today`` (as head or deputy)."""
    return [d.symbol for d in departments() if user_id in heads_today(d, today)]


def dashboard_queries(name, user=None, today=None):
    """The catalog queries of dashboard ``name`` for ``user`` (default: the current user).

    >>> dashboard_queries("assigned_to_me")[0]["case_clerk"]
    'urzednik'
    """
    user = user or api.user.get_current()
    user_id = user.getId()
    today = today or date.today()
    admin = _is_administrator(user)
    cases = {"portal_type": "Case", "case_phase": OPEN_PHASES}
    if name == "assigned_to_me":
        return [
            {**cases, "case_clerk": user_id},
            {"portal_type": "IncomingItem", "assigned_clerk": user_id, "incoming_pending": True},
        ]
    if name == "my_department":
        if admin:
            return [cases]
        mine = [d.symbol for d in departments_of(user_id)]
        return [{**cases, "case_department": mine}] if mine else []
    if name == "for_approval":
        letters = {"portal_type": "OutgoingLetter", "review_state": "for_approval"}
        waiting = {"portal_type": "Case", "case_phase": "approval"}
        if admin:
            return [waiting, letters]
        headed = headed_by(user_id, today)
        if not headed:
            return []
        return [{**waiting, "case_department": headed}, {**letters, "case_department": headed}]
    if name == "deadlines":
        until = today + timedelta(days=cases_setting("reminder_days", 3))
        due = {**cases, "case_deadline": {"query": _midnight(until), "range": "max"}}
        if admin:
            return [due]
        queries = [{**due, "case_clerk": user_id}]
        headed = headed_by(user_id, today)
        if headed:
            queries.append({**due, "case_department": headed})
        return queries
    if name == "copies":
        return [{"portal_type": "IncomingItem", "incoming_copies": user_id}]
    raise KeyError(name)


def _brains(queries, sort_on):
    """``(count, brains)`` of the union of ``queries``, sorted; one query stays lazy."""
    catalog = api.portal.get_tool("portal_catalog")
    if not queries:
        return 0, []
    if len(queries) == 1:
        results = catalog(**queries[0], **({"sort_on": sort_on} if sort_on else {}))
        return len(results), results
    found = {}
    for query in queries:
        for brain in catalog(**query):
            found.setdefault(brain.getRID(), brain)
    brains = sorted(found.values(), key=lambda brain: _sort_key(brain, sort_on))
    return len(brains), brains


def _sort_key(brain, sort_on):
    data = brain.case_summary or brain.incoming_summary or {}
    if sort_on == "case_deadline":
        return data.get("deadline") or "9999"
    return data.get("sign") or data.get("number") or ""


def row(brain, today=None):
    """What a dashboard or search shows of a case, letter or item (from metadata only)."""
    today = today or date.today()
    if brain.portal_type == "IncomingItem":
        data = brain.incoming_summary or {}
        return {
            "type": "item",
            "url": brain.getURL(),
            "reference": data.get("number"),
            "subject": data.get("subject"),
            "department": data.get("department"),
            "clerk": data.get("clerk"),
            "deadline": data.get("deadline"),
            "party": data.get("sender"),
            "state": brain.review_state,
            "overdue": bool(data.get("deadline") and data["deadline"] < today.isoformat()),
        }
    data = brain.case_summary or {}
    kind = "letter" if brain.portal_type == "OutgoingLetter" else "case"
    deadline = data.get("deadline")
    return {
        "type": kind,
        "url": brain.getURL(),
        "reference": data.get("sign"),
        "subject": data.get("subject"),
        "department": data.get("department"),
        "clerk": data.get("clerk"),
        "deadline": deadline,
        "party": ", ".join(data.get("parties") or ()),
        "state": brain.case_phase if kind == "case" else brain.review_state,
        "overdue": bool(
            kind == "case"
            and deadline
            and deadline < today.isoformat()
            and brain.case_phase in OPEN_PHASES
        ),
    }


def dashboard(name, user=None, today=None, start=0, size=50):
    """``{"count": n, "items": [rows]}`` of dashboard ``name``, ``size`` rows from ``start``.

    >>> dashboard("deadlines")["count"]
    2
    """
    today = today or date.today()
    sort_on = "case_deadline" if name in ("deadlines", "my_department") else "created"
    count, brains = _brains(dashboard_queries(name, user, today), sort_on)
    return {"count": count, "items": [row(brain, today) for brain in brains[start : start + size]]}


def dashboard_counts(user=None, today=None):
    """``{name: count}`` of every dashboard (the numbers beside the tabs)."""
    counts = {}
    for name in DASHBOARDS:
        counts[name] = _brains(dashboard_queries(name, user, today), None)[0]
    return counts


# --- search -----------------------------------------------------------------------------------


def _words(text):
    """Catalog text query of plain words (no operators, no globs from users).

    >>> _words('Kowalski OR "Nowak*"')
    'kowalski AND nowak*'
    """
    words = [
        word
        for word in "".join(c if c.isalnum() else " " for c in text.lower()).split()
        if word.upper() not in ("AND", "OR", "NOT")
    ]
    return " AND ".join(f"{word}*" if i == len(words) - 1 else word for i, word in enumerate(words))


def search_query(filters, today=None):
    """The catalog query of the case search for ``filters`` (strings, as a form sends them).

    Unknown values give an empty result rather than an error; a badly written
    date raises ValueError for the form to name.

    >>> search_query({"department": "OR", "overdue": "1"}, date(2026, 11, 23))["case_phase"]
    ['open', 'waiting', 'approval']
    """
    today = today or date.today()
    query = {"portal_type": "Case", "sort_on": "created", "sort_order": "descending"}
    text = (filters.get("text") or "").strip()[:MAX_QUERY_TEXT]
    if SIGN.match(text):
        query["case_sign"] = text
    elif text:
        # Only punctuation or operators: nothing is what was asked for.
        query["SearchableText"] = _words(text) or NOTHING
    party = (filters.get("party") or "").strip()[:MAX_QUERY_TEXT]
    if party:
        query["case_parties"] = _words(party) or NOTHING
    if filters.get("phase"):
        query["case_phase"] = filters["phase"]
    if filters.get("department"):
        query["case_department"] = filters["department"]
    if filters.get("jrwa"):
        query["case_jrwa"] = filters["jrwa"].strip()
    start_from = filters.get("start_from") or ""
    start_to = filters.get("start_to") or ""
    if start_from or start_to:
        low = _midnight(date.fromisoformat(start_from)) if start_from else datetime(1900, 1, 1)
        high = _midnight(date.fromisoformat(start_to)) if start_to else datetime(9999, 1, 1)
        query["case_start"] = {"query": (low, high), "range": "min:max"}
    if filters.get("overdue"):
        query["case_phase"] = OPEN_PHASES
        query["case_deadline"] = {"query": _midnight(today - timedelta(days=1)), "range": "max"}
    return query


def search_cases(filters, today=None, start=0, size=50):
    """``{"count", "items"}`` of the cases matching ``filters`` that the user may see."""
    today = today or date.today()
    results = api.portal.get_tool("portal_catalog")(**search_query(filters, today))
    return {
        "count": len(results),
        "items": [row(brain, today) for brain in results[start : start + size]],
    }
