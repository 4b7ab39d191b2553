"""Map layers: uploaded GeoJSON (district boundaries, planning areas…) drawn over the maps.

A MapLayer is an item holding a GeoJSON file and the style it is drawn with.
The file is checked by the schema (``is_usable_layer_file``), so the add and
edit forms and plone.restapi refuse the same files with the same message, and
nothing is created. ``<layer>/@@layer.geojson`` (layer_views.py) serves it to who
may view the layer; ``overlays_for`` lists the layers for the map element; ``district_at``
answers which area of the districts layer holds a point (citizen reports store
it). What the maps need of a layer — its style and flags — is catalogued in
the ``geo_properties`` metadata column, so maps never wake layers.
"""

import logging
import math

from plone import api
from plone.indexer import indexer
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from zope import schema
from zope.interface import Interface

from ratusz.gis.layerdata import DEFAULT_MAX_MB
from ratusz.gis.layerdata import MB
from ratusz.gis.layerdata import NAME_PROPERTIES
from ratusz.gis.layerdata import LayerFileError
from ratusz.gis.layerdata import check_layer_data
from ratusz.gis.layerdata import shapes_of
from ratusz.gis.layerdata import too_big
from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.validators import is_hex_colour

logger = logging.getLogger(__name__)
PREFIX = "ratusz.gis.layers"
DEFAULT_STYLE = {"color": "#1f4e79", "weight": 2, "fillColor": "#9fc5e8", "fillOpacity": 0.2}
MAX_AREAS_LISTED = 500


class ILayerSettings(Interface):
    """Registry records of map layers (prefix ``ratusz.gis.layers``)."""

    max_file_mb = schema.Int(
        title=_("Largest map layer file (MB)"),
        description=_("A larger GeoJSON file is refused with a message."),
        default=DEFAULT_MAX_MB,
        min=1,
        max=50,
    )


def max_file_bytes():
    """The largest layer file accepted, in bytes (registry, 5 MB unless changed).

    >>> max_file_bytes()
    5242880
    """
    try:
        megabytes = api.portal.get_registry_record(f"{PREFIX}.max_file_mb", default=None)
    except api.exc.CannotGetPortalError:  # no site (a script): the default
        megabytes = None
    return int(megabytes or DEFAULT_MAX_MB) * MB


def is_usable_layer_file(value):
    """The file field's constraint: a GeoJSON file a map can draw; raises LayerFileError.

    The size is read from the blob before its data, so a huge upload costs no memory.
    """
    if value is None:
        return True
    limit = max_file_bytes()
    size = value.getSize()
    if size > limit:
        raise too_big(size, limit)
    check_layer_data(value.data, limit)
    return True


class IMapLayer(model.Schema):
    """A GeoJSON overlay of the maps."""

    file = NamedBlobFile(
        title=_("GeoJSON file"),
        description=_(
            "RFC 7946 GeoJSON in WGS84 (longitude, latitude in degrees; EPSG:4326), UTF-8, "
            "e.g. exported from QGIS. Polygons are counted in the statistics."
        ),
        required=True,
        constraint=is_usable_layer_file,
    )
    name_property = schema.TextLine(
        title=_("Name property"),
        description=_(
            "The feature property holding each area's name (e.g. “nazwa”). Empty: "
            "name, nazwa, NAZWA or JPT_NAZWA_, whichever the file has."
        ),
        required=False,
        max_length=100,
        constraint=has_no_markup,
    )
    show_on_maps = schema.Bool(
        title=_("Show on the maps"),
        description=_("Drawn under the markers of every map, with a switch to hide it."),
        default=True,
        required=False,
    )
    districts = schema.Bool(
        title=_("Districts layer"),
        description=_(
            "Its areas are the city's districts: citizen reports note the district they "
            "are in. Only a published layer is used; if several are marked, the last "
            "modified one."
        ),
        default=False,
        required=False,
    )

    model.fieldset(
        "style",
        label=_("Style"),
        fields=["line_colour", "line_width", "fill_colour", "fill_opacity"],
    )
    line_colour = schema.TextLine(
        title=_("Line colour"),
        description=_("# and six hexadecimal digits, e.g. #1f4e79."),
        default=DEFAULT_STYLE["color"],
        max_length=7,
        constraint=is_hex_colour,
    )
    line_width = schema.Int(
        title=_("Line width (pixels)"), default=DEFAULT_STYLE["weight"], min=1, max=10
    )
    fill_colour = schema.TextLine(
        title=_("Fill colour"),
        description=_("# and six hexadecimal digits, e.g. #9fc5e8."),
        default=DEFAULT_STYLE["fillColor"],
        max_length=7,
        constraint=is_hex_colour,
    )
    fill_opacity = schema.Float(
        title=_("Fill opacity"),
        description=_("From 0 (no fill) to 1 (opaque)."),
        default=DEFAULT_STYLE["fillOpacity"],
        min=0.0,
        max=1.0,
    )


def style_of(layer):
    """The layer's style as the map element takes it.

    >>> style_of(layer)
    {'color': '#1f4e79', 'weight': 2, 'fillColor': '#9fc5e8', 'fillOpacity': 0.2}
    """
    return {
        "color": getattr(layer, "line_colour", None) or DEFAULT_STYLE["color"],
        "weight": getattr(layer, "line_width", None) or DEFAULT_STYLE["weight"],
        "fillColor": getattr(layer, "fill_colour", None) or DEFAULT_STYLE["fillColor"],
        "fillOpacity": _opacity(getattr(layer, "fill_opacity", None)),
    }


