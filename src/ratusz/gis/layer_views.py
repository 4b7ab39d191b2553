"""Pages of map layers and investments: a layer's page and GeoJSON, its statistics (page,
CSV, choropleth GeoJSON) and an investment's page."""

import hashlib
import json
import time
from email.utils import formatdate
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

from plone import api
from plone.namedfile.utils import stream_data
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

from ratusz.dates import display_date
from ratusz.gis.geojson import GeoQueryError
from ratusz.gis.investment import format_pln
from ratusz.gis.layerdata import LayerFileError
from ratusz.gis.layerdata import LayerShapes
from ratusz.gis.layers import MAX_AREAS_LISTED
from ratusz.gis.layers import layer_version
from ratusz.gis.layers import overlay
from ratusz.gis.layers import overlays_for
from ratusz.gis.layers import shapes_of_layer
from ratusz.gis.layers import style_of
from ratusz.gis.markers import marker_types
from ratusz.gis.statistics import Statistics
from ratusz.gis.statistics import choropleth_classes
from ratusz.gis.statistics import layer_statistics
from ratusz.gis.statistics import statistics_csv
from ratusz.gis.statistics import statistics_geojson
from ratusz.gis.statistics import statistics_types
from ratusz.gis.statistics import type_titles
from ratusz.i18n import _


class LayerGeoJSON(BrowserView):
    """``<layer>/@@layer.geojson``: the layer's file as ``application/geo+json``, with an ETag
    and Last-Modified, so a map loaded again gets ``304 Not Modified``; the blob is streamed
    from its file, not read into memory."""

    def __call__(self):
        response = self.request.response
        file = getattr(self.context, "file", None)
        if file is None:
            response.setStatus(404)
            return ""
        modified = self.context.modified()
        etag = f'"{self.context.UID()}-{layer_version(modified)}"'
        response.setHeader("ETag", etag)
        response.setHeader("Last-Modified", formatdate(modified.timeTime(), usegmt=True))
        response.setHeader("Cache-Control", "private, max-age=0, must-revalidate")
        response.setHeader("Vary", "Cookie, Authorization")
        response.setHeader("X-Content-Type-Options", "nosniff")
        if not_modified(self.request, etag, modified.timeTime()):
            response.setStatus(304)
            return ""
        response.setHeader("Content-Type", "application/geo+json; charset=utf-8")
        response.setHeader("Content-Length", str(file.getSize()))
        return stream_data(file)


def not_modified(request, etag, modified=None):
    """Whether the client's copy is current (RFC 9110 §13.1): its If-None-Match names
    ``etag`` (weak comparison: ``W/`` ignored) or is ``*``; or, without one, its
    If-Modified-Since is a valid date, not in the future, not before ``modified`` (a POSIX
    time; None: the date is not used).

    >>> request.environ["HTTP_IF_NONE_MATCH"] = 'W/"abc-1"'
    >>> not_modified(request, '"abc-1"')
    True
    """
    asked = request.getHeader("If-None-Match")
    if asked:
        if asked.strip() == "*":
            return True
        return _opaque(etag) in {_opaque(tag) for tag in asked.split(",")}
    since = request.getHeader("If-Modified-Since")
    if not since or modified is None:
        return False
    try:
        since = parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    if since > time.time():  # a date later than now is invalid (RFC 9110 §13.1.3)
        return False
    return int(modified) <= int(since)


def _opaque(tag):
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def swatch(fill="transparent", border="#555555"):
    """The inline style of a colour sample beside its text (colours are #rrggbb, checked)."""
    return (
        "display:inline-block;width:1.5em;height:1em;vertical-align:middle;"
        f"background-color:{fill};border:2px solid {border}"
    )


def _map_element(request, **options):
    from ratusz.gis.maps import map_element

    return map_element(request, **options)


class MapLayerView(BrowserView):
    """A layer's page: the layer on a map, its areas as a list (the map's text alternative),
    its style, the download and the statistics."""

    template = ViewPageTemplateFile("templates/map_layer.pt")

    def __call__(self):
        self.error = None
        try:
            self.shapes = shapes_of_layer(self.context)
        except LayerFileError as error:  # stored past the form's check (a script, an import)
            self.error = error.doc()
            self.shapes = LayerShapes([])
        return self.template()

    def map(self):
        return _map_element(
            self.request,
            overlays=[overlay(self.context)],
            label=_("Map: ${title}", mapping={"title": self.context.Title()}),
        )

    def areas(self):
        return self.shapes.names[:MAX_AREAS_LISTED]

    def more_areas(self):
        return max(len(self.shapes) - MAX_AREAS_LISTED, 0)

    def style(self):
        style = style_of(self.context)
        style["opacity_percent"] = round(style["fillOpacity"] * 100)
        return style

    def line_swatch(self):
        return swatch(border=self.style()["color"])

    def fill_swatch(self):
        return swatch(self.style()["fillColor"])

    def file_size(self):
        file = self.context.file
        size = file.getSize() if file is not None else 0
        return f"{size / 1024:.1f}".replace(".", ",")


