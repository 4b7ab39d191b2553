"""REST services of document circulation on the intranet (docs/rest-api.md).

- ``GET /intranet/@ratusz-dashboards``: the counts of every dashboard;
  ``?name=for_approval&b_start=0&b_size=25``: one dashboard's rows too.
- ``GET /intranet/@ratusz-case-search?department=OR&overdue=1``: the case search.
- ``GET /intranet/@ratusz-notices``: the user's notices (``unread`` count first).

Rows are the dashboards' rows (catalog metadata); what the user may not see
is not there. Bad parameters answer 400 with a translated message.
"""

from plone import api
from plone.restapi.services import Service
from zope.i18n import translate

from ratusz.cases.dashboards import DASHBOARDS
from ratusz.cases.dashboards import SEARCH_FIELDS
from ratusz.cases.dashboards import dashboard
from ratusz.cases.dashboards import dashboard_counts
from ratusz.cases.dashboards import search_cases
from ratusz.cases.notices import notices_for
from ratusz.cases.notices import unread_count
from ratusz.i18n import _

MAX_SIZE = 200


def _batch(request):
    """``(start, size)`` from ``b_start`` and ``b_size``; ValueError if they are not numbers."""
    start = int(request.form.get("b_start") or 0)
    size = int(request.form.get("b_size") or 50)
    if start < 0 or size < 1:
        raise ValueError
    return start, min(size, MAX_SIZE)


class _Base(Service):
    def error(self, message):
        self.request.response.setStatus(400)
        return {
            "error": {"type": "BadRequest", "message": translate(message, context=self.request)}
        }


class DashboardsGet(_Base):
    def reply(self):
        counts = dashboard_counts()
        result = {
            "@id": f"{self.context.absolute_url()}/@ratusz-dashboards",
            "dashboards": [
                {
                    "name": name,
                    "title": translate(title, context=self.request),
                    "count": counts[name],
                }
                for name, title in DASHBOARDS.items()
            ],
        }
        name = self.request.form.get("name")
        if name is None:
            return result
        if name not in DASHBOARDS:
            return self.error(_("There is no such dashboard."))
        try:
            start, size = _batch(self.request)
        except (TypeError, ValueError):
            return self.error(_("b_start and b_size must be whole numbers."))
        found = dashboard(name, start=start, size=size)
        result.update(name=name, items_total=found["count"], items=found["items"])
        return result


class CaseSearchGet(_Base):
    def reply(self):
        form = self.request.form
        filters = {name: str(form.get(name) or "")[:200] for name in SEARCH_FIELDS}
        try:
            start, size = _batch(self.request)
        except (TypeError, ValueError):
            return self.error(_("b_start and b_size must be whole numbers."))
        try:
            found = search_cases(filters, start=start, size=size)
        except ValueError:
            return self.error(_("Enter the dates as dates (YYYY-MM-DD)."))
        return {
            "@id": f"{self.context.absolute_url()}/@ratusz-case-search",
            "items_total": found["count"],
            "items": found["items"],
        }


class NoticesGet(_Base):
    def reply(self):
        user_id = api.user.get_current().getId()
        return {
            "@id": f"{self.context.absolute_url()}/@ratusz-notices",
            "unread": unread_count(user_id),
            "items": [dict(notice, at=notice["at"].isoformat()) for notice in notices_for(user_id)],
        }
