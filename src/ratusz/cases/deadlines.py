"""Deadlines counted as the Code of Administrative Procedure counts them (KPA art. 57).

- Days (§ 1): the day of the event that starts the term is not counted; the
  term ends when its last day ends.
- Weeks (§ 2): on the weekday named like the first day, in the last week.
- Months (§ 3): on the day of the last month with the first day's number, or
  that month's last day when it has no such day (31 January + 1 month is
  28 or 29 February).
- § 4: a term ending on a Saturday or a statutory day off (Sundays and the
  public holidays of the act on days off work) ends on the next day that is
  neither.

The public holidays come from python-holidays (maintained, and it follows
changes of the law, such as Christmas Eve being a day off since 2025).
"""

import calendar
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import lru_cache

import holidays

SATURDAY = 5
SUNDAY = 6
UNITS = ("days", "weeks", "months")


@dataclass(frozen=True)
class Term:
    """A term of the KPA: an amount of days, weeks or months.

    >>> Term(14, "days")
    Term(amount=14, unit='days')
    """

    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"A term is counted in {', '.join(UNITS)}, not {self.unit!r}")
        if self.amount < 0:
            raise ValueError("A term cannot be negative")


# The terms of the KPA a case kind names (K7): art. 217 certificates, UDIP art. 13
# public information, art. 35 § 3 fact-finding and complex cases, art. 237 complaints.
TERMS = {
    "7d": Term(7, "days"),
    "14d": Term(14, "days"),
    "1m": Term(1, "months"),
    "2m": Term(2, "months"),
}


@lru_cache(maxsize=64)
def public_holidays(year):
    """The statutory days off in Poland in ``year`` other than Sundays, as a frozenset.

    >>> date(2026, 11, 11) in public_holidays(2026)
    True
    """
    return frozenset(holidays.country_holidays("PL", years=year))


def is_day_off(day):
    """Whether a KPA term cannot end on ``day``: a Saturday, a Sunday or a public holiday.

    >>> is_day_off(date(2026, 4, 6))  # Easter Monday
    True
    """
    return day.weekday() in (SATURDAY, SUNDAY) or day in public_holidays(day.year)


def next_working_day(day):
    """``day`` itself if a term may end on it, else the first day after it that may.

    >>> next_working_day(date(2026, 12, 24))  # Christmas Eve, Christmas, Sunday
    datetime.date(2026, 12, 28)
    """
    while is_day_off(day):
        day += timedelta(days=1)
    return day


def add_months(day, months):
    """The day of the month ``months`` later with the same number, or that month's last day.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start, term):
    """The last day of ``term`` started by an event on ``start`` (art. 57 § 1–3), before § 4.

    >>> term_end(date(2026, 11, 4), Term(7, "days"))
    datetime.date(2026, 11, 11)
    """
    if term.unit == "days":
        return start + timedelta(days=term.amount)
    if term.unit == "weeks":
        return start + timedelta(weeks=term.amount)
    return add_months(start, term.amount)


def deadline(start, term):
    """The day a term ends: art. 57 § 1–3, moved past Saturdays and days off (§ 4).

    ``term`` is a :class:`Term` or a key of ``TERMS`` ("7d", "14d", "1m", "2m").

    >>> deadline(date(2026, 11, 4), "7d")  # 11 November is a holiday
    datetime.date(2026, 11, 12)
    """
    if isinstance(term, str):
        term = TERMS[term]
    if isinstance(start, datetime):  # a case started at 16:30 counts from its day
        start = start.date()
    return next_working_day(term_end(start, term))
