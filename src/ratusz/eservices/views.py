"""Pages of e-services: the catalogue, a card, the receipt on the thank-you page, tracking."""

import re

from plone import api
from plone.app.layout.viewlets import ViewletBase
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

from ratusz.cases.organisation import department_by_symbol
from ratusz.dates import display_date
from ratusz.eservices.card import LIFE_EVENTS
from ratusz.eservices.card import online_form
from ratusz.eservices.mails import receipt_lines
from ratusz.eservices.receipt_pdf import receipt_pdf
from ratusz.eservices.receipt_pdf import receipt_pdf_name
from ratusz.eservices.receipt_pdf import receipt_pdf_url
from ratusz.eservices.submission import RECEIPT_KEY
from ratusz.eservices.submission import receipt_of
from ratusz.eservices.submission import status_url
from ratusz.eservices.tracking import TrackingRefused
from ratusz.eservices.tracking import case_status
from ratusz.eservices.tracking import verified_case
from ratusz.files import child_files
from ratusz.i18n import _

MAX_QUERY = 200


class _Translating:
    def tr(self, message):
        return translate(message, context=self.request)


def client_address(request):
    """The client's address as the throttles see it (the proxy's forwarded address if any)."""
    return request.getClientAddr() or "?"


class CatalogueView(_Translating, BrowserView):
    """``/pl/e-uslugi``: every published card, searchable and filtered by life event."""

    def query_text(self):
        return " ".join((self.request.form.get("q") or "").split())[:MAX_QUERY]

    def event(self):
        event = self.request.form.get("event") or ""
        return event if event in dict(LIFE_EVENTS) else ""

    def events(self):
        current = self.event()
        base = self.context.absolute_url()
        return [
            {
                "id": event_id,
                "title": self.tr(title),
                "url": f"{base}?event={event_id}",
                "current": event_id == current,
            }
            for event_id, title in LIFE_EVENTS
        ]

    def cards(self):
        query = {
            "portal_type": "ServiceCard",
            "path": "/".join(self.context.getPhysicalPath()),
            "sort_on": "sortable_title",
        }
        if self.event():
            query["service_life_events"] = self.event()
        text = self.query_text()
        if text:
            # Words only: quotes, brackets and operators typed by a visitor would be
            # read as query syntax by the text index (and fail the page).
            words = [w for w in re.findall(r"\w+", text) if w.lower() not in ("and", "or", "not")]
            if words:
                query["SearchableText"] = " ".join(f"{w}*" for w in words)
        events = dict(LIFE_EVENTS)
        found = []
        for brain in api.content.find(**query):
            summary = brain.service_summary or {}
            found.append(
                {
                    "title": brain.Title,
                    "description": brain.Description,
                    "url": brain.getURL(),
                    "handling_time": summary.get("handling_time"),
                    "has_form": summary.get("has_form"),
                    "events": [
                        self.tr(events[e]) for e in summary.get("life_events", ()) if e in events
                    ],
                }
            )
        return found


class CardView(_Translating, BrowserView):
    """A service card as a resident reads it."""

    def department(self):
        department = department_by_symbol(self.context.department or "")
        return department.title if department is not None else None

    def form_url(self):
        form = online_form(self.context)
        if form is None or not api.user.has_permission("View", obj=form):
            return None
        return form.absolute_url()

    def templates(self):
        return child_files(self.context)

    def related(self):
        found = []
        for relation in self.context.related or ():
            target = relation.to_object if not relation.isBroken() else None
            if target is not None and api.user.has_permission("View", obj=target):
                found.append({"title": target.Title(), "url": target.absolute_url()})
        return found

    def events(self):
        events = dict(LIFE_EVENTS)
        return [self.tr(events[e]) for e in self.context.life_events or () if e in events]


class ReceiptViewlet(_Translating, ViewletBase):
    """The receipt on the thank-you page of a form that registered a case."""

    index = ViewPageTemplateFile("templates/receipt.pt")

    def update(self):
        super().update()
        self.receipt = IAnnotations(self.request).get(RECEIPT_KEY)

    def render(self):
        return self.index() if self.receipt else ""

    def rows(self):
        receipt = self.receipt
        rows = [
            (_("Office"), receipt["office"]),
            (_("Service"), receipt["service"]),
            (_("Case sign"), receipt["sign"]),
            (_("Incoming number"), receipt["number"]),
            (_("Received"), f"{receipt['received']:%Y-%m-%d %H:%M:%S}"),
            (_("Receipt issued"), f"{receipt['issued']:%Y-%m-%d %H:%M:%S}"),
        ]
        if receipt.get("deadline"):
            rows.append((_("Deadline"), display_date(receipt["deadline"])))
        rows.append((_("SHA-256 digest of the submission"), receipt["digest"]))
        return [{"label": self.tr(label), "value": value} for label, value in rows]

    def pdf_url(self):
        return receipt_pdf_url()


class ReceiptPdfView(BrowserView):
    """``POST @@eservice-receipt-pdf`` (sign, key): the receipt as PDF, made on request.

    The key is not stored, so the PDF cannot be a stored file; made here, it costs
    the submission nothing. Wrong keys count against the tracking throttle.
    """

    def __call__(self):
        form = self.request.form
        try:
            case = verified_case(
                form.get("sign") or "", form.get("key") or "", client_address(self.request)
            )
        except TrackingRefused as refusal:
            self.request.response.setStatus(404)
            return translate(refusal.message, context=self.request)
        receipt = receipt_of(case, form.get("key"), status_url(self.request))
        pdf = receipt_pdf(receipt, receipt_lines(receipt, receipt["language"]))
        response = self.request.response
        response.setHeader("Content-Type", "application/pdf")
        response.setHeader(
            "Content-Disposition",
            f'attachment; filename="{receipt_pdf_name(case.sign)}"',
        )
        response.setHeader("Cache-Control", "no-store")
        return pdf


class StatusView(_Translating, BrowserView):
    """``/pl/status-sprawy``: the case sign and the key show the case's public status."""

    def update(self):
        form = self.request.form
        self.sign = (form.get("sign") or "")[:100]
        self.status = None
        self.error = None
        if form.get("sign") is not None or form.get("key") is not None:
            try:
                self.status = case_status(
                    form.get("sign") or "", form.get("key") or "", client_address(self.request)
                )
            except TrackingRefused as refusal:
                self.error = self.tr(refusal.message)

    def __call__(self):
        self.update()
        return self.index()

    def date(self, value, with_time=False):
        return display_date(value, with_time) if value else "—"
