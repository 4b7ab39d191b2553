"""The staff's dashboards, the case search and the notices page."""

from datetime import date
from urllib.parse import urlencode

from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import alsoProvides

from ratusz.cases.case_views import PHASES
from ratusz.cases.dashboards import DASHBOARDS
from ratusz.cases.dashboards import SEARCH_FIELDS
from ratusz.cases.dashboards import dashboard
from ratusz.cases.dashboards import dashboard_counts
from ratusz.cases.dashboards import search_cases
from ratusz.cases.jrwa import list_classes
from ratusz.cases.notices import mark_read
from ratusz.cases.notices import notices_for
from ratusz.cases.organisation import departments
from ratusz.cases.organisation_views import person
from ratusz.dates import display_date
from ratusz.i18n import _
from ratusz.i18n import translator

PAGE_SIZE = 50
TYPES = {"case": _("Case"), "letter": _("Outgoing letter"), "item": _("Incoming item")}
ITEM_STATES = {
    "registered": _("registered"),
    "assigned": _("assigned to a department"),
    "assigned_clerk": _("assigned to a clerk"),
}
LETTER_STATES = {
    "draft": _("draft"),
    "for_approval": _("for approval"),
    "approved": _("approved"),
    "signed": _("signed"),
    "dispatched": _("dispatched"),
}


def dashboard_tabs(intranet, tr, current=None):
    """Each dashboard with its title, count and link (the tabs, the intranet's front page)."""
    counts = dashboard_counts()
    base = f"{intranet.absolute_url()}/@@dashboard"
    return [
        {
            "id": name,
            "title": tr(title),
            "count": counts[name],
            "url": f"{base}?show={name}",
            "current": name == current,
        }
        for name, title in DASHBOARDS.items()
    ]


def _start(request):
    try:
        return max(0, int(request.form.get("b_start", 0)))
    except (TypeError, ValueError):
        return 0


class RowsMixin:
    rows_macro = ViewPageTemplateFile("templates/_rows.pt")

    def display_rows(self, rows):
        names = {}
        shown = []
        for row in rows:
            clerk = row.get("clerk")
            if clerk and clerk not in names:
                names[clerk] = person(clerk)["name"]
            states = {"case": PHASES, "letter": LETTER_STATES, "item": ITEM_STATES}[row["type"]]
            state = states.get(row["state"])
            deadline = date.fromisoformat(row["deadline"]) if row.get("deadline") else None
            shown.append(
                dict(
                    row,
                    type_title=self.tr(TYPES[row["type"]]),
                    clerk_name=names.get(clerk, "—"),
                    state_title=self.tr(state) if state else (row["state"] or ""),
                    deadline_text=display_date(deadline) if deadline else "—",
                )
            )
        return shown

    def pages(self, count, start, extra=()):
        base = f"{self.context.absolute_url()}/@@{self.__name__}"
        links = []
        if start > 0:
            query = urlencode([*extra, ("b_start", max(0, start - PAGE_SIZE))])
            links.append({"url": f"{base}?{query}", "title": self.tr(_("Previous"))})
        if start + PAGE_SIZE < count:
            query = urlencode([*extra, ("b_start", start + PAGE_SIZE)])
            links.append({"url": f"{base}?{query}", "title": self.tr(_("Next"))})
        return links


class DashboardView(RowsMixin, BrowserView):
    """``/intranet/@@dashboard?show=assigned_to_me``: tabs with counts, one list shown."""

    index = ViewPageTemplateFile("templates/dashboard.pt")

    def __call__(self):
        self.tr = translator(self.request)
        self.show = self.request.form.get("show")
        if self.show not in DASHBOARDS:
            self.show = "assigned_to_me"
        self.start = _start(self.request)
        self.result = dashboard(self.show, start=self.start, size=PAGE_SIZE)
        return self.index()

    @property
    def tabs_label(self):
        return self.tr(_("Dashboards"))

    def tabs(self):
        return dashboard_tabs(self.context, self.tr, self.show)

    def rows(self):
        return self.display_rows(self.result["items"])

    def page_links(self):
        return self.pages(self.result["count"], self.start, [("show", self.show)])

    def links(self):
        portal = api.portal.get()
        intranet = self.context.absolute_url()
        return (
            [
                {"url": f"{intranet}/sprawy/@@case-search", "title": self.tr(_("Search cases"))},
                {"url": f"{intranet}/sprawy/@@case-register", "title": self.tr(_("Case register"))},
                {"url": f"{intranet}/kancelaria", "title": self.tr(_("Incoming register"))},
                {"url": f"{intranet}/@@notices", "title": self.tr(_("Notices"))},
            ]
            if portal is not None
            else []
        )


class CaseSearchView(RowsMixin, BrowserView):
    """``@@case-search`` on the case folder: filters by state, department, class, dates,
    overdue, party and text."""

    index = ViewPageTemplateFile("templates/case_search.pt")
    error = None

    def __call__(self):
        self.tr = translator(self.request)
        form = self.request.form
        self.values = {
            name: (form.get(name) if isinstance(form.get(name), str) else "")[:200]
            for name in SEARCH_FIELDS
        }
        self.start = _start(self.request)
        self.result = None
        if any(self.values.values()) or form.get("search"):
            try:
                self.result = search_cases(self.values, start=self.start, size=PAGE_SIZE)
            except ValueError:
                self.error = self.tr(_("Enter the dates as dates (YYYY-MM-DD)."))
        return self.index()

    def rows(self):
        return self.display_rows(self.result["items"]) if self.result else []

    def page_links(self):
        if not self.result:
            return []
        extra = [(name, value) for name, value in self.values.items() if value]
        return self.pages(self.result["count"], self.start, [*extra, ("search", "1")])

    def phases(self):
        return [("", self.tr(_("any")))] + [(key, self.tr(title)) for key, title in PHASES.items()]

    def departments(self):
        return [("", self.tr(_("any")))] + [
            (d.symbol, f"{d.symbol} — {d.title}") for d in departments()
        ]

    def classes(self):
        return [("", self.tr(_("any")))] + [
            (entry.symbol, f"{entry.symbol} — {entry.title}")
            for entry in list_classes(api.portal.get(), final_only=True)
        ]


class NoticesView(BrowserView):
    """``/intranet/@@notices``: the user's notices, newest first; the page marks them read."""

    index = ViewPageTemplateFile("templates/notices.pt")

    def __call__(self):
        self.tr = translator(self.request)
        user_id = api.user.get_current().getId()
        self.notices = [
            dict(notice, at_text=display_date(notice["at"], True), at_iso=notice["at"].isoformat())
            for notice in notices_for(user_id)
        ]
        if self.request.method == "POST" or any(not n["read"] for n in self.notices):
            # Reading the page is reading the notices; a GET that writes is
            # marked safe for plone.protect, as only the reader's own flags change.
            alsoProvides(self.request, IDisableCSRFProtection)
            mark_read(user_id)
        return self.index()
