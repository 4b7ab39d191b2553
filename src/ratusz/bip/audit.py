"""The BIP audit log (requirements B5): content changes and refused attempts.

Every entry is written twice: as a line of the ``ratusz.bip.audit`` logger
(the instance's event log, kept with the server logs) and into an
append-only store in the portal's annotations, which BIP administrators read
in ``@@bip-audit-log`` (see docs/bip-audit.md).

The store is an ``OOBTree`` keyed by the time of the entry in nanoseconds, so
its keys are in time order and a date range is a key range. Each value is a
small tuple of strings: ``(time, user id, action, object path, UID, note or
reason, outcome)``; the outcome is ``"change"`` or ``"refused"``.

A refused attempt usually ends its request with an error (Unauthorized,
Forbidden), and the publisher then aborts the request's transaction and with
it any entry written there. :func:`record_failed_request` therefore writes
the refused entries of a failing request again, in a transaction of their
own, after the abort.
"""

import logging
import time
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import NamedTuple
from urllib.parse import urlsplit

import transaction
from AccessControl import getSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from Acquisition import aq_chain
from Acquisition import aq_inner
from BTrees.OOBTree import OOBTree
from plone.uuid.interfaces import IUUID
from Products.CMFCore.interfaces import ISiteRoot
from zExceptions import Forbidden
from zExceptions import Unauthorized
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import getSite
from zope.globalrequest import getRequest

from ratusz.bip.interfaces import IBipSection
from ratusz.bip.metadata import IBipMetadata

logger = logging.getLogger("ratusz.bip.audit")

ANNOTATION_KEY = "ratusz.bip.audit"
PENDING_KEY = "ratusz.bip.audit.pending"
CHANGE = "change"
REFUSED = "refused"
OUTCOMES = (CHANGE, REFUSED)
ANONYMOUS = "Anonymous User"
# A note is what a user typed (a change note, a comment): keep entries small.
MAX_NOTE = 1000
COMMIT_ATTEMPTS = 3


class AuditEntry(NamedTuple):
    """One entry of the audit log, as read back from the store."""

    key: int
    time: str
    user: str
    action: str
    path: str
    uid: str
    note: str
    outcome: str

    @property
    def when(self):
        """The entry's time as an aware ``datetime`` (UTC)."""
        return datetime.fromisoformat(self.time)


def log_change(obj, action, note=""):
    """Record that ``action`` (a transition id, "edit", …) happened to ``obj``.

    >>> log_change(resolution, "publish", "after the session")
    >>> latest_entries()[0].action
    'publish'
    """
    entry = _entry(obj, action, note, CHANGE)
    logger.info("change %s %s by %s %s", action, entry[3], entry[1], entry[5])
    _append(_portal_of(obj), entry)


def log_refused(obj, action, reason=""):
    """Record a refused attempt: a publication without metadata, a forbidden edit, …

    The entry survives an abort of the current request's transaction: it is
    kept on the request and written again if the request fails.

    >>> log_refused(resolution, "publish", "metadata missing")
    >>> latest_entries(outcome="refused")[0].note
    'metadata missing'
    """
    entry = _entry(obj, action, reason, REFUSED)
    logger.warning("refused %s %s by %s: %s", action, entry[3], entry[1], entry[5])
    _append(_portal_of(obj), entry)
    _keep_until_the_request_ends(entry)


def latest_entries(portal=None, outcome=None, start=None, end=None):
    """The entries of the audit log, newest first, as a lazy sequence.

    ``outcome`` ("change" / "refused") and the dates ``start`` and ``end``
    (both included, in the server's time zone) narrow it.

    >>> [entry.action for entry in latest_entries(outcome="refused")][:2]
    ['edit', 'publish']
    """
    store = audit_store(portal)
    if store is None:
        return NewestFirst(OOBTree().items())
    items = _key_range(store, _day_start_key(start), _day_start_key(end, next_day=True))
    if outcome in OUTCOMES:
        return [_as_entry(key, value) for key, value in _reversed(items) if value[6] == outcome]
    return NewestFirst(items)


