"""Map views: the map element every page with a map uses, and the "Map" display.

``map_element`` gives a page one Leaflet map (``theme/js/ratusz-map.js``): the tile
layers of Site Setup → Maps, clustered markers read from ``@geojson``, polygon overlays
(map layers, choropleths) and, in forms, a point picker. Leaflet and Leaflet.markercluster
are vendored in the theme (``theme/vendor``) and loaded only by pages with a map.

``MapView`` is the "Map" display of folders and collections (``/pl/mapa`` is a collection
shown so): a filter form (types as layer switches, category, text) that works without
JavaScript, the legend with counts, the map, and the list of the same items beside it —
the map's text alternative (WCAG 2.1 AA), batched, read from catalog metadata.
"""

import json
from collections import Counter
from html import escape
from urllib.parse import urlencode

from plone import api
from plone.app.contenttypes.behaviors.collection import ICollection
from plone.batching import Batch
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

from ratusz.gis.geojson import MAX_TEXT
from ratusz.gis.geojson import GeoQueryError
from ratusz.gis.geojson import Markers
from ratusz.gis.geojson import feature_collection
from ratusz.gis.markers import marker_types
from ratusz.gis.tiles import map_setting
from ratusz.gis.tiles import tile_layers
from ratusz.i18n import _

PAGE_SIZE = 50
MAP_LABEL = _("Map")
ASSETS_KEY = "ratusz.gis.map_assets"
STYLES = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
)
SCRIPTS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "js/ratusz-map.js",
)
LABELS = {
    "cluster": _("A group of ${count} markers: zoom in to see them."),
    "marker": _("Map marker"),
    "tiles_failed": _(
        "The map background could not be loaded. The markers, the popups and the list still work."
    ),
    "markers_failed": _("The markers could not be loaded. Use the list instead."),
    "overlay_failed": _("The map layer ${title} could not be loaded."),
    "picked": _("Point chosen: latitude ${latitude}, longitude ${longitude}."),
    "pick_hint": _(
        "Click the map, or press Enter on it to choose its centre; or type the coordinates."
    ),
    "layers": _("Background and map layers"),
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
}
MAX_CATEGORIES = 20


def theme_url():
    """The address the theme's files are served from.

    >>> theme_url()
    'http://nohost/plone/++theme++ratusz'
    """
    return f"{api.portal.get().absolute_url()}/++theme++ratusz"


def map_config(request, markers=None, overlays=(), pick=None, visible_types=None):
    """What ``ratusz-map.js`` draws (the ``data-ratusz-map`` attribute), as a dict.

    >>> map_config(request, markers="http://nohost/plone/++api++/@geojson")["tiles"][0]["kind"]
    'xyz'
    """
    return {
        "tiles": tile_layers(),
        "center": [map_setting("center_latitude"), map_setting("center_longitude")],
        "zoom": map_setting("zoom"),
        "markers": markers,
        "overlays": list(overlays),
        "pick": pick,
        "visible_types": list(visible_types) if visible_types is not None else None,
        "colours": {name: kind.colour for name, kind in marker_types().items()},
        "labels": {key: translate(text, context=request) for key, text in LABELS.items()},
    }


def map_assets(request):
    """The ``<link>`` and ``<script>`` tags of the map, the first time a page asks for them."""
    if request.get(ASSETS_KEY):
        return ""
    request.set(ASSETS_KEY, True)
    base = theme_url()
    styles = "".join(f'<link rel="stylesheet" href="{base}/{path}" />' for path in STYLES)
    scripts = "".join(f'<script src="{base}/{path}" defer></script>' for path in SCRIPTS)
    return styles + scripts


def map_element(
    request, markers=None, overlays=(), pick=None, label=None, height="28rem", visible_types=None
):
    """The markup of one map (and, once per page, its styles and scripts).

    ``markers`` is a GeoJSON URL (e.g. a folder's ``++api++/@geojson``), ``overlays`` the
    polygon layers to draw (see ``ratusz.gis.layers.overlays_for``), ``pick`` the CSS
    selectors of the latitude and longitude inputs a click fills, ``visible_types`` the
    marker types shown at first (the others are loaded, for the type switches).

    >>> 'class="ratusz-map"' in map_element(request, markers=url)
    True
    """
    config = map_config(request, markers, overlays, pick, visible_types)
    config = escape(json.dumps(config), quote=True)
    name = escape(translate(label or MAP_LABEL, context=request), quote=True)
    return (
        f"{map_assets(request)}"
        f'<div class="ratusz-map" role="region" aria-label="{name}" '
        f'style="height: {escape(height, quote=True)}" data-ratusz-map="{config}"></div>'
        f'<p class="ratusz-map-status visually-hidden" role="status" aria-live="polite"></p>'
    )


