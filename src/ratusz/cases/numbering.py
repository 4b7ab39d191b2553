"""Running numbers of case signs and registers: unique and without gaps.

Case numbers run per unit, JRWA class and year (K1: ``OR.0012.1.2026``); the
incoming register numbers its items per year (``RPW/17/2026``). A number is
taken inside the transaction that creates the case or item, so an aborted
creation gives its number back: no gaps.

Why not a database sequence or a resolved counter: a sequence (PostgreSQL's,
or ``BTrees.Length`` with its conflict resolution) never conflicts, so two
creations at the same moment would both succeed — with a sequence, an aborted
one leaves a gap; with a resolved counter, both get the same number. Here each
counter is a small persistent object *without* conflict resolution: two
transactions taking a number from the same counter conflict, ZODB refuses the
second commit and Zope publishes that request again (``max-conflict-retries``
in zope.conf, 10 in Ratusz's template), now reading the first one's number.
Creations under different units, classes or years use different counters and
never conflict with each other.

Within one Zope process, creations that take a number from the same counter
also wait for each other: the number is taken under a lock (per counter) held
until the transaction ends, from the counter's latest committed value (read
through a fresh connection: a transaction that waited began before the one it
waited for committed, and sees the older value). The counter resolves the
conflict with that commit because its value is exactly one more. Without this,
ten clerks opening cases of one class at once would each lose to the others'
commits several times; with it, only instances of a scale-out (several
processes on one RelStorage database) meet in real conflicts, which the
retries settle.
"""

import re
import string
import threading

import transaction
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError
from ZODB.POSException import POSKeyError
from zope.annotation.interfaces import IAnnotations

from ratusz.i18n import _

ANNOTATION_KEY = "ratusz.cases.counters"
DEFAULT_REGISTER_PATTERN = "RPW/{n}/{yyyy}"
PLACEHOLDERS = {"n", "yyyy", "yy"}
UNIT_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


LOCK_SECONDS = 60  # after this the creation goes on without the lock (conflicts still guard)
_locks = {}
_locks_guard = threading.Lock()


class _ReleaseAtTransactionEnd:
    """A transaction participant that only releases a counter's lock when the transaction
    ends, committed or aborted (ZODB calls it last: see ``sortKey``)."""

    def __init__(self, lock, manager):
        self.lock = lock
        self.transaction_manager = manager
        self.released = False

    def _release(self, *args):
        if not self.released:
            self.released = True
            self.lock.release()

    abort = tpc_finish = tpc_abort = _release

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def sortKey(self):
        return "~ratusz.cases.numbering"

    def savepoint(self):
        # Without this, a savepoint after a number was taken (a second report or
        # submission in one transaction, a demo profile) raises "Savepoints unsupported".
        # The lock stays held until the transaction ends whatever is rolled back: the
        # counter itself is persistent, and its connection rolls it back.
        return _NothingToRollBack()


class _NothingToRollBack:
    def rollback(self):
        pass


def _hold_until_transaction_end(site, key):
    # The transaction of the connection that holds the counters (Zope's
    # thread-local one in a request; a script may run its own).
    jar = getattr(site, "_p_jar", None)
    manager = getattr(jar, "transaction_manager", None) or transaction.manager
    with _locks_guard:
        lock = _locks.setdefault(key, threading.RLock())
    if lock.acquire(timeout=LOCK_SECONDS):
        manager.get().join(_ReleaseAtTransactionEnd(lock, manager))
        return True
    return False


class Counter(Persistent):
    """One running number (see the module).

    A number is taken from the latest committed value, read under the
    counter's lock (``next_number``), so a conflict with the commit that
    came just before is resolved: our value is one more than that commit's.
    Any other conflict — two numbers taken from the same committed value, as
    processes of a scale-out may — stays a conflict, and the request is
    published again.
    """

    def __init__(self):
        self.value = 0

    def _p_resolveConflict(self, old_state, committed_state, new_state):
        if new_state.get("value") == committed_state.get("value", 0) + 1:
            return new_state
        raise ConflictError("two numbers taken from the same value")


def _counters(site):
    annotations = IAnnotations(site)
    counters = annotations.get(ANNOTATION_KEY)
    if counters is None:
        counters = annotations[ANNOTATION_KEY] = OOBTree()
    return counters


