"""``@@bip-audit-log``: the BIP audit log for BIP administrators (requirements B5).

Entries are listed newest first, filtered by outcome and by a date range, and
batched: a page loads only the entries it shows (see ``audit.NewestFirst``).
"""

from datetime import date
from datetime import datetime

from plone.batching import Batch
from Products.Five.browser import BrowserView
from Products.statusmessages.interfaces import IStatusMessage

from ratusz.bip import audit
from ratusz.i18n import _

PAGE_SIZE = 50

OUTCOME_TITLES = {
    audit.CHANGE: _("Change"),
    audit.REFUSED: _("Refused"),
}


def parse_day(value):
    """A ``YYYY-MM-DD`` form value as a date; None when empty; ValueError when wrong.

    >>> parse_day("2026-03-01")
    datetime.date(2026, 3, 1)
    """
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return None
    if len(value) != 10:  # fromisoformat also takes 20260301 and week dates
        raise ValueError(value)
    return date.fromisoformat(value)


class AuditLogView(BrowserView):
    """The audit log of the whole BIP, shown on the BIP home (``/pl/bip/@@bip-audit-log``)."""

    def __call__(self):
        self.errors = {}
        self.outcome = self._outcome()
        self.start = self._day("start")
        self.end = self._day("end")
        if self.start and self.end and self.end < self.start:
            self.errors["end"] = _("The end of the range is before its start.")
        if self.errors:
            IStatusMessage(self.request).add(_("Correct the dates of the filter."), type="error")
        return self.index()

    def _outcome(self):
        value = self.request.form.get("outcome", "")
        return value if value in audit.OUTCOMES else ""

    def _day(self, name):
        try:
            return parse_day(self.request.form.get(name))
        except ValueError:
            self.errors[name] = _("Enter a date as YYYY-MM-DD.")
            return None

    def batch(self):
        """The shown page of entries (an empty one while the filter is wrong)."""
        if self.errors:
            entries = []
        else:
            entries = audit.latest_entries(
                outcome=self.outcome or None, start=self.start, end=self.end
            )
        try:
            start = max(int(self.request.form.get("b_start", 0)), 0)
        except (TypeError, ValueError):
            start = 0
        return Batch(entries, PAGE_SIZE, start)

    def rows(self, batch):
        """What the table shows of each entry of ``batch``."""
        return [self._row(entry) for entry in batch]

    def _row(self, entry):
        when = entry.when
        local = when.astimezone()
        return {
            "datetime": when.isoformat(timespec="seconds"),
            "time": local.strftime("%Y-%m-%d %H:%M:%S"),
            "user": entry.user,
            "action": entry.action,
            "path": entry.path,
            "url": self._url(entry.path),
            "note": entry.note,
            "outcome": entry.outcome,
            "outcome_title": OUTCOME_TITLES.get(entry.outcome, entry.outcome),
        }

    def _url(self, path):
        try:
            return self.request.physicalPathToURL(path)
        except Exception:
            return None

    def day_value(self, name):
        """The filter's date as typed back into the form."""
        value = getattr(self, name, None)
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return ""

    def outcome_options(self):
        return [
            {"value": "", "title": _("All"), "selected": not self.outcome},
            *(
                {"value": value, "title": title, "selected": self.outcome == value}
                for value, title in OUTCOME_TITLES.items()
            ),
        ]
