"""Spatial statistics: how many reports and investments lie in each area of a map layer.

For a layer with polygons (districts, estates, planning areas), ``layer_statistics``
counts the items of the chosen marker types in each area — point in polygon with
shapely, over the catalog's metadata rows (``geo_latitude``/``geo_longitude``;
nothing is woken) and only the items the current user may see. A point on an
area's edge belongs to the area; a point in overlapping areas is counted in each;
points in no area are counted apart.

The numbers are shown as a choropleth on the map (``choropleth_classes``) with a
text legend, as an accessible table, as CSV (``statistics_csv``), as JSON
(``@map-statistics``) and as GeoJSON for the choropleth. They are counts only:
nothing personal, so anyone who may view the layer may see them.
"""

import csv
import io
import json
import math
from dataclasses import dataclass
from dataclasses import field

from plone import api
from zope.i18n import translate

from ratusz.gis.geojson import GeoQueryError
from ratusz.gis.geojson import Markers
from ratusz.gis.layers import shapes_of_layer
from ratusz.gis.markers import marker_type
from ratusz.gis.markers import marker_types
from ratusz.i18n import _

DEFAULT_TYPES = ("CitizenReport", "Investment")
# ColorBrewer "Blues", light to dark: a sequential scale readable in greyscale too.
PALETTE = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def statistics_types(values):
    """The marker types to count, from the request (comma-separated or repeated).

    None asked: citizen reports and investments (those of them that are on the maps).
    Raises GeoQueryError naming types that are not on the maps.

    >>> statistics_types([])
    ['Investment']
    """
    if isinstance(values, str):
        values = [values]
    asked = [part.strip() for value in values or () for part in str(value).split(",")]
    asked = [name for name in asked if name]
    if not asked:
        return [name for name in DEFAULT_TYPES if marker_type(name) is not None]
    unknown = [name for name in asked if marker_type(name) is None]
    if unknown:
        raise GeoQueryError(
            "portal_type",
            _(
                "These types are not on the maps: ${types}. Known: ${known}.",
                mapping={
                    "types": ", ".join(unknown)[:200],
                    "known": ", ".join(sorted(marker_types())),
                },
            ),
        )
    return list(dict.fromkeys(asked))


@dataclass
class Area:
    """One area of the layer and its counts per type."""

    name: str
    counts: dict
    geometry_text: str = field(repr=False, default="null")  # its GeoJSON geometry, as JSON

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class Statistics:
    """The counts of a layer's areas for some types."""

    types: list
    areas: list
    outside: dict
    totals: dict

    @property
    def outside_total(self):
        return sum(self.outside.values())

    @property
    def total(self):
        return sum(self.totals.values())


def points_by_type(types):
    """``{portal_type: (longitudes, latitudes)}`` of the items on the maps of ``types`` that
    the current user may see, read from catalog metadata."""
    markers = Markers(api.portal.get(), {"portal_type": list(types)})
    schema = markers.schema
    kind, latitude, longitude = (
        schema["portal_type"],
        schema["geo_latitude"],
        schema["geo_longitude"],
    )
    found = {name: ([], []) for name in types}
    for row, _path in markers:
        if row[latitude] is None or row[longitude] is None or row[kind] not in found:
            continue
        longitudes, latitudes = found[row[kind]]
        longitudes.append(row[longitude])
        latitudes.append(row[latitude])
    return found


def layer_statistics(layer, types):
    """Count the items of ``types`` in each area (polygon) of ``layer``.

    >>> stats = layer_statistics(districts, ["Investment"])
    >>> [(area.name, area.counts) for area in stats.areas]
    [('Śródmieście', {'Investment': 2}), ('Majków', {'Investment': 0})]
    >>> stats.outside
    {'Investment': 1}
    """
    shapes = shapes_of_layer(layer)
    per_area = [dict.fromkeys(types, 0) for _name in shapes.names]
    outside, totals = {}, {}
    for portal_type, (longitudes, latitudes) in points_by_type(types).items():
        counts, missed = shapes.count(longitudes, latitudes)
        for area, count in zip(per_area, counts, strict=True):
            area[portal_type] = count
        outside[portal_type] = missed
        totals[portal_type] = len(longitudes)
    areas = [
        Area(name, counts, text)
        for name, counts, text in zip(shapes.names, per_area, shapes.geometry_texts, strict=True)
    ]
    return Statistics(list(types), areas, outside, totals)


