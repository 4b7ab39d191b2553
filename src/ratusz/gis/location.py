"""The location behavior: a point on the map (plone.formwidget.geolocation) and an address.

``ratusz.gis.location`` adds two fields to a type: ``geolocation`` (latitude
and longitude in WGS84, set with the Leaflet widget of
plone.formwidget.geolocation) and ``address`` (text, shown next to every map as
its accessible alternative). Places, events, news items and service cards have
it. The point and the address are catalogued (indexes ``geo_latitude`` and
``geo_longitude`` for the box a map asks for; metadata for the markers), and
what a map popup shows of each type comes from its ``IGeoProperties`` adapter,
also kept as metadata (``geo_properties``): maps and ``@geojson`` never wake an
object.
"""

from plone.autoform.interfaces import IFormFieldProvider
from plone.formwidget.geolocation.field import GeolocationField
from plone.indexer import indexer
from plone.supermodel import model
from zope import schema
from zope.interface import Interface
from zope.interface import implementer
from zope.interface import provider

from ratusz.i18n import _
from ratusz.validators import has_no_markup


class OutOfRange(schema.ValidationError):
    __doc__ = _(
        "The point is off the map: latitude must be between -90 and 90 and longitude "
        "between -180 and 180 (WGS84 degrees)."
    )


def point_of(value):
    """``(latitude, longitude)`` of a geolocation value, or None when it has no point.

    >>> point_of(Geolocation(latitude=51.76, longitude=18.09))
    (51.76, 18.09)
    """
    latitude = getattr(value, "latitude", None)
    longitude = getattr(value, "longitude", None)
    if latitude is None or longitude is None:
        return None
    return float(latitude), float(longitude)


def is_on_the_map(value):
    """The field's constraint: a WGS84 point (or none); raises OutOfRange.

    >>> is_on_the_map(Geolocation(latitude=95, longitude=18))
    Traceback (most recent call last):
    OutOfRange: ...
    """
    point = point_of(value)
    if point is not None:
        latitude, longitude = point
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise OutOfRange(value)
    return True


@provider(IFormFieldProvider)
class ILocation(model.Schema):
    """A point on the map and the address it stands for."""

    model.fieldset("location", label=_("Location"), fields=["geolocation", "address"])

    geolocation = GeolocationField(
        title=_("Location on the map"),
        description=_("Click the map or search for the address; leave empty for no marker."),
        required=False,
        constraint=is_on_the_map,
    )
    address = schema.TextLine(
        title=_("Address"),
        description=_("Street, number and town, as a resident would look for it."),
        required=False,
        max_length=300,
        constraint=has_no_markup,
    )


class IGeoProperties(Interface):
    """What a map popup and ``@geojson`` show of an item besides its title, description,
    address and link: a dict of JSON-ready values, computed when the item is catalogued.
    Its ``category`` (a token of the marker type's vocabulary) is also indexed, for the
    maps' category filter.

    Register an adapter for a type to add its public fields (see place.py)."""

    def __call__():
        """The properties, e.g. ``{"category": "library", "opening_hours": "Pn–Pt 8–16"}``."""


@implementer(IGeoProperties)
class NoProperties:
    """Types without their own adapter show nothing more."""

    def __init__(self, context):
        self.context = context

    def __call__(self):
        return {}


class EventProperties:
    """An event's popup: when it starts and ends (ISO 8601) and where, as its organiser
    wrote it."""

    def __init__(self, context):
        self.context = context

    def __call__(self):
        context = self.context
        found = {
            "start": _iso(getattr(context, "start", None)),
            "end": _iso(getattr(context, "end", None)),
            "whole_day": bool(getattr(context, "whole_day", False)),
            "location": getattr(context, "location", None),
        }
        return {name: value for name, value in found.items() if value}


def _iso(value):
    return value.isoformat() if value is not None else None


def _point(obj):
    point = point_of(getattr(obj, "geolocation", None))
    if point is None:
        raise AttributeError("geolocation")  # not indexed: no marker
    return point


@indexer(ILocation)
def geo_latitude(obj):
    return _point(obj)[0]


@indexer(ILocation)
def geo_longitude(obj):
    return _point(obj)[1]


@indexer(ILocation)
def geo_address(obj):
    return getattr(obj, "address", None) or None


@indexer(ILocation)
def geo_properties(obj):
    _point(obj)  # only items on the map carry them
    return IGeoProperties(obj, NoProperties(obj))()


@indexer(ILocation)
def geo_category(obj):
    category = IGeoProperties(obj, NoProperties(obj))().get("category")
    if not category:
        raise AttributeError("geo_category")
    return category
