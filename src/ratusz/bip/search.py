"""The BIP search module (rBIP § 11): full text and filters over one language's BIP.

``@@bip-search`` on the BIP root searches that language's whole BIP; on a section,
that section only. Results are catalog brains (title, type, date, description,
archival mark): nothing is woken. Catalog security decides who finds what, so
anonymous visitors never find drafts.
"""

from functools import cached_property

from plone import api
from plone.base.utils import safe_text
from plone.batching import Batch
from Products.Five import BrowserView
from zope.i18n import translate

from ratusz.bip.interfaces import IBipRoot
from ratusz.bip.listings import ARCHIVED
from ratusz.bip.listings import PAGE_SIZE
from ratusz.bip.listings import catalog_text_query
from ratusz.bip.listings import display_date
from ratusz.bip.listings import form_value
from ratusz.bip.listings import input_notes
from ratusz.bip.listings import parse_choice
from ratusz.bip.listings import parse_year
from ratusz.bip.listings import search_catalog
from ratusz.bip.listings import shorten_text
from ratusz.bip.listings import state_title
from ratusz.bip.vocabularies import VOCABULARIES
from ratusz.i18n import _

# The types a BIP search returns, in the order the type filter offers them.
SEARCH_TYPES = (
    "BipLegalAct",
    "BipAnnouncement",
    "BipProcurement",
    "BipJobVacancy",
    "BipAssetDeclaration",
    "BipPage",
    "BipSection",
)

# The types that have a status, and the vocabulary of each.
STATUS_VOCABULARIES = (
    ("BipLegalAct", "ratusz.bip.act_statuses"),
    ("BipProcurement", "ratusz.bip.procurement_statuses"),
    ("BipJobVacancy", "ratusz.bip.vacancy_statuses"),
)

SNIPPET_LENGTH = 300


def is_status(value):
    """True when ``value`` is a status of any BIP type.

    >>> is_status("in_force"), is_status("<script>")
    (True, False)
    """
    return any(value in VOCABULARIES[name] for _type, name in STATUS_VOCABULARIES)


