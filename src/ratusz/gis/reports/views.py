"""Pages of citizen reports: the board, the form and its receipt, tracking, triage, a report.

Every page escapes what residents typed (TAL does; the map's popups are built
with textContent by the map element), and lists read catalog metadata only.
"""

from urllib.parse import urlencode

from AccessControl import Unauthorized
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from plone.batching import Batch
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import alsoProvides

from ratusz.dates import display_date
from ratusz.eservices.privacy import HONEYPOT_FIELD
from ratusz.eservices.settings import eservices_setting
from ratusz.gis.reports.categories import category_title
from ratusz.gis.reports.categories import current_language
from ratusz.gis.reports.categories import report_categories
from ratusz.gis.reports.content import HANDLE_TITLE
from ratusz.gis.reports.content import PUBLIC_STATES
from ratusz.gis.reports.content import STATES
from ratusz.gis.reports.content import state_title
from ratusz.gis.reports.create import ReportRefused
from ratusz.gis.reports.create import create_report
from ratusz.gis.reports.settings import default_report_clause
from ratusz.gis.reports.settings import reports_setting
from ratusz.gis.reports.tracking import StatusRefused
from ratusz.gis.reports.tracking import original_of
from ratusz.gis.reports.tracking import public_status
from ratusz.gis.reports.tracking import status_url
from ratusz.gis.reports.tracking import verified_report
from ratusz.gis.reports.workflow import TRANSITION_TITLES
from ratusz.gis.reports.workflow import DuplicateRefused
from ratusz.gis.reports.workflow import mark_duplicate
from ratusz.gis.reports.workflow import why_not_duplicate
from ratusz.i18n import _
from ratusz.i18n import translator

RECENT = 50
MAX_FILTER = 100
PAGE_SIZE = 50  # rows of the triage a page
FIELDS = ("category", "description", "latitude", "longitude", "address", "photo")
FIELDS += ("name", "email", "phone", "acknowledged")


def map_html(request, **options):
    """The map element (ratusz.gis.maps), or "" where it is not available: every page that
    shows a map has its text alternative beside it."""
    try:
        from ratusz.gis.maps import map_element
    except ImportError:
        return ""
    return map_element(request, **options)


def client_address(request):
    """The client's address as the rate limits see it."""
    return request.getClientAddr() or "?"


def may_handle(context):
    return bool(api.user.has_permission(HANDLE_TITLE, obj=context))


def markers_url(board):
    return f"{board.absolute_url()}/++api++/@geojson?portal_type=CitizenReport"


class _Page(BrowserView):
    def tr(self, message):
        if not hasattr(self, "_tr"):
            self._tr = translator(self.request)
        return self._tr(message)

    @property
    def language(self):
        return current_language(self.request)

    def date(self, value, with_time=False):
        return display_date(value, with_time) if value else "—"


class BoardView(_Page):
    """``/pl/zgloszenia``: the link to the form, the map of public reports and their list."""

    def form_url(self):
        return f"{self.context.absolute_url()}/@@report-problem"

    def status_page_url(self):
        return f"{self.context.absolute_url()}/@@report-status"

    def triage_url(self):
        return (
            f"{self.context.absolute_url()}/@@reports-triage" if may_handle(self.context) else None
        )

    def map(self):
        return map_html(
            self.request,
            markers=markers_url(self.context),
            label=self.tr(_("Map of reports")),
        )

    def recent(self):
        """The latest public reports, from catalog metadata."""
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(
            portal_type="CitizenReport",
            path="/".join(self.context.getPhysicalPath()),
            review_state=list(PUBLIC_STATES),
            sort_on="created",
            sort_order="descending",
            sort_limit=RECENT,
        )[:RECENT]
        return [self._row(brain) for brain in brains]

    def _row(self, brain):
        summary = brain.report_summary or {}
        description = brain.Description or ""
        return {
            "number": summary.get("number"),
            "url": brain.getURL(),
            "category": category_title(summary.get("category"), self.language),
            "state": brain.review_state,
            "state_title": state_title(brain.review_state, request=self.request),
            "address": summary.get("address"),
            "district": summary.get("district"),
            "created": self.date(_datetime(summary.get("created"))),
            "description": description if len(description) <= 200 else description[:199] + "…",
            "duplicate_of": summary.get("duplicate_of"),
        }