def choropleth_classes(values):
    """Up to five classes of counts for the choropleth: "0", then equal steps up to the largest.

    >>> [(c["min"], c["max"]) for c in choropleth_classes([0, 3, 10])]
    [(0, 0), (1, 3), (4, 5), (6, 8), (9, 10)]
    """
    top = max(values, default=0)
    classes = [_class(0, 0, PALETTE[0])]
    steps = min(len(PALETTE) - 1, top)
    lower = 1
    for step in range(1, steps + 1):
        upper = math.ceil(step * top / steps)
        classes.append(_class(lower, upper, PALETTE[_shade(step, steps)]))
        lower = upper + 1
    return classes


def _shade(step, steps):
    # Fewer than four classes still end on the darkest colour: the largest stands out.
    return round(4 - (steps - step) * 3 / max(steps - 1, 1))


def _class(low, high, colour):
    label = str(low) if low == high else f"{low}–{high}"
    return {"min": low, "max": high, "color": colour, "label": label}


def class_of(value, classes):
    """The class a count falls into."""
    for entry in classes:
        if entry["min"] <= value <= entry["max"]:
            return entry
    return classes[-1]


def type_titles(types, request):
    """``[(portal_type, translated title)]`` of the types, in the order given."""
    titles = []
    for name in types:
        kind = marker_type(name)
        titles.append((name, translate(kind.title, context=request) if kind else name))
    return titles


def statistics_geojson(stats, classes=None):
    """The areas as a FeatureCollection for the choropleth, as compact JSON text: each with
    its name, total (``count``), counts per type and class. The geometries are the layer's
    JSON text kept with its shapes, so nothing is serialised again but the properties.

    >>> json.loads(statistics_geojson(stats))["features"][0]["properties"]["count"]
    2
    """
    classes = classes or choropleth_classes([area.total for area in stats.areas])
    features = ",".join(
        f'{{"type":"Feature","geometry":{area.geometry_text},'
        f'"properties":{_compact(_choropleth_properties(area, classes))}}}'
        for area in stats.areas
    )
    return f'{{"type":"FeatureCollection","features":[{features}]}}'


def _choropleth_properties(area, classes):
    return {
        "name": area.name,
        "count": area.total,
        "counts": area.counts,
        "class": class_of(area.total, classes)["label"],
    }


def _compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def statistics_json(stats, request, url):
    """The statistics as ``@map-statistics`` answers them (a dict ready for json.dumps)."""
    classes = choropleth_classes([area.total for area in stats.areas])
    return {
        "@id": url,
        "types": [
            {"portal_type": name, "title": title}
            for name, title in type_titles(stats.types, request)
        ],
        "areas": [
            {"name": area.name, "counts": area.counts, "total": area.total} for area in stats.areas
        ],
        "outside": {"counts": stats.outside, "total": stats.outside_total},
        "totals": {"counts": stats.totals, "total": stats.total},
        "classes": classes,
    }


def guard_cell(text):
    """A cell a spreadsheet shows as text: one starting like a formula gets an apostrophe.

    >>> guard_cell("=HYPERLINK(\\"http://evil\\")")
    '\\'=HYPERLINK("http://evil")'
    """
    text = str(text)
    if text.lstrip(" ")[:1] in FORMULA_START and text.lstrip(" "):
        return "'" + text
    return text


def statistics_csv(stats, request):
    """The table as CSV: UTF-8 with a BOM and semicolons (what a Polish spreadsheet opens as
    is), a header row, one row per area, the items outside every area and the totals."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    titles = [title for _name, title in type_titles(stats.types, request)]
    tr = lambda message: translate(message, context=request)  # noqa: E731
    writer.writerow([tr(_("Area")), *titles, tr(_("Total"))])
    for area in stats.areas:
        writer.writerow(
            [guard_cell(area.name), *(area.counts[name] for name in stats.types), area.total]
        )
    writer.writerow(
        [
            tr(_("Outside every area")),
            *(stats.outside[name] for name in stats.types),
            stats.outside_total,
        ]
    )
    writer.writerow(
        [tr(_("All items")), *(stats.totals[name] for name in stats.types), stats.total]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
