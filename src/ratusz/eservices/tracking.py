"""Tracking a case filed online: the case sign and the tracking key show its public state.

What a resident sees is public by construction: the state (in words meant for
the public, not the office's internal states), the history of public steps,
the deadline and the delay notices. Never the parties, the clerk, documents or
notes. The key is checked against its stored hash; a wrong sign and a wrong
key get the same answer, so a guess learns nothing about which part was wrong.

Guessing is throttled twice: per client address and per case sign, each at
``tracking_attempts`` wrong tries per hour (Site Setup → E-services). The
counters live in the memory of each Zope process, on purpose: a failed guess
must not write to the database (a read-only request, no conflicts). Behind a
proxy with N instances a client gets at most N times the limit, which still
makes guessing a 60-bit key hopeless; docs/eservices.md says so.
"""

import threading
import time

from Acquisition import aq_base
from plone import api

from ratusz.cases.case import delays
from ratusz.eservices.receipt import key_matches
from ratusz.eservices.settings import eservices_setting
from ratusz.i18n import _
from ratusz.validators import InputError

WINDOW = 3600  # seconds
MAX_SIGN = 60

# Internal states mapped to what the public reads. A state an integrator adds
# reads "In progress" until it is listed here (docs/eservices.md).
RECEIVED = _("public_state_received", default="Received")
IN_PROGRESS = _("public_state_in_progress", default="In progress")
AWAITING = _("public_state_awaiting_party", default="Awaiting your supplement")
SETTLED = _("public_state_settled", default="Settled")
PUBLIC_STATES = {
    "registered": ("received", RECEIVED),
    "in_progress": ("in_progress", IN_PROGRESS),
    "for_approval": ("in_progress", IN_PROGRESS),
    "awaiting_party": ("awaiting_party", AWAITING),
    "settled": ("settled", SETTLED),
    "archived": ("settled", SETTLED),
}
DEFAULT_PUBLIC_STATE = ("in_progress", IN_PROGRESS)


class TrackingRefused(InputError):
    """No status for this sign and key (``field`` None), or too many wrong tries."""


class Throttle:
    """Tries per key (a client address, a case sign) within a sliding hour, in memory."""

    def __init__(self):
        self._tries = {}
        self._lock = threading.Lock()

    def _recent(self, key, now):
        tries = [at for at in self._tries.get(key, ()) if now - at < WINDOW]
        if tries:
            self._tries[key] = tries
        else:
            self._tries.pop(key, None)
        return tries

    def blocked_for(self, keys, limit, now=None):
        """Seconds until one more try is allowed for all ``keys`` (0: allowed now)."""
        now = now or time.monotonic()
        with self._lock:
            waits = []
            for key in keys:
                tries = self._recent(key, now)
                if len(tries) >= limit:
                    waits.append(WINDOW - (now - tries[-limit]))
            return max(waits, default=0)

    def record(self, keys, now=None):
        """Count one more try for each of ``keys``."""
        now = now or time.monotonic()
        with self._lock:
            for key in keys:
                self._tries.setdefault(key, []).append(now)

    def clear(self):
        with self._lock:
            self._tries.clear()


THROTTLE = Throttle()


def normalized_sign(sign):
    """The sign as typed, trimmed and upper-cased (``so.5340.1.2026`` → ``SO.5340.1.2026``)."""
    return " ".join((sign or "").split()).upper()[:MAX_SIGN]


def find_eservice_case(sign):
    """The case filed online with this sign, found without the asker's rights, or None."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Case", case_sign=sign):
        case = brain._unrestrictedGetObject()
        if getattr(aq_base(case), "eservice", None):
            return case
    return None


def verified_case(sign, key, client):
    """The case filed online with ``sign`` if ``key`` is its tracking key, asked from
    ``client``; raise TrackingRefused with one message for any wrong sign or key, and
    another once the tries are used up.

    >>> verified_case("SO.5340.1.2026", "K7QM-3TZP-W9AD", "203.0.113.9").sign
    'SO.5340.1.2026'
    """
    sign = normalized_sign(sign)
    keys = [("client", client or "?"), ("sign", sign)]
    limit = eservices_setting("tracking_attempts")
    wait = THROTTLE.blocked_for(keys, limit)
    if wait:
        minutes = max(1, int(wait // 60) + 1)
        raise TrackingRefused(
            None,
            _(
                "Too many wrong attempts. Try again in ${minutes} minutes.",
                mapping={"minutes": minutes},
            ),
        )
    case = find_eservice_case(sign) if sign else None
    record = getattr(aq_base(case), "eservice", None) if case is not None else None
    if record is None or not key_matches(key, record.get("key_salt"), record.get("key_hash")):
        THROTTLE.record(keys)
        raise TrackingRefused(
            None, _("No case matches this sign and tracking key. Check both and try again.")
        )
    return case


def case_status(sign, key, client):
    """The public status of the case ``sign`` for the holder of ``key`` (see verified_case).

    >>> case_status("SO.5340.1.2026", "K7QM-3TZP-W9AD", "203.0.113.9")["state"]
    'received'
    """
    return public_status(verified_case(sign, key, client))


def public_state(state_id):
    """``(public id, title)`` of an internal workflow state.

    >>> public_state("for_approval")
    ('in_progress', 'In progress')
    """
    return PUBLIC_STATES.get(state_id, DEFAULT_PUBLIC_STATE)


def public_history(case):
    """The public steps of the case, oldest first: ``[{"at", "state", "title"}]``.

    Internal steps that do not change what the public reads are left out.
    """
    history = getattr(aq_base(case), "workflow_history", {}).get(case.case_workflow, ())
    steps = []
    for entry in history:
        state, title = public_state(entry.get("review_state"))
        if steps and steps[-1]["state"] == state:
            continue
        at = entry.get("time")
        steps.append(
            {
                "at": at.asdatetime() if hasattr(at, "asdatetime") else at,
                "state": state,
                "title": title,
            }
        )
    return steps


def public_status(case):
    """What the resident may know of ``case`` (no personal data).

    >>> sorted(public_status(case))
    ['deadline', 'delays', 'history', 'received', 'service', 'settled_on', 'sign', 'state', 'title']
    """
    state, title = public_state(api.content.get_state(case))
    return {
        "sign": case.sign,
        "service": case.title,
        "state": state,
        "title": title,
        "received": case.start_date,
        "deadline": case.deadline,
        "settled_on": case.settled_on if state == "settled" else None,
        "history": public_history(case),
        "delays": [
            {"at": notice["at"], "reason": notice["reason"], "new_deadline": notice["new"]}
            for notice in delays(case)
        ],
    }
