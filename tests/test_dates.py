"""Dates as pages show them (ratusz.dates)."""

from datetime import date
from datetime import datetime

from DateTime import DateTime
from plone import api
from zope.globalrequest import setRequest

from ratusz.dates import date_info
from ratusz.dates import display_date
from ratusz.dates import has_date
from ratusz.dates import has_passed
from ratusz.dates import iso_date


def test_dexterity_floor_dates_and_none_are_no_dates():
    assert not has_date(None)
    assert not has_date(DateTime("1000/01/01"))
    assert has_date(date(2026, 3, 15))


def test_iso_dates_for_time_elements():
    assert iso_date(date(2026, 3, 15)) == "2026-03-15"
    assert iso_date(datetime(2026, 3, 15, 9, 5), with_time=True) == "2026-03-15T09:05"
    assert iso_date(None) is None


def test_has_passed():
    assert has_passed(datetime(2000, 1, 1))
    assert not has_passed(datetime(2999, 1, 1))
    assert not has_passed(None)


def test_date_info_gives_both_forms(functional):
    setRequest(functional["request"])  # what a page's request is; earlier tests may leave another
    day = date(2026, 3, 15)
    assert date_info(day) == {"iso": "2026-03-15", "text": display_date(day)}
    assert date_info(None) is None


def test_dates_follow_the_page_language_and_the_registry_format(functional):
    request = functional["request"]
    setRequest(request)
    day = date(2026, 3, 15)
    # The page's language, whatever the browser asks for: Plone's Polish short
    # date is ISO, its English one spells the month.
    request.set("LANGUAGE", "pl")
    assert display_date(day) == "2026-03-15"
    request.set("LANGUAGE", "en")
    assert display_date(day) == "Mar 15, 2026"
    assert display_date(datetime(2026, 3, 15, 9, 5), with_time=True) == "Mar 15, 2026 09:05 AM"

    api.portal.set_registry_record("Products.CMFPlone.i18nl10n.override_dateformat.Enabled", True)
    api.portal.set_registry_record(
        "Products.CMFPlone.i18nl10n.override_dateformat.date_format_short", "${Y}/${m}/${d}"
    )
    assert display_date(day) == "2026/03/15"