def audit_store(portal=None, create=False):
    """The portal's audit store (an ``OOBTree``), or None before the first entry.

    >>> len(audit_store(create=True)) >= 0
    True
    """
    portal = portal if portal is not None else _current_portal()
    if portal is None:
        return None
    annotations = IAnnotations(portal)
    store = annotations.get(ANNOTATION_KEY)
    if store is None and create:
        store = annotations[ANNOTATION_KEY] = OOBTree()
    return store


class NewestFirst:
    """A BTree items range read backwards, without loading what a page does not show.

    plone.batching slices it: only the entries of the shown page are loaded.
    """

    def __init__(self, items):
        self._items = items
        self._length = None

    def __len__(self):
        if self._length is None:
            self._length = len(self._items)
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        key, value = self._items[len(self) - 1 - index]
        return _as_entry(key, value)

    def __iter__(self):
        for position in range(len(self)):
            yield self[position]


def record_failed_request(event):
    """Keep the refused attempts of a request that ends with an error (IPubFailure).

    The publisher has already aborted the request's transaction: the entries
    :func:`log_refused` wrote in it are written again in a transaction of
    their own. A request refused with Unauthorized or Forbidden on BIP
    content that did not call :func:`log_refused` (an editor opening the
    edit form of an archived item, a resident opening a draft) gets an entry
    here. Anonymous refusals are written to the event log only: anyone can
    send them at any rate, and the database must not grow with every
    crawler that follows a login link.
    """
    if event.retry:  # a conflict: the request runs again and logs again
        return
    try:
        _record_failed_request(event.request, event.exc_info[1])
    except Exception:  # never turn an error page into a worse one
        logger.exception("could not record a refused attempt in the BIP audit log")


def _record_failed_request(request, error):
    pending = list(IAnnotations(request).get(PENDING_KEY, ()))
    portal = None
    if pending:
        portal = _current_portal()
    elif isinstance(error, (Unauthorized, Forbidden)):
        obj = bip_content_of_request(request)
        if obj is None:
            return
        portal = _portal_of(obj)
        user_id = _user_id(_requesting_user(request, portal))
        action = _published_name(request)
        method = request.get("REQUEST_METHOD", "GET")
        note = f"{type(error).__name__}: {method} {_url_path(request)}"
        entry = _entry(obj, action, note, REFUSED, user_id=user_id)
        logger.warning("refused %s %s by %s: %s", action, entry[3], user_id, note)
        if user_id != ANONYMOUS:
            pending = [entry]
    if pending and portal is not None:
        commit_entries(portal, pending)


def commit_entries(portal, entries):
    """Append ``entries`` to the audit store in a transaction of their own.

    Retried on a conflict; returns False (the event log keeps the lines)
    when it cannot be written.
    """
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            transaction.begin()
            for entry in entries:
                _append(portal, entry)
            transaction.get().note("ratusz: BIP audit log (refused attempt)")
            transaction.commit()
            return True
        except ConflictError:
            transaction.abort()
            logger.info("conflict writing the BIP audit log, attempt %d", attempt)
    logger.error("the BIP audit log could not be written: %r", entries)
    return False


def bip_content_of_request(request):
    """The BIP item or section a request was published on, or None.

    The published object is usually a view: its context, or the nearest BIP
    object above it (an attachment of an item), is what the user tried to
    reach.
    """
    published = request.get("PUBLISHED")
    candidates = [published, getattr(published, "context", None)]
    candidates += list(request.get("PARENTS", ())[:1])
    for candidate in candidates:
        if candidate is None:
            continue
        for obj in aq_chain(aq_inner(candidate)):
            if ISiteRoot.providedBy(obj):
                break
            if _is_bip_content(obj):
                return obj
    return None


