"""The GeoJSON of a map layer: checked on upload, parsed into shapely geometries once.

``check_layer_data`` is what the MapLayer schema runs on an uploaded file (the
z3c.form add/edit forms and plone.restapi alike): it refuses, naming the
problem and the feature, what a map could not draw or would draw in the wrong
place — too big, not UTF-8, not JSON, not GeoJSON (RFC 7946), coordinates
outside WGS84 degrees (a file in PUWG 1992 / EPSG:2180 has values such as
500000: it is said to look projected), a ``crs`` other than WGS84, invalid
geometries (shapely's ``is_valid``, with GEOS' explanation).

``LayerShapes`` is a checked file turned into shapely geometries with an
STRtree over them: which area holds a point, how many points fall in each.
``shapes_of`` keeps the current version of each layer (a new version replaces
the old one), within a memory budget, so district lookups and statistics do not
parse the file again on every call.
"""

import json
import math
import sys
import threading
from collections import OrderedDict

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity
from zope.schema import ValidationError

from ratusz.i18n import _

MB = 1024 * 1024
DEFAULT_MAX_MB = 5
MAX_FEATURES = 20_000
# Parsed layers kept in memory, by the size of their areas' GeoJSON text (≈ the files).
# A parsed layer takes about three times its text (measured: 5 MB for 1.9 MB of polygons:
# shapely, prepared, the STRtree, the text): 64 MB of text is about 180 MB at most.
CACHE_BYTES = 64 * MB
NAME_PROPERTIES = ("name", "nazwa", "NAZWA", "Name", "NAME", "JPT_NAZWA_", "title", "Title")

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
AREA_TYPES = {"Polygon", "MultiPolygon"}

# RFC 7946 §4: WGS84 longitude, latitude. Older GeoJSON (2008) named it in a ``crs``
# member; these names all mean WGS84 with longitude first, as GDAL reads them.
WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "crs84",
    "ogc:crs84",
    "epsg:4326",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:6.6:4326",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}


class LayerFileError(ValidationError):
    """A map layer file that cannot be used; ``doc()`` says why (a translatable message).

    z3c.form shows ``doc()`` at the field and plone.restapi answers 400 with it.

    >>> LayerFileError(_("The file is empty.")).doc()
    'The file is empty.'
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message


def _feature_error(number, message, **mapping):
    """An error about feature ``number`` (counted from 1, as a person counts)."""
    text = _("Feature ${number}: ${problem}", mapping={"number": number, "problem": message})
    return LayerFileError(text)


def read_layer_text(data, max_bytes):
    """The file's text (UTF-8, a BOM allowed); LayerFileError if too big, empty or not UTF-8.

    >>> read_layer_text(b'{"type": "FeatureCollection", "features": []}', 5 * MB)[:9]
    '{"type": '
    """
    if len(data) > max_bytes:
        raise too_big(len(data), max_bytes)
    if not data.strip():
        raise LayerFileError(_("The file is empty."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LayerFileError(
            _(
                "The file is not UTF-8 text (byte ${position} cannot be read). Save the "
                "GeoJSON in UTF-8, as RFC 7946 requires.",
                mapping={"position": error.start + 1},
            )
        ) from None


def too_big(size, max_bytes):
    """The error of a file over the limit, in megabytes with one decimal."""
    return LayerFileError(
        _(
            "The file has ${size} MB; a map layer may have at most ${limit} MB. Simplify "
            "the geometries (e.g. in QGIS: Vector → Geometry Tools → Simplify) or split "
            "the layer.",
            mapping={"size": f"{size / MB:.1f}", "limit": f"{max_bytes / MB:g}"},
        )
    )


def _refuse_constant(name):
    raise ValueError(name)


class NumberTooLarge(ValueError):
    """A JSON number no double holds (beyond ±1.8e308): no coordinate can be one, and
    RFC 8259 §6 warns such numbers are not interoperable."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


def _parse_int(text):
    # Python refuses to read an integer of more than 4300 digits (a ValueError of its
    # own); past 309 digits no double holds it, and math.isfinite would overflow.
    if len(text.lstrip("-")) > 309:
        raise NumberTooLarge(text)
    value = int(text)
    if abs(value) > sys.float_info.max:
        raise NumberTooLarge(text)
    return value