class StatisticsView(BrowserView):
    """``<layer>/@@map-statistics``: the counts per area as a choropleth with a text legend,
    a table and a CSV link; a form chooses the types counted."""

    template = ViewPageTemplateFile("templates/map_statistics.pt")

    def __call__(self):
        self.error = None
        try:
            self.types = statistics_types(self.request.form.get("portal_type"))
        except GeoQueryError as error:
            self.error = error.message
            self.types = statistics_types(None)
        try:
            self.stats = layer_statistics(self.context, self.types)
        except LayerFileError as error:
            self.error = error.doc()
            self.stats = Statistics(self.types, [], {}, {})
        self.classes = choropleth_classes([area.total for area in self.stats.areas])
        return self.template()

    def query(self):
        return urlencode({"portal_type": ",".join(self.types)})

    def choices(self):
        """Every marker type, for the type selector (checked: counted now)."""
        kinds = marker_types()
        return sorted(
            (
                {
                    "type": name,
                    "title": translate(kind.title, context=self.request),
                    "checked": name in self.types,
                    "id": "ratusz-stats-type-" + name.lower().replace(" ", "-"),
                }
                for name, kind in kinds.items()
            ),
            key=lambda entry: entry["title"],
        )

    def titles(self):
        return type_titles(self.types, self.request)

    def map(self):
        url = f"{self.context.absolute_url()}/@@map-statistics.geojson?{self.query()}"
        choropleth = {"property": "count", "classes": self.classes}
        return _map_element(
            self.request,
            overlays=[
                overlay(self.context, choropleth=choropleth, url=url, name_properties=["name"])
            ],
            label=_("Map of the counts: ${title}", mapping={"title": self.context.Title()}),
        )

    def legend(self):
        """The classes with how many areas fall in each (the legend is text, not colour only)."""
        totals = [area.total for area in self.stats.areas]
        return [
            dict(entry, areas=sum(1 for total in totals if entry["min"] <= total <= entry["max"]))
            for entry in self.classes
        ]

    def swatch(self, colour):
        return swatch(colour)

    def csv_url(self):
        return f"{self.context.absolute_url()}/@@map-statistics.csv?{self.query()}"


def _bad_request(request, error):
    """A 400 naming the parameter (a type not on the maps) or the layer's file."""
    if isinstance(error, LayerFileError):
        error = GeoQueryError("file", error.doc())
    request.response.setStatus(400)
    request.response.setHeader("Content-Type", "application/json; charset=utf-8")
    request.response.setHeader("X-Content-Type-Options", "nosniff")
    return json.dumps(
        {
            "error": {
                "type": "BadRequest",
                "field": error.field,
                "message": translate(error.message, context=request),
            }
        },
        ensure_ascii=False,
    )


class StatisticsCSV(BrowserView):
    """``<layer>/@@map-statistics.csv``: the table for a spreadsheet."""

    def __call__(self):
        try:
            types = statistics_types(self.request.form.get("portal_type"))
            stats = layer_statistics(self.context, types)
        except (GeoQueryError, LayerFileError) as error:
            return _bad_request(self.request, error)
        response = self.request.response
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{self.context.getId()}-statystyki.csv"'
        )
        response.setHeader("X-Content-Type-Options", "nosniff")
        return statistics_csv(stats, self.request)


class StatisticsGeoJSON(BrowserView):
    """``<layer>/@@map-statistics.geojson``: the areas with their counts, for the choropleth.

    Its ETag is a digest of the answer, so it changes with anything that changes the
    counts the current user sees (an item added or published, a role, the time an item
    becomes effective) and a map loaded again gets ``304 Not Modified``. The geometries'
    JSON is kept with the parsed layer: only the counts are computed per request.
    """

    def __call__(self):
        try:
            types = statistics_types(self.request.form.get("portal_type"))
            stats = layer_statistics(self.context, types)
        except (GeoQueryError, LayerFileError) as error:
            return _bad_request(self.request, error)
        body = statistics_geojson(stats).encode("utf-8")
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        response = self.request.response
        response.setHeader("ETag", etag)
        response.setHeader("Cache-Control", "private, no-cache")
        response.setHeader("Vary", "Cookie, Authorization")
        response.setHeader("X-Content-Type-Options", "nosniff")
        if not_modified(self.request, etag):
            response.setStatus(304)
            return ""
        response.setHeader("Content-Type", "application/geo+json; charset=utf-8")
        return body


class InvestmentView(BrowserView):
    """An investment's page: status, budget, dates, contractor, address (as text), the point
    on a map and the photos."""

    template = ViewPageTemplateFile("templates/investment.pt")

    def __call__(self):
        return self.template()

    def status(self):
        factory = queryUtility(IVocabularyFactory, name="ratusz.gis.investment_statuses")
        term = factory(self.context).by_value.get(self.context.status)
        return translate(term.title, context=self.request) if term else self.context.status

    def budget(self):
        return format_pln(getattr(self.context, "budget", None))

    def dates(self):
        """``[(label, date text)]`` of the dates given."""
        labels = (
            ("planned_start", _("Planned start")),
            ("planned_end", _("Planned end")),
            ("actual_start", _("Actual start")),
            ("actual_end", _("Actual end")),
        )
        return [
            (label, display_date(getattr(self.context, name, None)))
            for name, label in labels
            if getattr(self.context, name, None)
        ]

    def has_point(self):
        point = getattr(self.context, "geolocation", None)
        return getattr(point, "latitude", None) is not None

    def map(self):
        url = f"{self.context.absolute_url()}/++api++/@geojson?portal_type=Investment"
        return _map_element(
            self.request,
            markers=url,
            overlays=overlays_for(self.context),
            label=_("Map: ${title}", mapping={"title": self.context.Title()}),
            height="20rem",
        )

    def photos(self):
        """The Images inside, in their order, from the catalog: url, alt text, caption."""
        brains = api.content.find(
            context=self.context,
            depth=1,
            portal_type="Image",
            sort_on="getObjPositionInParent",
        )
        return [
            {
                "url": brain.getURL(),
                "src": f"{brain.getURL()}/@@images/image/preview",
                "alt": brain.Title or "",
                "caption": brain.Description or "",
            }
            for brain in brains
        ]