def _is_bip_content(obj):
    return IBipMetadata.providedBy(obj) or IBipSection.providedBy(obj)


def _entry(obj, action, note, outcome, user_id=None):
    """The stored tuple: (time, user id, action, path, UID, note, outcome)."""
    return (
        _now_iso(),
        user_id or _user_id(),
        str(action)[:100],
        "/".join(obj.getPhysicalPath()),
        _uid(obj),
        str(note or "")[:MAX_NOTE],
        outcome,
    )


def _append(portal, entry):
    if portal is None:
        logger.error("no portal to write the BIP audit entry %r", entry)
        return
    store = audit_store(portal, create=True)
    key = _key_for(entry[0])
    if len(store) and key <= store.maxKey():
        key = store.maxKey() + 1  # a clock step back, or two entries in one nanosecond
    store[key] = entry


def _keep_until_the_request_ends(entry):
    request = getRequest()
    if request is None or not hasattr(request, "environ"):
        return
    IAnnotations(request).setdefault(PENDING_KEY, []).append(entry)


def _as_entry(key, value):
    return AuditEntry(key, *value)


def _key_range(store, low, high):
    """The items from ``low`` (included) to ``high`` (excluded); None is open.

    (``excludemax`` without a maximum would drop the newest entry.)
    """
    if high is None:
        return store.items(low)
    return store.items(low, high, excludemax=True)


def _reversed(items):
    for position in range(len(items) - 1, -1, -1):
        yield items[position]


def _now_iso():
    return datetime.fromtimestamp(time.time_ns() / 1e9, tz=timezone.utc).isoformat(
        timespec="microseconds"
    )


def _key_for(iso_time):
    moment = datetime.fromisoformat(iso_time)
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


def _day_start_key(day, next_day=False):
    """The first key of ``day`` (local midnight), or None for an open range."""
    if day is None:
        return None
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        return None
    if next_day:
        day = day + timedelta(days=1)
    local_midnight = datetime(day.year, day.month, day.day).astimezone()
    return int(local_midnight.timestamp()) * 1_000_000_000


def _uid(obj):
    return IUUID(obj, "") or ""


def _user_id(user=None):
    user = user if user is not None else getSecurityManager().getUser()
    if user is None:
        return "system"
    return user.getId() or user.getUserName() or ANONYMOUS


def _requesting_user(request, portal):
    """Who sent ``request``, even when the publisher refused to authenticate them.

    When a user lacks the roles a page asks for, PAS does not validate them
    and the request runs as anonymous; their credentials are still in the
    request, and the portal's user folder is asked again, for any role.
    """
    user = getSecurityManager().getUser()
    if user is not None and user.getId():
        return user
    acl_users = getattr(portal, "acl_users", None)
    if acl_users is None or request.get("PUBLISHED") is None:
        return user
    old_security_manager = getSecurityManager()
    try:
        found = acl_users.validate(request, getattr(request, "_auth", ""), None)
    except Exception:
        found = None
    finally:
        setSecurityManager(old_security_manager)
    return found if found is not None else user


def _published_name(request):
    """The view or service refused: "edit", "view", "DELETE", "POST @workflow", …"""
    published = request.get("PUBLISHED")
    name = getattr(published, "__name__", None)
    if not isinstance(name, str) or not name or getattr(published, "context", None) is None:
        return "view"
    # plone.restapi names its services METHOD_application_json_NAME.
    method, marker, service = name.partition("_application_json_")
    if marker:
        return f"{method} {service}".strip()
    return name


def _url_path(request):
    # The path without the query string: a query may carry a CSRF token.
    return urlsplit(request.get("ACTUAL_URL") or request.get("URL") or "").path[:300]


def _portal_of(obj):
    for item in aq_chain(obj):
        if ISiteRoot.providedBy(item):
            return item
    return _current_portal()


def _current_portal():
    site = getSite()
    for item in aq_chain(site) if site is not None else ():
        if ISiteRoot.providedBy(item):
            return item
    return None