def next_number(site, key):
    """Take the next number of the counter ``key`` (a tuple of strings and ints), from 1.

    >>> next_number(portal, ("case", "OR", "0012", 2026))
    1
    """
    locked = _hold_until_transaction_end(site, key)
    counters = _counters(site)
    counter = counters.get(key)
    latest = _latest_committed_value(site, key) if locked else None
    if counter is None:
        if latest:  # made by a commit this transaction cannot see yet: start again
            raise ConflictError("the counter was created meanwhile")
        counter = counters[key] = Counter()
    # This transaction may have begun before the one that held the lock
    # committed; its view of the counter is then old: count from the latest.
    counter.value = max(counter.value, latest or 0) + 1
    return counter.value


def _latest_committed_value(site, key):
    """The counter's value as last committed, read through a fresh connection
    (this transaction sees the database as it was when it began)."""
    jar = getattr(site, "_p_jar", None)
    if jar is None or getattr(site, "_p_oid", None) is None:
        return None
    manager = transaction.TransactionManager()
    connection = jar.db().open(transaction_manager=manager)
    try:
        try:
            fresh_site = connection.get(site._p_oid)
        except POSKeyError:
            # The site is made in this very transaction (a new site's demo profiles):
            # no other transaction can have numbered anything in it.
            return None
        counters = IAnnotations(fresh_site).get(ANNOTATION_KEY)
        counter = counters.get(key) if counters is not None else None
        return counter.value if counter is not None else 0
    finally:
        manager.abort()
        connection.close()


def last_number(site, key):
    """The last number taken from ``key`` (0 if none), without taking one.

    >>> last_number(portal, ("case", "OR", "0012", 2026))
    1
    """
    annotations = IAnnotations(site)
    counter = annotations.get(ANNOTATION_KEY, {}).get(key)
    return counter.value if counter is not None else 0


def case_key(unit, jrwa_symbol, year):
    """The counter of cases of one unit, class and year.

    >>> case_key("OR", "0012", 2026)
    ('case', 'OR', '0012', 2026)
    """
    return ("case", unit, jrwa_symbol, int(year))


def case_sign(unit, jrwa_symbol, number, year):
    """The sign of a case (K1): unit, JRWA class, number, four-digit year, dot-separated.

    >>> case_sign("OR", "0012", 1, 2026)
    'OR.0012.1.2026'
    """
    return f"{unit}.{jrwa_symbol}.{number}.{int(year):04d}"


def next_case_sign(site, unit, jrwa_symbol, year):
    """Take the next number of a unit, class and year; return the case sign.

    >>> next_case_sign(portal, "OR", "0012", 2026)
    'OR.0012.2.2026'
    """
    number = next_number(site, case_key(unit, jrwa_symbol, year))
    return case_sign(unit, jrwa_symbol, number, year)


def check_register_pattern(pattern):
    """Raise ValueError (with a translatable message) unless ``pattern`` is a usable pattern.

    A pattern holds ``{n}`` (the number) and may hold ``{yyyy}`` and ``{yy}``.

    >>> check_register_pattern("KO-{n}/{yy}")
    """
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        raise ValueError(_("The pattern has an unclosed brace."))
    if "n" not in fields:
        raise ValueError(_("The pattern must hold {n}, the running number."))
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise ValueError(
            _(
                "Unknown placeholder ${names}; use {n}, {yyyy} and {yy}.",
                mapping={"names": ", ".join(sorted("{" + name + "}" for name in unknown))},
            )
        )


def register_number(pattern, number, year):
    """A register number from ``pattern``.

    >>> register_number("RPW/{n}/{yyyy}", 17, 2026)
    'RPW/17/2026'
    """
    return pattern.format(n=number, yyyy=f"{int(year):04d}", yy=f"{int(year) % 100:02d}")


def next_register_number(site, year, pattern=DEFAULT_REGISTER_PATTERN):
    """Take the next number of the incoming register of ``year``; return it formatted.

    >>> next_register_number(portal, 2026)
    'RPW/1/2026'
    """
    return register_number(pattern, next_number(site, ("incoming", int(year))), year)