def overlays_of(context):
    """The map layers drawn over the maps of ``context`` (the map layers' own list)."""
    try:
        from ratusz.gis.layers import overlays_for
    except ImportError:  # pragma: no cover - map layers not installed
        return []
    return overlays_for(context)


def category_terms(vocabulary_name):
    """``[(value, title)]`` of a category vocabulary, or ``[]``."""
    factory = queryUtility(IVocabularyFactory, name=vocabulary_name) if vocabulary_name else None
    if factory is None:
        return []
    return [(term.value, term.title) for term in factory(None)]


class MapView(BrowserView):
    """The "Map" display of a folder or a collection."""

    template = ViewPageTemplateFile("templates/map.pt")

    def __call__(self):
        self.error = None
        form = self.request.form
        self.text = str(form.get("q") or "")[:MAX_TEXT]
        categories = [str(value)[:100] for value in _as_list(form.get("category")) if value]
        self.categories = categories[:MAX_CATEGORIES]
        self.types = sorted(marker_types())
        try:
            asked = [
                name
                for value in _as_list(form.get("portal_type"))
                for name in str(value).split(",")
                if name
            ]
            unknown = [name for name in asked if name not in self.types]
            if unknown:
                raise GeoQueryError(
                    "portal_type", _("Some of the chosen types are not on the maps.")
                )
            self.chosen = asked or list(self.types)
            self.markers = Markers(self.context, self._params(self.types))
        except GeoQueryError as error:
            self.error = error.message
            self.chosen = list(self.types)
            self.text = ""
            self.categories = []
            self.markers = Markers(self.context, {})
        self._rows = self._found_rows()
        return self.template()

    def _params(self, types):
        params = {"portal_type": list(types)}
        if self.text:
            params["q"] = self.text
        if self.categories:
            params["category"] = self.categories
        return params

    def _found_rows(self):
        """``[(row, path)]`` of the found items of the chosen types, by title (not for a
        collection: its own order)."""
        schema = self.markers.schema
        kind = schema["portal_type"]
        self.counts = Counter()
        chosen = set(self.chosen)
        rows = []
        for row, path in self.markers:
            self.counts[row[kind]] += 1
            if row[kind] in chosen:
                rows.append((row, path))
        if ICollection(self.context, None) is None:
            title = schema["sortable_title"] if "sortable_title" in schema else schema["Title"]
            rows.sort(key=lambda item: item[0][title] or "")
        return rows

    @property
    def total(self):
        return len(self._rows)

    def markers_url(self):
        """The ``@geojson`` of what this page shows (the same filters but the types: every
        type is loaded, so a type switched on shows its markers at once)."""
        params = {"portal_type": ",".join(self.types)}
        if self.text:
            params["q"] = self.text
        if self.categories:
            params["category"] = self.categories
        return f"{self.context.absolute_url()}/++api++/@geojson?{urlencode(params, doseq=True)}"

    def map(self):
        return map_element(
            self.request,
            markers=self.markers_url(),
            overlays=overlays_of(self.context),
            visible_types=self.chosen,
            label=_("Map: ${title}", mapping={"title": self.context.Title()}),
        )

    def legend(self):
        """One entry per marker type: its switch, colour, name and how many are found."""
        kinds = marker_types()
        entries = [
            {
                "type": name,
                "title": translate(kinds[name].title, context=self.request),
                "colour": kinds[name].colour,
                "count": self.counts.get(name, 0),
                "checked": name in self.chosen,
                "id": "ratusz-map-type-" + name.lower().replace(" ", "-"),
            }
            for name in self.types
        ]
        return sorted(entries, key=lambda entry: entry["title"])

    def category_groups(self):
        """The category filter's option groups: one per type that has categories."""
        groups = []
        for entry in self.legend():
            terms = category_terms(marker_types()[entry["type"]].category_vocabulary)
            if terms:
                options = [
                    {
                        "value": value,
                        "title": translate(title, context=self.request),
                        "selected": value in self.categories,
                    }
                    for value, title in terms
                ]
                groups.append({"title": entry["title"], "options": options})
        return groups

    def batch(self):
        start = max(_as_int(self.request.form.get("b_start")), 0)
        if start >= self.total:  # past the end (an old link): the last page
            start = max(self.total - 1, 0) // PAGE_SIZE * PAGE_SIZE
        return Batch(self._rows, PAGE_SIZE, start)

    def items(self, batch):
        """The batch's items as the list shows them (the same fields as the popups)."""
        page = _Rows(self.markers.schema, list(batch))
        features = feature_collection(page, self.request, PAGE_SIZE)["features"]
        colours = {name: kind.colour for name, kind in marker_types().items()}
        return [
            dict(feature["properties"], colour=colours.get(feature["properties"]["type"]))
            for feature in features
        ]


class _Rows:
    """A page of ``(row, path)`` pairs in the shape ``feature_collection`` reads."""

    def __init__(self, schema, rows):
        self.schema = schema
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _as_int(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
