"""BIP registers: the items of a section as a sortable, filterable table.

A section whose "Register of" field names a type (``register_type``) lists its
items with that type's columns: legal acts by number, date, subject, body and
status; announcements by kind and publication period; and so on (``REGISTERS``).
Everything shown comes from catalog metadata (``bip_summary``, ``Title``,
``review_state``, ``getURL``): a register of thousands of acts wakes no object.

What a reader types in the address bar is never trusted: unknown filter values
are ignored with a visible note, unknown sort columns fall back to the default,
and every value shown is escaped by the template.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from functools import cached_property
from urllib.parse import urlencode

from plone import api
from plone.base.utils import safe_text
from plone.batching import Batch
from Products.Five import BrowserView
from Products.ZCTextIndex.ParseTree import ParseError
from Products.ZCTextIndex.ParseTree import QueryError
from zope.i18n import translate

from ratusz import dates
from ratusz.bip.indexers import natural_sort_key
from ratusz.bip.indexers import sortable_text
from ratusz.bip.vocabularies import VOCABULARIES
from ratusz.bip.vocabularies import term_title
from ratusz.i18n import _

PAGE_SIZE = 50
MAX_TEXT_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1990, 2100
ARCHIVED = "archived"
BAD_QUERY_CHARACTERS = ("?", "-", "+", "*", "\u3000", "(", ")")


def input_notes(ignored, shortened):
    """The notes telling a reader what of their input was ignored or shortened.

    >>> [str(note) for note in input_notes(["Year"], False)]
    ['Some filter values were not understood and are ignored: ${fields}.']
    """
    notes = []
    if ignored:
        notes.append(
            _(
                "Some filter values were not understood and are ignored: ${fields}.",
                mapping={"fields": ", ".join(ignored)},
            )
        )
    if shortened:
        notes.append(
            _(
                "The search text was shortened to ${limit} characters.",
                mapping={"limit": MAX_TEXT_LENGTH},
            )
        )
    return notes


@dataclass(frozen=True)
class Column:
    """One column of a register: what it shows and which catalog index sorts it.

    ``key`` is the ``bip_summary`` key (None: the item's title); ``show`` says
    how to display it: "text", "date", "datetime" or a vocabulary name.
    ``python_key`` sorts the rows when the catalog has no such index.
    """

    id: str
    title: str
    index: str
    key: str | None = None
    show: str = "text"
    link: bool = False
    python_key: object = None


@dataclass(frozen=True)
class Register:
    """The columns, filters and default order of one item type's register."""

    portal_type: str
    columns: tuple
    default_sort: str
    default_order: str = "descending"
    status_vocabulary: str | None = None
    kind_vocabulary: str | None = None
    kind_title: str = field(default=_("Kind"))
    body_vocabulary: str | None = None
    year_headings: bool = False

    def column(self, column_id):
        return next((column for column in self.columns if column.id == column_id), None)


TITLE = _("Title")


def _title_column(title=TITLE):
    return Column("title", title, "sortable_title", link=True)


REGISTERS = {
    "BipLegalAct": Register(
        portal_type="BipLegalAct",
        columns=(
            Column("number", _("Number"), "bip_number", "number", python_key=natural_sort_key),
            Column("date", _("Date of the act"), "bip_sort_date", "date", "date"),
            _title_column(_("Subject")),
            Column("body", _("Issued by"), "bip_body", "body", "ratusz.bip.act_bodies"),
            Column("status", _("Status"), "bip_status", "status", "ratusz.bip.act_statuses"),
        ),
        default_sort="date",
        status_vocabulary="ratusz.bip.act_statuses",
        kind_vocabulary="ratusz.bip.act_kinds",
        kind_title=_("Kind of act"),
        body_vocabulary="ratusz.bip.act_bodies",
        year_headings=True,
    ),
    "BipAnnouncement": Register(
        portal_type="BipAnnouncement",
        columns=(
            _title_column(),
            Column("kind", _("Kind"), "bip_kind", "kind", "ratusz.bip.announcement_kinds"),
            Column("valid_from", _("Published from"), "bip_sort_date", "valid_from", "date"),
            Column("valid_to", _("Published until"), "bip_end_date", "valid_to", "date"),
        ),
        default_sort="valid_from",
        kind_vocabulary="ratusz.bip.announcement_kinds",
    ),
    "BipProcurement": Register(
        portal_type="BipProcurement",
        columns=(
            Column(
                "reference_number",
                _("Reference number"),
                "bip_number",
                "reference_number",
                python_key=natural_sort_key,
            ),
            _title_column(),
            Column(
                "procedure",
                _("Procedure"),
                "bip_kind",
                "procedure",
                "ratusz.bip.procurement_procedures",
            ),
            Column("deadline", _("Deadline for offers"), "bip_sort_date", "deadline", "datetime"),
            Column(
                "status", _("Status"), "bip_status", "status", "ratusz.bip.procurement_statuses"
            ),
        ),
        default_sort="deadline",
        status_vocabulary="ratusz.bip.procurement_statuses",
        kind_vocabulary="ratusz.bip.procurement_procedures",
        kind_title=_("Procedure"),
    ),
    "BipJobVacancy": Register(
        portal_type="BipJobVacancy",
        columns=(
            Column(
                "position",
                _("Position"),
                "bip_name",
                "position",
                link=True,
                python_key=sortable_text,
            ),
            Column("unit", _("Unit"), "bip_unit", "unit", python_key=sortable_text),
            Column(
                "deadline",
                _("Deadline for applications"),
                "bip_sort_date",
                "deadline",
                "datetime",
            ),
            Column("status", _("Status"), "bip_status", "status", "ratusz.bip.vacancy_statuses"),
        ),
        default_sort="deadline",
        status_vocabulary="ratusz.bip.vacancy_statuses",
    ),
    "BipAssetDeclaration": Register(
        portal_type="BipAssetDeclaration",
        columns=(
            Column(
                "person", _("Person"), "bip_name", "person", link=True, python_key=sortable_text
            ),
            Column(
                "office", _("Office or position"), "bip_unit", "office", python_key=sortable_text
            ),
            Column("year", _("Year"), "bip_year", "year"),
            Column("kind", _("Kind"), "bip_kind", "kind", "ratusz.bip.declaration_kinds"),
        ),
        default_sort="year",
        kind_vocabulary="ratusz.bip.declaration_kinds",
        kind_title=_("Kind of declaration"),
    ),
}

SORT_ORDERS = ("ascending", "descending")


# Reading the query string ------------------------------------------------------------------


def form_value(request, name):
    """One text value of the query string: the first of repeated values, stripped.

    >>> form_value(request, "year")  # ?year=2026&year=2025
    '2026'
    """
    value = request.form.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if not isinstance(value, str | bytes):
        return ""
    return " ".join(safe_text(value).split())


def parse_year(value):
    """A year between 1990 and 2100 as an int; None for anything else.

    >>> parse_year("2026"), parse_year("abc"), parse_year("99999")
    (2026, None, None)
    """
    if not value.isdigit() or len(value) != 4:
        return None
    year = int(value)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def parse_choice(value, vocabulary_name):
    """``value`` when it is a term of the vocabulary, else None.

    >>> parse_choice("council", "ratusz.bip.act_bodies"), parse_choice("<b>", "...")
    ('council', None)
    """
    if not vocabulary_name or not value:
        return None
    return value if value in VOCABULARIES[vocabulary_name] else None


def shorten_text(value, limit=MAX_TEXT_LENGTH):
    """The search text cut to ``limit`` characters at a word boundary, and whether it was cut.

    >>> shorten_text("x" * 10_000)[1]
    True
    """
    if len(value) <= limit:
        return value, False
    cut = value[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut), True


def catalog_text_query(text):
    """A ZCTextIndex query that finds every word (as a prefix) and every number as typed.

    Operators, brackets and wildcards a reader types are taken as plain words;
    a number like ``XII/123/2026`` or ``ZP.271.12.2026`` becomes a phrase, so it
    is found exactly. Returns "" when nothing searchable is left.

    >>> catalog_text_query('uchwała XII/123/2026 AND (')
    'uchwała* AND "XII/123/2026"'
    """
    for character in BAD_QUERY_CHARACTERS:
        text = text.replace(character, " ")
    terms = []
    for word in text.replace('"', " ").split():
        if word.lower() in ("and", "or", "not"):
            continue
        if any(not character.isalnum() for character in word):
            parts = [part for part in _word_parts(word) if part]
            if len(parts) > 1:
                terms.append('"' + word + '"')
            elif parts:
                terms.append(parts[0] + "*")
        else:
            terms.append(word + "*")
    return " AND ".join(terms)


def _word_parts(word):
    part = ""
    for character in word:
        if character.isalnum():
            part += character
        else:
            yield part
            part = ""
    yield part


def search_catalog(query):
    """Catalog results for ``query``, or None when the text index refuses the query.

    Catalog security applies: anonymous visitors never get drafts.
    """
    try:
        return api.portal.get_tool("portal_catalog")(**query)
    except (ParseError, QueryError):
        return None


# Showing values ------------------------------------------------------------------------------


def display_date(iso, with_time=False):
    """A stored ISO date (``bip_summary``) in the page's language (``ratusz.dates``), or "".

    >>> display_date("2026-01-05")
    'Jan 05, 2026'
    """
    if not iso:
        return ""
    try:
        value = datetime.fromisoformat(iso) if with_time else date.fromisoformat(iso[:10])
    except (TypeError, ValueError):
        return safe_text(iso)
    return dates.display_date(value, with_time) or ""


def display_term(vocabulary_name, value, request):
    """The translated title of a vocabulary value stored in ``bip_summary``."""
    if value is None:
        return ""
    return translate(term_title(vocabulary_name, value), context=request)


def state_title(review_state, request):
    """The translated name of a workflow state shown on unpublished rows (staff only)."""
    titles = {
        "draft": _("Draft"),
        "pending": _("Pending review"),
        "archived": _("Archived"),
    }
    title = titles.get(review_state)
    return translate(title, context=request) if title else ""


# The views -----------------------------------------------------------------------------------


class RegisterTableView(BrowserView):
    """``bip-register-table``: the filter form, the table and its pages, embeddable.

    The section view renders it for a section whose ``register_type`` is set::

        table = queryMultiAdapter((section, request), name="bip-register-table")
        html = table()
    """

    def __call__(self):
        if self.register is None:
            return ""
        return self.index()

    # What the register is

    @cached_property
    def register(self):
        """The Register of the section's type, or None when the section is a plain list."""
        return REGISTERS.get(getattr(self.context, "register_type", None) or "")

    @property
    def columns(self):
        return self.register.columns

    @property
    def action_url(self):
        """The address the filter form and the column links go to (this page, no query)."""
        return self.request.get("ACTUAL_URL") or self.context.absolute_url()

    # What the reader asked for

    @cached_property
    def params(self):
        """The query string, checked: valid values kept, the others named in ``notes``."""
        register = self.register
        request = self.request
        params, ignored = {}, []

        def keep(name, label, value, parsed):
            if parsed is not None:
                params[name] = parsed
            elif value:
                ignored.append(translate(label, context=request))

        year = form_value(request, "year")
        keep("year", _("Year"), year, parse_year(year))
        for name, label, vocabulary in (
            ("body", _("Issued by"), register.body_vocabulary),
            ("status", _("Status"), register.status_vocabulary),
            ("kind", register.kind_title, register.kind_vocabulary),
        ):
            value = form_value(request, name)
            keep(name, label, value, parse_choice(value, vocabulary))
        text, shortened = shorten_text(form_value(request, "SearchableText"))
        if text:
            params["SearchableText"] = text
        sort_on = form_value(request, "sort_on")
        keep("sort_on", _("Sort by"), sort_on, sort_on if register.column(sort_on) else None)
        sort_order = form_value(request, "sort_order")
        checked_order = sort_order if sort_order in SORT_ORDERS else None
        keep("sort_order", _("Order"), sort_order, checked_order)
        if form_value(request, "archive") == "1":
            params["archive"] = "1"
        self._notes = input_notes(ignored, shortened)
        return params

    @property
    def notes(self):
        """Translated notes about ignored or shortened input, shown above the table."""
        self.params  # noqa: B018 -- reading the parameters writes the notes
        notes = list(self._notes)
        if self.results is None:
            notes.append(_("The search text could not be understood. Use simple words."))
        return [translate(note, context=self.request) for note in notes]

    @property
    def sort_on(self):
        return self.params.get("sort_on", self.register.default_sort)

    @property
    def sort_order(self):
        return self.params.get("sort_order", self.register.default_order)

    @property
    def archive(self):
        return self.params.get("archive") == "1"

    @property
    def b_start(self):
        value = form_value(self.request, "b_start")
        return int(value) if value.isdigit() and len(value) < 9 else 0

    # Querying the catalog

    def query(self):
        """The catalog query of the register page the reader asked for."""
        params = self.params
        query = {
            "path": "/".join(self.context.getPhysicalPath()),
            "portal_type": self.register.portal_type,
            "review_state": ARCHIVED if self.archive else {"not": ARCHIVED},
        }
        for param, index in (
            ("year", "bip_year"),
            ("body", "bip_body"),
            ("status", "bip_status"),
            ("kind", "bip_kind"),
        ):
            if param in params:
                query[index] = params[param]
        if "SearchableText" in params:
            text = catalog_text_query(params["SearchableText"])
            if text:
                query["SearchableText"] = text
        column = self.register.column(self.sort_on)
        if self._has_index(column.index):
            query["sort_on"] = column.index
            query["sort_order"] = self.sort_order
            if column.index != "sortable_title":
                # A stable order among equal values (e.g. all acts of one day).
                query["sort_on"] = [column.index, "sortable_title"]
                query["sort_order"] = [self.sort_order, "ascending"]
        return query

    def _has_index(self, name):
        return name in api.portal.get_tool("portal_catalog").indexes()

    @cached_property
    def results(self):
        """The catalog results in the order asked for, or None for a refused text query."""
        results = search_catalog(self.query())
        if results is None:
            return None
        column = self.register.column(self.sort_on)
        if not self._has_index(column.index):
            # The site lacks this column's index (added by an upgrade step):
            # sort on the metadata, still without waking an object.
            results = sorted(
                results,
                key=lambda brain: self._python_sort_key(column, brain),
                reverse=self.sort_order == "descending",
            )
        return results

    @staticmethod
    def _python_sort_key(column, brain):
        summary = brain.bip_summary or {}
        value = brain.Title if column.key is None else summary.get(column.key)
        value = "" if value is None else value
        return column.python_key(value) if column.python_key else value

    @cached_property
    def batch(self):
        return Batch(self.results or [], PAGE_SIZE, start=self.b_start)

    @property
    def count(self):
        return len(self.results or [])

    def batch_navigation(self):
        navigation = api.content.get_view("batchnavigation", self.context, self.request)
        return navigation(self.batch, batchformkeys=[*self.params, "b_start"])

    # Rows

    def groups(self):
        """The rows of this page, under year headings where the register is by year.

        Legal acts sorted by date and not filtered by year are grouped per year
        (the register "per year and body"); everything else is one group.
        """
        rows = [self.row(brain) for brain in self.batch]
        if not self.year_headings:
            return [{"year": None, "rows": rows}]
        groups = []
        for row in rows:
            if not groups or groups[-1]["year"] != row["year"]:
                groups.append({"year": row["year"], "rows": []})
            groups[-1]["rows"].append(row)
        return groups

    @property
    def year_headings(self):
        return self.register.year_headings and self.sort_on == "date" and "year" not in self.params

    def row(self, brain):
        """One table row from a catalog brain (metadata only, never getObject)."""
        summary = brain.bip_summary or {}
        review_state = brain.review_state
        return {
            "url": brain.getURL(),
            "year": (summary.get("date") or "")[:4] or None,
            "state": review_state,
            "state_title": state_title(review_state, self.request),
            "cells": [self.cell(column, brain, summary) for column in self.columns],
        }

    def cell(self, column, brain, summary):
        """One cell: its column, its text, its machine-readable date and whether it links.

        >>> view.cell(date_column, brain, {"date": "2026-01-05"})["datetime"]
        '2026-01-05'
        """
        value = brain.Title if column.key is None else summary.get(column.key)
        return {
            "column": column.id,
            "text": self.cell_text(column, value),
            "datetime": value if column.show in ("date", "datetime") else None,
            "link": column.link,
        }

    def cell_text(self, column, value):
        """The text a reader sees for a stored value: a local date, a translated term, …"""
        if value is None:
            return ""
        if column.show in ("date", "datetime"):
            return display_date(value, with_time=column.show == "datetime")
        if column.show != "text":
            return display_term(column.show, value, self.request)
        return safe_text(str(value))

    # Links and form options

    def url_with(self, **changes):
        """This register's address with the checked parameters, changed by ``changes``.

        A change to None drops the parameter; every change starts again at page one.
        """
        params = {**self.params, **changes}
        params = {key: value for key, value in params.items() if value not in (None, "")}
        query = urlencode(params)
        return f"{self.action_url}?{query}" if query else self.action_url

    def header(self, column):
        """The column header: its title, its sort link and its ``aria-sort``."""
        sorted_here = column.id == self.sort_on
        next_order = "descending" if sorted_here and self.sort_order == "ascending" else "ascending"
        return {
            "id": column.id,
            "title": translate(column.title, context=self.request),
            "url": self.url_with(sort_on=column.id, sort_order=next_order),
            "aria_sort": self.sort_order if sorted_here else None,
        }

    def headers(self):
        return [self.header(column) for column in self.columns]

    def archive_url(self):
        return self.url_with(archive=None if self.archive else "1")

    def clear_url(self):
        """Filters cleared; the archive choice and the order stay."""
        return self.url_with(year=None, body=None, status=None, kind=None, SearchableText=None)

    def year_options(self):
        """The years the BIP has items of, newest first (the index's own list: no query)."""
        years = api.portal.get_tool("portal_catalog").uniqueValuesFor("bip_year")
        selected = self.params.get("year")
        return [
            {"value": year, "title": str(year), "selected": year == selected}
            for year in sorted({y for y in years if isinstance(y, int)}, reverse=True)
        ]

    def vocabulary_options(self, param):
        """The options of the body, status or kind filter; [] where the type has none."""
        vocabulary_name = {
            "body": self.register.body_vocabulary,
            "status": self.register.status_vocabulary,
            "kind": self.register.kind_vocabulary,
        }[param]
        if not vocabulary_name:
            return []
        selected = self.params.get(param)
        return [
            {
                "value": term.value,
                "title": translate(term.title, context=self.request),
                "selected": term.value == selected,
            }
            for term in VOCABULARIES[vocabulary_name]
        ]

    def kind_title(self):
        return translate(self.register.kind_title, context=self.request)

    def register_title(self):
        """The register's name for the table caption: the section's title."""
        return self.context.Title()


class RegisterPageView(BrowserView):
    """``@@bip-register``: the section's register as a page of its own."""

    def table(self):
        return api.content.get_view("bip-register-table", self.context, self.request)()

    def is_register(self):
        return bool(REGISTERS.get(getattr(self.context, "register_type", None) or ""))
