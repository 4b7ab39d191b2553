"""The case register (spis spraw, K2) and the case record (metryka sprawy, K5) as tables.

Both are built here once, as a title, column headings and rows of text, and
then shown as a page (print CSS), written as CSV or laid out as PDF: the three
always carry the same content.

The register of a unit, JRWA class and year reads catalog metadata only; the
record reads the case's audit trail, which no one can edit.

PDF is made with fpdf2 (a maintained pure-Python library) and the DejaVu Sans
font shipped in ``ratusz/cases/fonts`` (free licence in LICENSE.txt), since the
PDF core fonts have no Polish letters.
"""

import csv
import io
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path

from fpdf import FPDF
from plone import api

from ratusz.cases.case import audit_trail
from ratusz.cases.jrwa import get_class
from ratusz.dates import display_date
from ratusz.i18n import _

FONTS = Path(__file__).parent / "fonts"
NO_DATA = _("no data")
POSITIONS = {"head": _("head"), "secretariat": _("secretariat"), "clerk": _("clerk")}


@dataclass
class Table:
    """A register or record: ``title``, ``headings`` and ``rows`` of strings (translated)."""

    title: str
    headings: list
    rows: list = field(default_factory=list)
    widths: tuple = ()
    subtitle: str = ""


def _date(value, tr):
    if not value:
        return tr(NO_DATA)
    return display_date(value)


def register_rows(unit, jrwa, year):
    """The cases of ``unit``, class ``jrwa`` and ``year``, by number, as catalog metadata dicts.

    >>> [row["sign"] for row in register_rows("OR", "0020", 2026)]
    ['OR.0020.1.2026', 'OR.0020.2.2026']
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(portal_type="Case", case_department=unit, case_jrwa=jrwa, case_year=year)
    rows = [dict(brain.case_summary or {}, url=brain.getURL()) for brain in brains]
    return sorted(rows, key=lambda row: row.get("number") or 0)


def register_table(unit, jrwa, year, tr):
    """The case register (K2) of a unit, class and year; ``tr`` translates."""
    entry = get_class(api.portal.get(), jrwa)
    title = tr(
        _(
            "Case register ${unit}.${jrwa} — ${year}",
            mapping={"unit": unit, "jrwa": jrwa, "year": str(year)},
        )
    )
    subtitle = f"{jrwa} {entry.title}" if entry is not None else jrwa
    table = Table(
        title=title,
        subtitle=subtitle,
        headings=[
            tr(_("No.")),
            tr(_("Subject")),
            tr(_("From whom (sign and date)")),
            tr(_("Started")),
            tr(_("Settled")),
            tr(_("Remarks (how settled)")),
        ],
        widths=(12, 70, 60, 25, 25, 85),
    )
    for data in register_rows(unit, jrwa, year):
        sender = data.get("sender") or ", ".join(data.get("parties") or ()) or tr(NO_DATA)
        sent = ", ".join(
            part
            for part in (
                data.get("sender_sign"),
                data.get("sender_date") and display_date(_iso(data["sender_date"])),
            )
            if part
        )
        table.rows.append(
            [
                str(data.get("number") or ""),
                data.get("subject") or "",
                f"{sender} ({sent})" if sent else sender,
                _date(_iso(data.get("start_date")), tr),
                _date(_iso(data.get("settled_on")), tr),
                data.get("settlement") or "",
            ]
        )
    return table


def _iso(value):
    return date.fromisoformat(value) if value else None


def record_table(case, tr):
    """The case record (K5, KPA art. 66a): every step with date, person, action, document."""
    table = Table(
        title=tr(_("Case record ${sign}", mapping={"sign": case.sign})),
        subtitle=case.title,
        headings=[
            tr(_("No.")),
            tr(_("Date")),
            tr(_("Person (name, position)")),
            tr(_("Action")),
            tr(_("Document")),
        ],
        widths=(12, 38, 62, 110, 55),
    )
    for number, entry in enumerate(audit_trail(case), start=1):
        position = POSITIONS.get(entry.get("position"))
        who = entry.get("name") or entry.get("user") or ""
        action = entry.get("action") or ""
        action = tr(action if getattr(action, "domain", None) else _(action))
        if entry.get("note"):
            action = f"{action}: {entry['note']}"
        table.rows.append(
            [
                str(number),
                display_date(entry["at"], True),
                f"{who} ({tr(position)})" if position else who,
                action,
                entry.get("document") or "",
            ]
        )
    return table


def as_csv(table):
    """The table as CSV (UTF-8 with BOM, semicolons: what a Polish spreadsheet opens as is)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headings)
    for row in table.rows:
        # A cell starting with = + - @ would be run as a formula by a spreadsheet.
        writer.writerow(["'" + cell if cell[:1] in "=+-@" else cell for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class _PDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=7)
        self.cell(0, 8, f"{self.footer_text} — {self.page_no()}/{{nb}}", align="C")


def as_pdf(table, footer=""):
    """The table as an A4 landscape PDF (bytes), headings repeated on every page."""
    pdf = _PDF(orientation="L", format="A4")
    pdf.footer_text = footer
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(table.title)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
    if table.subtitle:
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, table.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    with pdf.table(
        col_widths=table.widths or None,
        text_align="LEFT",
        repeat_headings=1,
        line_height=4.5,
    ) as grid:
        heading = grid.row()
        for text in table.headings:
            heading.cell(text)
        for cells in table.rows:
            row = grid.row()
            for text in cells:
                row.cell(text)
    return bytes(pdf.output())
