"""Where requests are kept: a BTree in the portal's annotations.

Each request is a plain dict (number, dates, requester, text, status) held
in the BTree's buckets, so the staff list reads a few buckets instead of
waking one persistent object per request. Numbers count per calendar year:
``UDIP.1.2026``, ``UDIP.2.2026``, … Two submissions at the same moment
conflict on the counter and Zope retries one of them, so numbers never repeat.
"""

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from zoneinfo import ZoneInfo

from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from BTrees.OIBTree import OIBTree
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations

from ratusz.bip.information_requests.interfaces import OPEN_STATUSES

ANNOTATION_KEY = "ratusz.bip.information_requests"
NUMBER_PREFIX = "UDIP"
DEADLINE_DAYS = 14  # UDIP art. 13 ust. 1
FIELDS = ("name", "email", "postal_address", "text", "access_way", "access_form")


def portal_timezone():
    """The site's time zone (``plone.portal_timezone``), Europe/Warsaw by default."""
    name = api.portal.get_registry_record("plone.portal_timezone", default=None)
    try:
        return ZoneInfo(name or "Europe/Warsaw")
    except (ValueError, KeyError):
        return ZoneInfo("Europe/Warsaw")


def now():
    """The current time in the site's time zone, with a fixed UTC offset.

    A ``ZoneInfo`` cannot be stored in the ZODB (its pickle needs protocol 4),
    a fixed offset can, and it is all a received time needs.

    >>> now().isoformat()
    '2026-05-01T10:00:00.123456+02:00'
    """
    local = datetime.now(portal_timezone())
    return local.replace(tzinfo=timezone(local.utcoffset()))


def today():
    """Today's date in the site's time zone."""
    return now().date()


def _storage(create=False):
    annotations = IAnnotations(api.portal.get())
    storage = annotations.get(ANNOTATION_KEY)
    if storage is None and create:
        storage = annotations[ANNOTATION_KEY] = PersistentMapping(
            counters=OIBTree(), requests=LOBTree(), count=Length()
        )
    return storage


def _key(year, sequence):
    # Negative, so that the BTree's own order is newest first and a page of
    # the staff list reads only the buckets it shows.
    return -(year * 10_000_000 + sequence)


def allocate_number(year):
    """Take the next number of ``year``: ``(sequence, "UDIP.<sequence>.<year>")``.

    >>> allocate_number(2026)
    (1, 'UDIP.1.2026')
    """
    counters = _storage(create=True)["counters"]
    sequence = counters.get(str(year), 0) + 1
    counters[str(year)] = sequence
    return sequence, f"{NUMBER_PREFIX}.{sequence}.{year}"


def new_information_request(data, context=None, received=None):
    """A numbered request with its deadline, made of the validated form ``data``.

    >>> record = new_information_request({"email": "jan@example.org", "text": "Budżet?"})
    >>> record["number"], record["deadline"] - record["received"].date()
    ('UDIP.1.2026', datetime.timedelta(days=14))
    """
    received = received or now()
    sequence, number = allocate_number(received.year)
    record = {name: data.get(name) for name in FIELDS}
    record.update(
        number=number,
        year=received.year,
        sequence=sequence,
        received=received,
        deadline=received.date() + timedelta(days=DEADLINE_DAYS),
        status="new",
        language=context.Language() if context is not None else None,
        submitted_at=context.absolute_url_path() if context is not None else None,
    )
    return record


def store(record):
    """Keep ``record`` (see :func:`new_information_request`); storing it again replaces it."""
    storage = _storage(create=True)
    if storage["requests"].insert(_key(record["year"], record["sequence"]), dict(record)):
        storage["count"].change(1)
    else:
        storage["requests"][_key(record["year"], record["sequence"])] = dict(record)


def _key_of(number):
    try:
        prefix, sequence, year = number.split(".")
        return _key(int(year), int(sequence)) if prefix == NUMBER_PREFIX else None
    except (AttributeError, ValueError):
        return None


def get_information_request(number):
    """The stored request ``number`` (a copy), or None.

    >>> get_information_request("UDIP.1.2026")["status"]
    'new'
    """
    storage = _storage()
    key = _key_of(number)
    if storage is None or key is None:
        return None
    record = storage["requests"].get(key)
    return dict(record) if record is not None else None


def update_information_request(number, **changes):
    """Change fields of a stored request, e.g. its status; return the new version.

    >>> update_information_request("UDIP.1.2026", status="in_progress")["status"]
    'in_progress'
    """
    record = get_information_request(number)
    if record is None:
        raise KeyError(number)
    record.update(changes)
    store(record)
    return record


def information_requests():
    """All stored requests, newest first: a lazy, sliceable sequence of dicts.

    >>> [r["number"] for r in information_requests()]
    ['UDIP.2.2026', 'UDIP.1.2026']
    """
    storage = _storage()
    if storage is None:
        return []
    return _Counted(storage["requests"].values(), storage["count"]())


class _Counted:
    """A BTree's lazy values with the length kept by a ``BTrees.Length``.

    ``len()`` of the values themselves would walk every bucket; batching asks
    for the length on every page.
    """

    def __init__(self, values, length):
        self._values = values
        self._length = length

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        return self._values[index]

    def __iter__(self):
        return iter(self._values)


def days_left(record, on=None):
    """Days until the deadline: 0 on the day, negative when overdue.

    >>> days_left({"deadline": date(2026, 5, 15)}, on=date(2026, 5, 1))
    14
    """
    return (record["deadline"] - (on or today())).days


def is_overdue(record, on=None):
    """True when the request still waits for an answer after its deadline."""
    return record.get("status") in OPEN_STATUSES and days_left(record, on) < 0