def _parse_float(text):
    value = float(text)
    if not math.isfinite(value):  # 1e400 reads as infinity
        raise NumberTooLarge(text)
    return value


def _number_too_large(text):
    digits = sum(character.isdigit() for character in text)
    return LayerFileError(
        _(
            "The file is not usable JSON: the number ${number} (${digits} digits) is too "
            "large for any map. Coordinates are degrees: longitude between -180 and 180, "
            "latitude between -90 and 90.",
            mapping={
                "number": text if len(text) <= 24 else f"{text[:20]}…",
                "digits": digits,
            },
        )
    )


def parse_layer_json(text):
    """The JSON object of the file; LayerFileError naming the line and column if it is not JSON.

    >>> parse_layer_json('{"type": "Point", "coordinates": [18, 51]}')["type"]
    'Point'
    """
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except json.JSONDecodeError as error:
        raise LayerFileError(
            _(
                "The file is not valid JSON: ${problem} (line ${line}, column ${column}).",
                mapping={"problem": error.msg, "line": error.lineno, "column": error.colno},
            )
        ) from None
    except NumberTooLarge as error:
        raise _number_too_large(error.text) from None
    except ValueError:  # NaN, Infinity
        raise LayerFileError(
            _("The file is not valid JSON: NaN and Infinity are not numbers in JSON.")
        ) from None
    except RecursionError:
        raise LayerFileError(_("The file is not GeoJSON: its JSON is nested too deeply.")) from None


def features_of(document):
    """The ``(geometry, properties)`` of each feature of a GeoJSON object, checking its form.

    A FeatureCollection gives its features, a Feature itself, a bare geometry one
    feature without properties.

    >>> features_of({"type": "Point", "coordinates": [18, 51]})
    [({'type': 'Point', 'coordinates': [18, 51]}, {})]
    """
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise LayerFileError(
            _(
                "The file is not GeoJSON: it must be a JSON object with a “type” "
                "(FeatureCollection, Feature or a geometry)."
            )
        )
    check_crs(document.get("crs"))
    kind = document["type"]
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise LayerFileError(
                _("The file is not GeoJSON: a FeatureCollection needs a “features” list.")
            )
    elif kind == "Feature":
        features = [document]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": document, "properties": {}}]
    else:
        raise LayerFileError(
            _(
                "The file is not GeoJSON: “${type}” is not a GeoJSON type (FeatureCollection, "
                "Feature, Point, LineString, Polygon, their Multi… forms or GeometryCollection).",
                mapping={"type": kind[:60]},
            )
        )
    if not features:
        raise LayerFileError(_("The file has no features: there is nothing to draw."))
    if len(features) > MAX_FEATURES:
        raise LayerFileError(
            _(
                "The file has ${count} features; a map layer may have at most ${limit}.",
                mapping={"count": len(features), "limit": MAX_FEATURES},
            )
        )
    found = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _feature_error(number, _("it is not a GeoJSON Feature object."))
        check_crs(feature.get("crs"))
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            raise _feature_error(number, _("its “properties” must be an object or null."))
        geometry = feature.get("geometry")
        if geometry is not None:
            check_geometry(geometry, number)
        found.append((geometry, properties))
    return found


def check_crs(crs):
    """Refuse a ``crs`` member naming anything but WGS84 (RFC 7946 §4 removed the member).

    >>> check_crs({"type": "name", "properties": {"name": "EPSG:2180"}})
    Traceback (most recent call last):
    LayerFileError: ...
    """
    if crs is None:
        return
    name = ""
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = str(crs["properties"].get("name") or crs["properties"].get("href") or "")
    if name.strip().lower() in WGS84_NAMES:
        return
    raise LayerFileError(
        _(
            "The file declares the coordinate system “${crs}”; map layers must be in WGS84 "
            "(longitude and latitude in degrees, EPSG:4326). Export the layer again in "
            "EPSG:4326 (e.g. in QGIS: Export → Save Features As…, CRS EPSG:4326).",
            mapping={"crs": (name or json.dumps(crs, ensure_ascii=False))[:80]},
        )
    )