def snippet(text, length=SNIPPET_LENGTH):
    """The description cut to ``length`` characters at a word boundary, with an ellipsis.

    >>> snippet("Uchwała w sprawie budżetu miasta na rok 2026", 20)
    'Uchwała w sprawie…'
    """
    text = " ".join(safe_text(text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "\u2026"


def type_title(portal_type, request):
    """The translated title of a content type (its FTI's title, domain ``ratusz``)."""
    fti = api.portal.get_tool("portal_types").get(portal_type)
    return translate(fti.Title(), context=request) if fti is not None else portal_type


def result_date(brain):
    """The date a result shows: the item's own date, else its publication date.

    Returns (text, ISO date) or ("", None).
    """
    summary = brain.bip_summary or {}
    for key, with_time in (("date", False), ("valid_from", False), ("deadline", True)):
        if summary.get(key):
            return display_date(summary[key], with_time=with_time), summary[key][:10]
    if summary.get("year"):
        return str(summary["year"]), str(summary["year"])
    effective = brain.effective
    if effective is not None and getattr(effective, "year", lambda: 0)() > 1900:
        iso = effective.ISO8601()[:10]
        return display_date(iso), iso
    return "", None


class BipSearchView(BrowserView):
    """``@@bip-search``: the search form and, once something is asked, the results."""

    @property
    def search_url(self):
        return f"{self.context.absolute_url()}/@@bip-search"

    def is_whole_bip(self):
        return IBipRoot.providedBy(self.context)

    # What the reader asked for

    @cached_property
    def params(self):
        """The checked query string; ignored or shortened input is named in ``notes``."""
        request = self.request
        params, ignored = {}, []

        def keep(name, label, value, parsed):
            if parsed is not None:
                params[name] = parsed
            elif value:
                ignored.append(translate(label, context=request))

        portal_type = form_value(request, "portal_type")
        keep(
            "portal_type",
            _("Type"),
            portal_type,
            portal_type if portal_type in SEARCH_TYPES else None,
        )
        year = form_value(request, "year")
        keep("year", _("Year"), year, parse_year(year))
        body = form_value(request, "body")
        keep("body", _("Issued by"), body, parse_choice(body, "ratusz.bip.act_bodies"))
        status = form_value(request, "status")
        keep("status", _("Status"), status, status if is_status(status) else None)
        text, shortened = shorten_text(form_value(request, "SearchableText"))
        if text:
            params["SearchableText"] = text
        self._notes = input_notes(ignored, shortened)
        return params

    @property
    def searched(self):
        """True once the reader asked for something: words or a filter."""
        return bool(self.params)

    @property
    def notes(self):
        self.params  # noqa: B018 -- reading the parameters writes the notes
        notes = list(self._notes)
        if self.searched and self.results is None:
            notes.append(_("The search text could not be understood. Use simple words."))
        return [translate(note, context=self.request) for note in notes]

    @property
    def b_start(self):
        value = form_value(self.request, "b_start")
        return int(value) if value.isdigit() and len(value) < 9 else 0

    # Querying the catalog

    def query(self):
        """The catalog query: BIP types under this section, the words and the filters."""
        params = self.params
        query = {
            "path": "/".join(self.context.getPhysicalPath()),
            "UID": {"not": api.content.get_uuid(self.context)},
            "portal_type": params.get("portal_type", list(SEARCH_TYPES)),
        }
        for param, index in (("year", "bip_year"), ("body", "bip_body"), ("status", "bip_status")):
            if param in params:
                query[index] = params[param]
        text = catalog_text_query(params.get("SearchableText", ""))
        if text:
            query["SearchableText"] = text  # ordered by relevance
        else:
            query["sort_on"] = "bip_sort_date"
            query["sort_order"] = "descending"
        return query

    @cached_property
    def results(self):
        """The results, [] before a search, None when the text index refuses the words."""
        if not self.searched:
            return []
        if (
            "SearchableText" in self.params
            and not catalog_text_query(self.params["SearchableText"])
            and len(self.params) == 1
        ):
            # Only wildcards or operators typed: nothing to look for.
            return []
        return search_catalog(self.query())

    @cached_property
    def batch(self):
        return Batch(self.results or [], PAGE_SIZE, start=self.b_start)

    @property
    def count(self):
        return len(self.results or [])

    def batch_navigation(self):
        navigation = api.content.get_view("batchnavigation", self.context, self.request)
        return navigation(self.batch, batchformkeys=[*self.params, "b_start"])

    def items(self):
        """The results of this page, from catalog metadata."""
        return [self.item(brain) for brain in self.batch]

    def item(self, brain):
        date_text, date_iso = result_date(brain)
        return {
            "url": brain.getURL(),
            "title": brain.Title,
            "type": type_title(brain.portal_type, self.request),
            "portal_type": brain.portal_type,
            "date": date_text,
            "datetime": date_iso,
            "description": snippet(brain.Description),
            "archived": brain.review_state == ARCHIVED,
            "state": brain.review_state,
            "state_title": (
                state_title(brain.review_state, self.request)
                if brain.review_state != ARCHIVED
                else ""
            ),
        }

    # Form options

    def type_options(self):
        selected = self.params.get("portal_type")
        return [
            {
                "value": portal_type,
                "title": type_title(portal_type, self.request),
                "selected": portal_type == selected,
            }
            for portal_type in SEARCH_TYPES
        ]

    def year_options(self):
        years = api.portal.get_tool("portal_catalog").uniqueValuesFor("bip_year")
        selected = self.params.get("year")
        return [
            {"value": year, "title": str(year), "selected": year == selected}
            for year in sorted({y for y in years if isinstance(y, int)}, reverse=True)
        ]

    def body_options(self):
        selected = self.params.get("body")
        return [
            {
                "value": term.value,
                "title": translate(term.title, context=self.request),
                "selected": term.value == selected,
            }
            for term in VOCABULARIES["ratusz.bip.act_bodies"]
        ]

    def status_groups(self):
        """The status options grouped by type (the same code may mean different things)."""
        selected = self.params.get("status")
        chosen_type = self.params.get("portal_type")
        groups, marked = [], False
        for portal_type, vocabulary_name in STATUS_VOCABULARIES:
            options = []
            for term in VOCABULARIES[vocabulary_name]:
                # One option selected: the chosen type's, else the first with that code.
                chosen = (
                    not marked and term.value == selected and chosen_type in (None, portal_type)
                )
                marked = marked or chosen
                options.append(
                    {
                        "value": term.value,
                        "title": translate(term.title, context=self.request),
                        "selected": chosen,
                    }
                )
            groups.append({"label": type_title(portal_type, self.request), "options": options})
        return groups
