"""Map settings (Site Setup → Maps): the tile layers under every map and the default view.

A tile layer is one line ``name | kind | address | attribution | WMS layers``:

- ``xyz``  — a tile server template with ``{z}``, ``{x}`` and ``{y}`` (OpenStreetMap);
- ``wms``  — a WMS service (the national Geoportal's orthophotomap); the map asks it for
  EPSG:3857 images of the layers named in the last column;
- ``wmts`` — a WMTS service in a Web Mercator tile matrix set (EPSG:3857,
  GoogleMapsCompatible), given as a GetTile (KVP or REST) template with ``{z}``, ``{x}``,
  ``{y}``. Leaflet draws Web Mercator only: a matrix set in EPSG:2180 (PUWG 1992) cannot be
  used as tiles — take the service's WMS instead.

The first line is the map shown first; with more than one, each map gets a layer switch.
Markers, overlays, popups and the lists beside the maps never need tiles: a city whose tile
server is down still has working maps.
"""

import re

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope import schema
from zope.component import adapter
from zope.interface import Interface
from zope.schema import ValidationError

from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer
from ratusz.settings import registry_setting

PREFIX = "ratusz.gis"
KINDS = ("xyz", "wms", "wmts")
# What Leaflet fills in a tile address; any other {…} makes it throw while the map is set up.
PLACEHOLDER = re.compile(r"\{[^}]*\}")
KNOWN_PLACEHOLDERS = {"{z}", "{x}", "{y}", "{s}", "{r}"}
MAX_LAYERS = 10
OSM = (
    "OpenStreetMap | xyz | https://tile.openstreetmap.org/{z}/{x}/{y}.png | "
    "© OpenStreetMap contributors"
)
GEOPORTAL_ORTHO = (
    "Ortofotomapa (Geoportal) | wms | "
    "https://mapy.geoportal.gov.pl/wss/service/PZGIK/ORTO/WMS/StandardResolution | "
    "© GUGiK | Raster"
)


class BadTileLayer(ValidationError):
    """A tile layer line that cannot be used; the message names the line and the problem."""

    def doc(self):
        return self.args[0]


def parse_tile_layer(line, number=1):
    """One tile layer line as the map script takes it; raises BadTileLayer.

    >>> parse_tile_layer(OSM)["kind"]
    'xyz'
    """
    parts = [part.strip() for part in (line or "").split("|")]
    mapping = {"line": number}
    if len(parts) < 4 or len(parts) > 5:
        raise BadTileLayer(
            _(
                "Line ${line}: give name | kind | address | attribution (| WMS layers).",
                mapping=mapping,
            )
        )
    name, kind, url, attribution = parts[:4]
    layers = parts[4] if len(parts) == 5 else ""
    kind = kind.lower()
    if not name or len(name) > 100 or not attribution or len(attribution) > 300:
        raise BadTileLayer(
            _("Line ${line}: the name and the attribution are required.", mapping=mapping)
        )
    if any(char in text for text in (name, attribution, layers) for char in "<>\"'"):
        raise BadTileLayer(
            _("Line ${line}: the characters < > \" ' are not allowed.", mapping=mapping)
        )
    if kind not in KINDS:
        raise BadTileLayer(_("Line ${line}: the kind is xyz, wms or wmts.", mapping=mapping))
    if not url.startswith(("https://", "http://")) or len(url) > 1000 or " " in url:
        raise BadTileLayer(
            _("Line ${line}: the address must start with https:// or http://.", mapping=mapping)
        )
    if any(char in url for char in "<>\"'\\"):
        raise BadTileLayer(
            _("Line ${line}: the address holds characters not allowed in it.", mapping=mapping)
        )
    if kind in ("xyz", "wmts") and not all(key in url for key in ("{z}", "{x}", "{y}")):
        raise BadTileLayer(
            _("Line ${line}: a tile address needs {z}, {x} and {y}.", mapping=mapping)
        )
    unknown = sorted(set(PLACEHOLDER.findall(url)) - KNOWN_PLACEHOLDERS)
    if unknown:
        raise BadTileLayer(
            _(
                "Line ${line}: the map cannot fill ${placeholders} in the address: put the "
                "value itself there (only {z}, {x}, {y}, {s} and {r} are filled).",
                mapping={"line": number, "placeholders": ", ".join(unknown)[:100]},
            )
        )
    if kind == "wms" and not layers:
        raise BadTileLayer(
            _("Line ${line}: a WMS layer needs the names of its layers.", mapping=mapping)
        )
    return {"name": name, "kind": kind, "url": url, "attribution": attribution, "layers": layers}


def are_tile_layers(lines):
    """The registry field's constraint: every line usable, at least one, at most ten."""
    lines = [line for line in lines or () if line.strip()]
    if not lines:
        raise BadTileLayer(_("Give at least one tile layer."))
    if len(lines) > MAX_LAYERS:
        raise BadTileLayer(_("Give at most ${max} tile layers.", mapping={"max": MAX_LAYERS}))
    for number, line in enumerate(lines, 1):
        parse_tile_layer(line, number)
    return True


class IMapSettings(Interface):
    tile_layers = schema.List(
        title=_("Tile layers"),
        description=_(
            "One per line: name | kind | address | attribution | WMS layers. Kind is xyz "
            "(a template with {z}, {x}, {y}), wms (the last column names its layers) or wmts "
            "(a Web Mercator GetTile template with {z}, {x}, {y}). The first is shown first."
        ),
        value_type=schema.TextLine(max_length=1500),
        default=[OSM, GEOPORTAL_ORTHO],
        constraint=are_tile_layers,
    )
    center_latitude = schema.Float(
        title=_("Latitude of the map centre"),
        description=_("Where a map without markers opens (WGS84 degrees)."),
        default=51.7621,
        min=-90.0,
        max=90.0,
    )
    center_longitude = schema.Float(
        title=_("Longitude of the map centre"),
        default=18.0906,
        min=-180.0,
        max=180.0,
    )
    zoom = schema.Int(
        title=_("Zoom of a map without markers"),
        description=_("0 shows the world, 13 a town, 18 a street."),
        default=13,
        min=0,
        max=19,
    )


def map_setting(name):
    """One map setting from the registry (its default when the record is missing).

    >>> map_setting("zoom")
    13
    """
    return registry_setting(IMapSettings, PREFIX, name)


def tile_layers():
    """The tile layers as the map script takes them; the default if the record is unusable.

    >>> [layer["kind"] for layer in tile_layers()]
    ['xyz', 'wms']
    """
    lines = [line for line in map_setting("tile_layers") or () if line.strip()]
    try:
        are_tile_layers(lines)
    except BadTileLayer:
        # Written around the form (e.g. a registry import): never break every map.
        lines = IMapSettings["tile_layers"].default
    return [parse_tile_layer(line, number) for number, line in enumerate(lines, 1)]


class MapSettingsForm(RegistryEditForm):
    schema = IMapSettings
    schema_prefix = PREFIX
    label = _("Maps")
    description = _(
        "The tile layers under every map (OpenStreetMap, the national Geoportal's WMS or WMTS) "
        "and where a map without markers opens."
    )


MapSettingsView = layout.wrap_form(MapSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class MapSettingsControlpanel(RegistryConfigletPanel):
    """The same settings through plone.restapi: ``@controlpanels/ratusz-map-settings``."""

    schema = IMapSettings
    schema_prefix = PREFIX
    configlet_id = "ratusz-map-settings"
    configlet_category_id = "plone-general"