def _datetime(text):
    from datetime import datetime

    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


class ReportFormView(_Page):
    """``@@report-problem``: anyone files a report; the receipt shows its number and token."""

    index = ViewPageTemplateFile("templates/report_form.pt")
    receipt_template = ViewPageTemplateFile("templates/receipt.pt")

    def __call__(self):
        self.errors = {}
        self.values = dict.fromkeys(FIELDS, "")
        self.receipt = None
        if self.request.method == "POST":
            self.submit()
        if self.receipt is not None:
            self.request.response.setHeader("Cache-Control", "no-store")
            self.request.response.setHeader("Referrer-Policy", "no-referrer")
            return self.receipt_template()
        if self.errors:
            self.request.response.setStatus(400)
        return self.index()

    def submit(self):
        CheckAuthenticator(self.request)
        form = self.request.form
        for name in FIELDS:
            value = form.get(name)
            if name != "photo":
                self.values[name] = value[:5000] if isinstance(value, str) else ""
        if " ".join(str(form.get(HONEYPOT_FIELD) or "").split()):
            self.errors[None] = self.tr(_("The form could not be sent. Please try again."))
            return
        if not form.get("acknowledged"):
            self.errors["acknowledged"] = self.tr(
                _("Confirm that you have read the information clause.")
            )
            return
        upload = form.get("photo")
        photo = None
        if getattr(upload, "filename", None):
            from ratusz.gis.reports.photos import read_limited

            limit = reports_setting("max_photo_mb") * 1024 * 1024
            photo = (upload.filename, read_limited(upload, limit))
        values = self.values
        try:
            report, token = create_report(
                self.context,
                category=values["category"],
                description=form.get("description")
                if isinstance(form.get("description"), str)
                else "",
                latitude=values["latitude"],
                longitude=values["longitude"],
                address=values["address"],
                photo=photo,
                name=values["name"],
                email=values["email"],
                phone=values["phone"],
                language=self.language,
                client=client_address(self.request),
                user_id=None if api.user.is_anonymous() else api.user.get_current().getId(),
            )
        except ReportRefused as refusal:
            self.errors[refusal.field if refusal.field in FIELDS else None] = self.tr(
                refusal.message
            )
            return
        # The report is made by the system user: nothing of the resident's session to protect.
        alsoProvides(self.request, IDisableCSRFProtection)
        self.receipt = {
            "number": report.report_number,
            "token": token,
            "status_url": status_url(report, token),
            "category": category_title(report.report_category, self.language),
            "mailed": bool(values["email"]),
        }

    # --- for the template ------------------------------------------------------------------

    def categories(self):
        language = self.language
        return [
            {
                "code": c["code"],
                "title": c[language],
                "selected": c["code"] == self.values["category"],
            }
            for c in report_categories()
        ]

    def error(self, name):
        return self.errors.get(name)

    def summary(self):
        """The errors for the summary above the form: ``[{"field", "message"}]``."""
        return [{"field": name, "message": message} for name, message in self.errors.items()]

    def field_id(self, name):
        return f"report-{name}"

    def map(self):
        return map_html(
            self.request,
            markers=None,
            pick={"latitude": "#report-latitude", "longitude": "#report-longitude"},
            label=self.tr(_("Map: click the place of the problem")),
        )

    def clause(self):
        text = reports_setting("information_clause") or default_report_clause(self.request)
        return [part.strip() for part in text.split("\n\n") if part.strip()]

    def clause_url(self):
        return eservices_setting("information_clause_url") or ""

    def max_photo_mb(self):
        return reports_setting("max_photo_mb")

    def honeypot(self):
        return HONEYPOT_FIELD


