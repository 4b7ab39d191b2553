"""Dates as pages show them: ``<time datetime>`` values and texts in the page's language."""

from datetime import date
from datetime import datetime

from DateTime import DateTime
from plone import api
from plone.base.i18nl10n import get_formatstring_from_registry
from plone.base.i18nl10n import ulocalized_time
from plone.memoize import ram
from zope.globalrequest import getRequest

# Dexterity answers "not yet effective" with this floor date instead of None.
_NO_DATE_BEFORE_YEAR = 1900


def has_date(value):
    """Whether ``value`` is a real date, not None nor Dexterity's floor date.

    >>> has_date(DateTime("1000/01/01"))
    False
    """
    if value is None:
        return False
    year = value.year() if isinstance(value, DateTime) else value.year
    return year >= _NO_DATE_BEFORE_YEAR


def iso_date(value, with_time=False):
    """The machine-readable form for ``<time datetime>``: ``2026-03-15`` (or with the time).

    >>> iso_date(date(2026, 3, 15))
    '2026-03-15'
    """
    if not has_date(value):
        return None
    pattern = "%Y-%m-%dT%H:%M" if with_time else "%Y-%m-%d"
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value.strftime(pattern)


def _moment(value):
    """A hashable value naming the same moment (and zone) as ``value``."""
    if isinstance(value, DateTime):
        return ("DateTime", value.micros(), value.timezone())
    return (type(value).__name__, value.isoformat())


def _display_date_key(function, value, with_time):
    request = getRequest()
    language = request.get("LANGUAGE") if request is not None else None
    if not language:
        raise ram.DontCache
    # A site administrator may override Plone's formats in the registry.
    override = get_formatstring_from_registry(
        "date_format_long" if with_time else "date_format_short"
    )
    return (_moment(value), with_time, language, override)


@ram.cache(_display_date_key)
def _localized(value, with_time):
    # In the language the page's texts use (the request's LANGUAGE): Plone's own
    # lookup negotiates again and may answer with the browser's language.
    request = getRequest()
    if type(value) is date:
        value = datetime(value.year, value.month, value.day)
        with_time = False
    return ulocalized_time(
        value,
        long_format=with_time,
        context=api.portal.get(),
        request=request,
        target_language=request.get("LANGUAGE"),
    )


def display_date(value, with_time=False):
    """The date as readers of the current language write it, or None without a date.

    Plone's formatting translates the format and the month names on every call;
    the text of a date in a language does not change, so it is kept.

    >>> display_date(date(2026, 3, 15))  # Polish page
    '2026-03-15'
    """
    if not has_date(value):
        return None
    return _localized(value, with_time)


def date_info(value, with_time=False):
    """``{"iso": …, "text": …}`` for a ``<time>`` element, or None without a date."""
    if not has_date(value):
        return None
    return {"iso": iso_date(value, with_time), "text": display_date(value, with_time)}


def has_passed(deadline, now=None):
    """Whether a deadline (a datetime, naive meaning the server's local time) has passed.

    >>> has_passed(datetime(2000, 1, 1))
    True
    """
    if deadline is None:
        return False
    if now is None:
        now = datetime.now(deadline.tzinfo) if deadline.tzinfo else datetime.now()
    return deadline < now