def _positions(kind, coordinates):
    """Every position of a geometry's coordinates, checking the nesting of its type."""
    depth = {
        "Point": 0,
        "MultiPoint": 1,
        "LineString": 1,
        "MultiLineString": 2,
        "Polygon": 2,
        "MultiPolygon": 3,
    }[kind]

    def walk(value, level):
        if level == 0:
            yield value
            return
        if not isinstance(value, list):
            raise TypeError
        for item in value:
            yield from walk(item, level - 1)

    return walk(coordinates, depth)


def _is_position(value):
    return (
        isinstance(value, list)
        and 2 <= len(value) <= 3
        and all(
            isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n)
            for n in value
        )
    )


def check_geometry(geometry, number, nested=0):
    """Check one geometry: its type, the form of its coordinates, WGS84 ranges, validity."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise _feature_error(
            number,
            _("its geometry has no GeoJSON geometry type (Point, LineString, Polygon…)."),
        )
    kind = geometry["type"]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or nested > 3:
            raise _feature_error(number, _("its GeometryCollection needs a “geometries” list."))
        for member in members:
            check_geometry(member, number, nested + 1)
        return
    try:
        positions = list(_positions(kind, geometry.get("coordinates")))
    except (TypeError, RecursionError):
        positions = None
    if not positions or not all(_is_position(position) for position in positions):
        raise _feature_error(
            number,
            _(
                "the coordinates of its ${type} are not in GeoJSON's form (lists of "
                "[longitude, latitude] numbers).",
                mapping={"type": kind},
            ),
        )
    check_ranges(positions, number)
    check_rings(kind, geometry["coordinates"], number)
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, shapely.errors.GEOSException) as error:
        raise _feature_error(
            number,
            _(
                "its ${type} cannot be built: ${problem}",
                mapping={"type": kind, "problem": str(error)[:200]},
            ),
        ) from None
    if not geom.is_valid:
        raise _feature_error(
            number,
            _(
                "its ${type} is not a valid geometry: ${problem}. Repair it (e.g. in QGIS: "
                "Vector → Geometry Tools → Fix Geometries).",
                mapping={"type": kind, "problem": explain_validity(geom)[:200]},
            ),
        )


def check_rings(kind, coordinates, number):
    """Refuse polygon rings that are not closed or have fewer than four positions (RFC 7946
    §3.1.6): shapely would close them silently, drawing an area the author did not mean."""
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4 or ring[0][:2] != ring[-1][:2]:
                raise _feature_error(
                    number,
                    _(
                        "a ring of its ${type} is not closed: it needs at least four "
                        "positions, the last the same as the first.",
                        mapping={"type": kind},
                    ),
                )


def check_ranges(positions, number):
    """Refuse positions outside WGS84 degrees, saying when they look like projected metres."""
    for longitude, latitude, *_rest in positions:
        if -180 <= longitude <= 180 and -90 <= latitude <= 90:
            continue
        if abs(longitude) > 1000 or abs(latitude) > 1000:
            raise _feature_error(
                number,
                _(
                    "its coordinates (${longitude}, ${latitude}) look projected (metres, e.g. "
                    "PUWG 1992 / EPSG:2180), not WGS84 degrees. Export the layer again in "
                    "EPSG:4326 (e.g. in QGIS: Export → Save Features As…, CRS EPSG:4326).",
                    mapping={"longitude": f"{longitude:g}", "latitude": f"{latitude:g}"},
                ),
            )
        raise _feature_error(
            number,
            _(
                "its coordinates (${longitude}, ${latitude}) are off the map: longitude must "
                "be between -180 and 180 and latitude between -90 and 90 (WGS84 degrees, "
                "longitude first).",
                mapping={"longitude": f"{longitude:g}", "latitude": f"{latitude:g}"},
            ),
        )


def check_layer_data(data, max_bytes=DEFAULT_MAX_MB * MB):
    """Check a map layer file (bytes); return its features, or raise LayerFileError.

    >>> check_layer_data(b'{"type": "Point", "coordinates": [18.09, 51.76]}')
    [({'type': 'Point', 'coordinates': [18.09, 51.76]}, {})]
    """
    return features_of(parse_layer_json(read_layer_text(data, max_bytes)))


def feature_name(properties, number, name_property=None):
    """A feature's name: its ``name_property``, else a usual name property, else ``#number``.

    >>> feature_name({"nazwa": "Śródmieście"}, 1)
    'Śródmieście'
    """
    for key in ((name_property,) if name_property else ()) + NAME_PROPERTIES:
        value = properties.get(key)
        if value not in (None, ""):
            return " ".join(str(value).split())[:200]
    return f"#{number}"


class LayerShapes:
    """A checked layer file as shapely geometries: the areas (polygons) with their names,
    in an STRtree, for point-in-polygon questions.

    Only what the lookups and the statistics need is kept: the names, the prepared
    geometries and each area's GeoJSON geometry as compact JSON text (the choropleth
    serves it as is, so its coordinates are the uploaded ones, and text takes a fraction
    of the memory of the parsed lists of floats).

    >>> shapes = LayerShapes(check_layer_data(DISTRICTS))
    >>> shapes.area_at(18.09, 51.76)
    0
    """

    def __init__(self, features, name_property=None):
        self.feature_count = len(features)
        self.names = []
        self.geometry_texts = []
        areas = []
        for number, (geometry, properties) in enumerate(features, start=1):
            if not geometry or geometry.get("type") not in AREA_TYPES:
                continue
            self.names.append(feature_name(properties, number, name_property))
            self.geometry_texts.append(
                json.dumps(geometry, ensure_ascii=False, separators=(",", ":"))
            )
            areas.append(shape(geometry))
        self.areas = areas
        shapely.prepare(areas)
        self.tree = shapely.STRtree(areas)
        # What the cache counts: the areas' GeoJSON text in characters (≈ the file's bytes).
        self.weight = sum(len(text) for text in self.geometry_texts) + 1

    def __len__(self):
        return len(self.areas)

    def area_at(self, longitude, latitude):
        """The index of the first area covering the point (its edge included), or None."""
        if not self.areas:
            return None
        # The predicate is tested as point.covered_by(area): edges belong to the area.
        found = self.tree.query(shapely.Point(longitude, latitude), predicate="covered_by")
        return int(min(found)) if len(found) else None

    def count(self, longitudes, latitudes):
        """``(counts per area, how many points are in no area)`` of the points given.

        A point is counted in every area covering it (overlapping areas each count it).
        """
        counts = [0] * len(self.areas)
        if not len(longitudes):
            return counts, 0
        points = shapely.points(longitudes, latitudes)
        if not self.areas:
            return counts, len(longitudes)
        point_index, area_index = self.tree.query(points, predicate="covered_by")
        for area in area_index:
            counts[int(area)] += 1
        inside = len(set(point_index.tolist()))
        return counts, len(longitudes) - inside


_CACHE = OrderedDict()  # layer UID → (version, LayerShapes), the least recently used first
_LOCK = threading.Lock()


def shapes_of(uid, version, load, name_property=None):
    """The LayerShapes of a layer, made by ``load()`` (its features) once per version.

    One entry per layer (``uid``): a new ``version`` (e.g. its modification time)
    replaces the old one. The least recently used layers are dropped while the entries
    weigh more than ``CACHE_BYTES`` (the one just used is always kept).

    >>> shapes_of(layer.UID(), str(layer.modified()), lambda: features).names
    ['Śródmieście', 'Majków', 'Rypinek']
    """
    version = (version, name_property)
    with _LOCK:
        found = _CACHE.get(uid)
        if found is not None and found[0] == version:
            _CACHE.move_to_end(uid)
            return found[1]
    shapes = LayerShapes(load(), name_property)
    with _LOCK:
        _CACHE[uid] = (version, shapes)
        _CACHE.move_to_end(uid)
        total = sum(entry.weight for _version, entry in _CACHE.values())
        while total > CACHE_BYTES and len(_CACHE) > 1:
            _uid, (_version, dropped) = _CACHE.popitem(last=False)
            total -= dropped.weight
    return shapes


def cached_layers():
    """``{uid: version}`` of the layers parsed and kept (tests, diagnostics)."""
    with _LOCK:
        return {uid: version for uid, (version, _shapes) in _CACHE.items()}


def forget_shapes():
    """Empty the cache (tests)."""
    with _LOCK:
        _CACHE.clear()