class ReportStatusView(_Page):
    """``@@report-status``: the number and the token show the report's state and history."""

    def __call__(self):
        form = self.request.form
        self.number = form.get("number") if isinstance(form.get("number"), str) else ""
        self.number = self.number[:40]
        self.status = None
        self.error = None
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("Referrer-Policy", "no-referrer")
        if form.get("number") is not None or form.get("token") is not None:
            token = form.get("token") if isinstance(form.get("token"), str) else ""
            try:
                report = verified_report(self.number, token, client_address(self.request))
            except StatusRefused as refusal:
                self.error = self.tr(refusal.message)
                response.setStatus(404)
            else:
                self.status = public_status(report, self.language)
        return self.index()


class TriageView(_Page):
    """``@@reports-triage`` (staff): the board's reports by state, category and district,
    PAGE_SIZE a page (Plone's batch navigation keeps the filters in its links)."""

    def update(self):
        form = self.request.form

        def chosen(name, allowed=None):
            value = form.get(name)
            value = value if isinstance(value, str) else ""
            value = value[:MAX_FILTER]
            return value if allowed is None or value in allowed else ""

        self.state = chosen("state", dict(STATES))
        self.category = chosen("category", {c["code"] for c in report_categories()})
        self.district = chosen("district")
        catalog = api.portal.get_tool("portal_catalog")
        base = {
            "portal_type": "CitizenReport",
            "path": "/".join(self.context.getPhysicalPath()),
        }
        everything = catalog(**base)
        self.counts = {state: 0 for state, _title in STATES}
        districts = set()
        for brain in everything:
            self.counts[brain.review_state] = self.counts.get(brain.review_state, 0) + 1
            district = (brain.report_summary or {}).get("district")
            if district:
                districts.add(district)
        self.districts = sorted(districts)
        # Newest first by number: exact (the created index keeps only minutes), so the pages
        # of the batch never share or skip a report.
        query = dict(base, sort_on="report_number", sort_order="descending")
        if self.state:
            query["review_state"] = self.state
        if self.category:
            query["geo_category"] = self.category
        if self.district:
            query["report_district"] = self.district
        self.found = catalog(**query)

    def __call__(self):
        self.update()
        return self.index()

    def states(self):
        base = self.context.absolute_url()
        return [
            {
                "id": state,
                "title": self.tr(title),
                "count": self.counts.get(state, 0),
                "selected": state == self.state,
                "url": f"{base}/@@reports-triage?{urlencode({'state': state})}",
            }
            for state, title in STATES
        ]

    def categories(self):
        language = self.language
        return [
            {"code": c["code"], "title": c[language], "selected": c["code"] == self.category}
            for c in report_categories()
        ]

    def batch(self):
        """The page of ``found`` asked for by ``b_start`` (PAGE_SIZE rows; a wrong start: the
        first page, one past the end: the last page)."""
        try:
            start = max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError):
            start = 0
        total = len(self.found)
        if total and start >= total:
            start = (total - 1) // PAGE_SIZE * PAGE_SIZE
        return Batch(self.found, PAGE_SIZE, start)

    def rows(self, batch):
        language = self.language
        rows = []
        for brain in batch:
            summary = brain.report_summary or {}
            rows.append(
                {
                    "number": summary.get("number"),
                    "url": brain.getURL(),
                    "created": self.date(_datetime(summary.get("created")), True),
                    "category": category_title(summary.get("category"), language),
                    "district": summary.get("district") or "—",
                    "address": summary.get("address") or "—",
                    "has_point": summary.get("has_point"),
                    "has_photo": summary.get("has_photo"),
                    "state": brain.review_state,
                    "state_title": state_title(brain.review_state, request=self.request),
                }
            )
        return rows