def _opacity(value):
    if value is None or not math.isfinite(value):
        return DEFAULT_STYLE["fillOpacity"]
    return min(max(float(value), 0.0), 1.0)


def layer_properties(layer):
    """What maps and lookups need of a layer: its style and flags.

    >>> layer_properties(layer)["districts"]
    True
    """
    return {
        "style": style_of(layer),
        "show_on_maps": bool(getattr(layer, "show_on_maps", True)),
        "districts": bool(getattr(layer, "districts", False)),
        "name_property": getattr(layer, "name_property", None) or None,
    }


@indexer(IMapLayer)
def layer_geo_properties(layer):
    """The layer's properties, kept as catalog metadata (``geo_properties``)."""
    return layer_properties(layer)


def layer_url(brain_or_layer):
    """Where the map element fetches the layer's GeoJSON."""
    url = getattr(brain_or_layer, "getURL", None)
    base = url() if url is not None else brain_or_layer.absolute_url()
    return f"{base}/@@layer.geojson"


def overlay(brain_or_layer, choropleth=None, url=None, name_properties=None):
    """One entry of the map element's ``overlays`` (a catalog brain or the layer itself).

    ``name_properties`` are the feature properties a tooltip takes the area's name
    from, the first one a feature has: by default the layer's name property, then the
    usual ones (``name``, ``nazwa``, ``JPT_NAZWA_``…), as the server names areas.

    >>> overlay(layer)["name_properties"][:3]
    ['kod', 'name', 'nazwa']
    """
    properties = _properties(brain_or_layer)
    title = getattr(brain_or_layer, "Title", "")
    if name_properties is None:
        name_properties = name_properties_of(properties.get("name_property"))
    return {
        "title": title() if callable(title) else title,
        "url": url or layer_url(brain_or_layer),
        "style": properties.get("style") or dict(DEFAULT_STYLE),
        "choropleth": choropleth,
        "name_properties": list(name_properties),
    }


def name_properties_of(name_property=None):
    """The properties an area's name is read from, in order (see ``feature_name``).

    >>> name_properties_of("kod")[:3]
    ['kod', 'name', 'nazwa']
    """
    first = [name_property] if name_property else []
    return list(dict.fromkeys(first + list(NAME_PROPERTIES)))


def _properties(brain_or_layer):
    if IMapLayer.providedBy(brain_or_layer):
        return layer_properties(brain_or_layer)
    return getattr(brain_or_layer, "geo_properties", None) or {}


def overlays_for(context):
    """The map layers a map in ``context`` draws: those shown on the maps that the current
    user may view, anywhere in the site, by title — read from the catalog.

    >>> [entry["title"] for entry in overlays_for(portal.pl)]
    ['Dzielnice']
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(portal_type="MapLayer", sort_on="sortable_title")
    return [overlay(brain) for brain in brains if _properties(brain).get("show_on_maps", True)]


def shapes_of_layer(layer):
    """The layer's areas as shapely geometries (``LayerShapes``), parsed once per version."""
    return shapes_of(
        layer.UID(),
        layer_version(layer.modified()),
        lambda: _features(layer),
        getattr(layer, "name_property", None) or None,
    )


def shapes_of_brain(brain):
    """As ``shapes_of_layer`` from a catalog row: the layer is woken only to parse it."""
    return shapes_of(
        brain.UID,
        layer_version(brain.modified),
        lambda: _features(brain._unrestrictedGetObject()),
        _properties(brain).get("name_property"),
    )


def layer_version(modified):
    """A layer's version: its modification time in microseconds (a DateTime).

    >>> layer_version(DateTime("2026-12-03T19:38:14.330232+00:00"))
    '1796326694330232'
    """
    return str(int(modified.micros()))


def _features(layer):
    file = getattr(layer, "file", None)
    if file is None:
        return []
    # Checked on upload; a file grown past a later, lower limit is still read.
    return check_layer_data(file.data, max(file.getSize(), max_file_bytes()))


def districts_layer():
    """The catalog row of the districts layer, or None: of the **published** layers marked
    "Districts layer", the last modified — found whoever asks (a resident filing a report
    may not view the layer). A draft or private layer never decides a public report's
    district.

    >>> districts_layer().Title
    'Dzielnice'
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="MapLayer",
        review_state="published",
        sort_on="modified",
        sort_order="descending",
    )
    for brain in brains:
        if _properties(brain).get("districts"):
            return brain
    return None


def district_at(latitude, longitude):
    """The name of the district holding a WGS84 point, or None (no districts layer, a point
    outside every district or not a point at all). Citizen reports store it.

    >>> district_at(51.7621, 18.0906)
    'Śródmieście'
    """
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    brain = districts_layer()
    if brain is None:
        return None
    try:
        shapes = shapes_of_brain(brain)
    except LayerFileError:  # checked on upload; a report is never refused for its layer
        logger.exception("The districts layer %s cannot be read", brain.getPath())
        return None
    index = shapes.area_at(longitude, latitude)
    return shapes.names[index] if index is not None else None
