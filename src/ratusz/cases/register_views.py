"""The case register (K2), the case record (K5) and the disposal list (K6) as pages,
CSV and PDF (``?format=csv`` / ``?format=pdf``); pages print with the print CSS."""

from datetime import date
from urllib.parse import urlencode

from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.cases.archive import due_for_disposal
from ratusz.cases.jrwa import list_classes
from ratusz.cases.organisation import departments
from ratusz.cases.registers import Table
from ratusz.cases.registers import as_csv
from ratusz.cases.registers import as_pdf
from ratusz.cases.registers import record_table
from ratusz.cases.registers import register_table
from ratusz.i18n import _
from ratusz.i18n import translator
from ratusz.site.settings import get_city_settings

FORMATS = ("csv", "pdf")


def _year(text, default):
    try:
        year = int(text)
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= 2200 else default


class TablePage(BrowserView):
    """A table page; ``?format=csv|pdf`` sends the same table as a file."""

    index = ViewPageTemplateFile("templates/table_page.pt")
    filename = "table"

    def __call__(self):
        self.tr = translator(self.request)
        self.table = self.make_table()
        wanted = self.request.form.get("format")
        if self.table is not None and wanted in FORMATS:
            return self._file(wanted)
        return self.index()

    def _file(self, wanted):
        response = self.request.response
        if wanted == "csv":
            body = as_csv(self.table)
            response.setHeader("Content-Type", "text/csv; charset=utf-8")
        else:
            body = as_pdf(self.table, footer=get_city_settings().office_name or "")
            response.setHeader("Content-Type", "application/pdf")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{self.filename}.{wanted}"'
        )
        response.setHeader("Cache-Control", "private, no-store")
        return body

    def make_table(self):
        raise NotImplementedError

    def filters(self):
        """``[{"name", "label", "options" | None, "value"}]`` of the page's GET form."""
        return []

    def export_url(self, wanted):
        query = [(f["name"], f["value"]) for f in self.filters()] + [("format", wanted)]
        return f"{self.context.absolute_url()}/@@{self.__name__}?{urlencode(query)}"

    def empty_text(self):
        return self.tr(_("Nothing to list."))


class CaseRegisterView(TablePage):
    """``@@case-register?unit=OR&jrwa=0020&year=2026`` on the case folder."""

    def make_table(self):
        form = self.request.form
        self.unit = (form.get("unit") or "").strip()[:10]
        self.jrwa = (form.get("jrwa") or "").strip()[:10]
        self.year = _year(form.get("year"), date.today().year)
        if not self.unit or not self.jrwa:
            return None
        self.filename = f"spis-spraw-{self.unit}.{self.jrwa}-{self.year}"
        return register_table(self.unit, self.jrwa, self.year, self.tr)

    @property
    def heading(self):
        return self.table.title if self.table else self.tr(_("Case register"))

    def filters(self):
        units = [(d.symbol, f"{d.symbol} — {d.title}") for d in departments()]
        classes = [
            (entry.symbol, f"{entry.symbol} — {entry.title}")
            for entry in list_classes(api.portal.get(), final_only=True)
        ]
        return [
            {
                "name": "unit",
                "label": self.tr(_("Department")),
                "options": units,
                "value": self.unit,
            },
            {
                "name": "jrwa",
                "label": self.tr(_("JRWA class")),
                "options": classes,
                "value": self.jrwa,
            },
            {"name": "year", "label": self.tr(_("Year")), "options": None, "value": str(self.year)},
        ]


class CaseRecordView(TablePage):
    """``@@case-record`` on a case: the record from its audit trail."""

    def make_table(self):
        self.filename = f"metryka-{self.context.sign}"
        return record_table(self.context, self.tr)

    @property
    def heading(self):
        return self.table.title


class DisposalListView(TablePage):
    """``@@disposal-list?year=2037``: archived cases that may leave the archive that year."""

    def make_table(self):
        self.year = _year(self.request.form.get("year"), date.today().year)
        self.filename = f"spis-do-brakowania-{self.year}"
        table = Table(
            title=self.tr(
                _("Cases due for disposal or review in ${year}", mapping={"year": str(self.year)})
            ),
            headings=[
                self.tr(_("Case sign")),
                self.tr(_("Subject")),
                self.tr(_("Category")),
                self.tr(_("Settled")),
                self.tr(_("Kept until")),
                self.tr(_("What happens")),
            ],
            widths=(45, 95, 22, 25, 25, 65),
        )
        for data in due_for_disposal(self.year):
            table.rows.append(
                [
                    data.get("sign") or "",
                    data.get("subject") or "",
                    data.get("category") or "",
                    data.get("settled_on") or "",
                    str(data.get("retention_end") or ""),
                    self.tr(
                        _("Expert review by the State Archive")
                        if data.get("expert_review")
                        else _("May be disposed of")
                    ),
                ]
            )
        return table

    @property
    def heading(self):
        return self.table.title

    def filters(self):
        return [
            {"name": "year", "label": self.tr(_("Year")), "options": None, "value": str(self.year)}
        ]
