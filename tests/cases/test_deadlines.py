"""KPA art. 57 against real calendar dates (K7)."""

from datetime import date
from datetime import datetime

import pytest

from ratusz.cases.deadlines import TERMS
from ratusz.cases.deadlines import Term
from ratusz.cases.deadlines import add_months
from ratusz.cases.deadlines import deadline
from ratusz.cases.deadlines import is_day_off
from ratusz.cases.deadlines import next_working_day
from ratusz.cases.deadlines import public_holidays
from ratusz.cases.deadlines import term_end

# (event day, term, last day of the term) — each row checked on a calendar.
TABLE = [
    # days: the event's day is not counted
    (date(2026, 11, 3), "7d", date(2026, 11, 10)),  # Tue → Tue
    (date(2026, 11, 4), "7d", date(2026, 11, 12)),  # 11 Nov (Independence Day) → Thu 12
    (date(2026, 3, 30), "7d", date(2026, 4, 7)),  # Easter Monday 6 Apr → Tue 7
    (date(2026, 10, 31), "14d", date(2026, 11, 16)),  # Sat 14 Nov → Mon 16
    (date(2026, 4, 17), "14d", date(2026, 5, 4)),  # 1 May Fri, Sat, 3 May Sun → Mon 4
    (date(2026, 4, 19), "14d", date(2026, 5, 4)),  # 3 May (Sunday and holiday) → Mon 4
    (date(2026, 12, 17), "7d", date(2026, 12, 28)),  # 24 (since 2025), 25, 26 Dec, Sun 27
    (date(2026, 12, 25), "7d", date(2027, 1, 4)),  # Fri 1 Jan, Sat 2, Sun 3 → Mon 4
    (date(2026, 12, 30), "7d", date(2027, 1, 7)),  # 6 Jan (Epiphany) → Thu 7
    (date(2026, 5, 28), "7d", date(2026, 6, 5)),  # 4 Jun (Corpus Christi) → Fri 5
    (date(2026, 8, 8), "7d", date(2026, 8, 17)),  # Sat 15 Aug (Assumption) → Mon 17
    (date(2026, 10, 25), "7d", date(2026, 11, 2)),  # Sun 1 Nov (All Saints') → Mon 2
    # months: the same day number, or the month's last day
    (date(2026, 1, 31), "1m", date(2026, 3, 2)),  # 28 Feb is a Saturday → Mon 2 Mar
    (date(2028, 1, 31), "1m", date(2028, 2, 29)),  # leap year, a Tuesday
    (date(2026, 4, 30), "1m", date(2026, 6, 1)),  # Sat 30 May → Mon 1 Jun
    (date(2026, 3, 31), "2m", date(2026, 6, 1)),  # Sun 31 May → Mon 1 Jun
    (date(2026, 12, 15), "1m", date(2027, 1, 15)),  # across the year
]


@pytest.mark.parametrize("start, term, expected", TABLE)
def test_deadline_follows_kpa_article_57(start, term, expected):
    assert deadline(start, term) == expected


def test_the_two_month_case_ending_on_a_saturday_moves_to_monday():
    # 30 Jan 2027 is a Saturday: a case started on 30 Nov 2026 with 2 months ends Mon 1 Feb.
    assert term_end(date(2026, 11, 30), TERMS["2m"]) == date(2027, 1, 30)
    assert deadline(date(2026, 11, 30), "2m") == date(2027, 2, 1)


def test_weeks_end_on_the_same_weekday():
    assert deadline(date(2026, 11, 2), Term(2, "weeks")) == date(2026, 11, 16)


def test_a_start_with_a_time_counts_from_its_day():
    assert deadline(datetime(2026, 11, 4, 16, 30), "7d") == date(2026, 11, 12)


def test_add_months_keeps_the_day_or_takes_the_last_one():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert add_months(date(2026, 12, 31), 14) == date(2028, 2, 29)


def test_days_off_are_saturdays_sundays_and_public_holidays():
    assert is_day_off(date(2026, 11, 28))  # Saturday
    assert is_day_off(date(2026, 11, 29))  # Sunday
    assert is_day_off(date(2026, 11, 11))
    assert is_day_off(date(2025, 12, 24))  # Christmas Eve, a day off since 2025
    assert not is_day_off(date(2024, 12, 24))  # … and not before
    assert not is_day_off(date(2026, 11, 23))  # an ordinary Monday


def test_next_working_day_keeps_a_working_day():
    assert next_working_day(date(2026, 11, 23)) == date(2026, 11, 23)
    assert next_working_day(date(2026, 11, 11)) == date(2026, 11, 12)


def test_public_holidays_of_a_year_include_easter_monday():
    assert date(2027, 3, 29) in public_holidays(2027)  # Easter Monday 2027
    assert len(public_holidays(2026)) >= 13


def test_terms_are_checked():
    with pytest.raises(ValueError, match="days, weeks, months"):
        Term(3, "fortnights")
    with pytest.raises(ValueError):
        Term(-1, "days")