class ReportView(_Page):
    """A report's page: what the public may read; staff also the reporter and the notes."""

    def staff(self):
        return may_handle(self.context)

    def state(self):
        return api.content.get_state(self.context)

    def state_title(self):
        return state_title(self.state(), request=self.request)

    def category(self):
        return category_title(self.context.report_category, self.language)

    def original(self):
        if self.state() != "duplicate":
            return None
        return original_of(self.context)

    def photo_url(self):
        photo = self.context.photo
        if photo is None:
            return None
        return f"{self.context.absolute_url()}/@@images/photo/large"

    def original_photo_url(self):
        if not self.staff() or self.context.photo_original is None:
            return None
        return f"{self.context.absolute_url()}/@@download/photo_original"

    def point(self):
        geolocation = getattr(self.context, "geolocation", None)
        latitude = getattr(geolocation, "latitude", None)
        longitude = getattr(geolocation, "longitude", None)
        if latitude is None or longitude is None:
            return None
        return {"latitude": f"{latitude:.6f}", "longitude": f"{longitude:.6f}"}

    def map(self):
        point = self.point()
        if point is None:
            return ""
        # The board's markers in a box of about 20 m around this one (a report is an item:
        # it has no @geojson of its own).
        latitude, longitude = float(point["latitude"]), float(point["longitude"])
        box = ",".join(
            f"{value:.6f}"
            for value in (longitude - 1e-4, latitude - 1e-4, longitude + 1e-4, latitude + 1e-4)
        )
        board = aq_parent(aq_inner(self.context))
        return map_html(
            self.request,
            markers=f"{markers_url(board)}&{urlencode({'bbox': box})}",
            label=self.tr(_("Map: the place of the report")),
            height="18rem",
        )

    def created(self):
        created = self.context.created()
        return self.date(created.asdatetime() if created is not None else None, True)

    def transitions(self):
        """The steps the current user may take now (the workflow's guards decide)."""
        if not self.staff():
            return []
        workflow = api.portal.get_tool("portal_workflow")
        found = []
        for transition in workflow.getTransitionsFor(self.context):
            found.append(
                {
                    "id": transition["id"],
                    "title": self.tr(TRANSITION_TITLES.get(transition["id"], transition["title"])),
                    "duplicate": transition["id"] == "mark_duplicate",
                }
            )
        return found

    def transition_url(self):
        return f"{self.context.absolute_url()}/@@report-transition"

    def duplicate_url(self):
        return f"{self.context.absolute_url()}/@@report-duplicate"

    def edit_url(self):
        if api.user.has_permission("Modify portal content", obj=self.context):
            return f"{self.context.absolute_url()}/edit"
        return None


class TransitionView(BrowserView):
    """``POST @@report-transition`` (``transition``, ``comment``): one step from the report page."""

    def __call__(self):
        if self.request.method != "POST":
            raise Unauthorized("POST only")
        CheckAuthenticator(self.request)
        if not may_handle(self.context):
            raise Unauthorized("Staff only")
        transition = self.request.form.get("transition")
        transition = transition if isinstance(transition, str) else ""
        workflow = api.portal.get_tool("portal_workflow")
        available = {t["id"] for t in workflow.getTransitionsFor(self.context)}
        if transition == "mark_duplicate":
            self.request.response.redirect(f"{self.context.absolute_url()}/@@report-duplicate")
            return ""
        if transition not in available:
            api.portal.show_message(
                _("This step is not possible in the report's present state."),
                self.request,
                type="error",
            )
        else:
            comment = self.request.form.get("comment")
            comment = comment[:2000] if isinstance(comment, str) else ""
            api.content.transition(obj=self.context, transition=transition, comment=comment)
            api.portal.show_message(
                _(
                    "The report is now: ${state}.",
                    mapping={
                        "state": state_title(
                            api.content.get_state(self.context), request=self.request
                        )
                    },
                ),
                self.request,
                type="info",
            )
        self.request.response.redirect(self.context.absolute_url())
        return ""


class DuplicateView(_Page):
    """``@@report-duplicate`` (staff): mark the report as a duplicate of an original."""

    def __call__(self):
        self.error = None
        self.value = ""
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            value = self.request.form.get("original")
            self.value = value[:300] if isinstance(value, str) else ""
            refusal = why_not_duplicate(self.context)
            if refusal is not None:
                self.error = self.tr(refusal)
            else:
                try:
                    original = mark_duplicate(self.context, self.value)
                except DuplicateRefused as refusal:
                    self.error = self.tr(refusal.message)
                else:
                    api.portal.show_message(
                        _(
                            "Marked as a duplicate of ${number}.",
                            mapping={"number": original.report_number},
                        ),
                        self.request,
                        type="info",
                    )
                    self.request.response.redirect(self.context.absolute_url())
                    return ""
            self.request.response.setStatus(400)
        return self.index()
