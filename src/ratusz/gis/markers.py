"""Marker types: which content types are markers on the maps, as named utilities.

Each type that has the location behavior and should appear on maps is an
``IMarkerType`` utility named after its portal_type: its title for the legend
and the layer switch, a marker colour, and the vocabulary its items'
``category`` property takes its titles from (place kinds, report categories…).
A later feature (or an integrator) adds a type to the maps by registering one
more utility, without touching the map views or ``@geojson``:

    <utility name="Investment" factory="my.package.markers.investments" />

(Not to be confused with map layers: uploaded GeoJSON overlays such as districts.)
"""

from zope.component import getUtilitiesFor
from zope.component import queryUtility
from zope.interface import Attribute
from zope.interface import Interface
from zope.interface import implementer

from ratusz.i18n import _


class IMarkerType(Interface):
    """One content type on the maps (the utility's name is the portal_type)."""

    title = Attribute("Its name in the legend and the layer switch (a message id).")
    colour = Attribute("The marker colour, #rrggbb (with a text legend, never alone).")
    category_vocabulary = Attribute("Vocabulary of its ``category`` property, or None.")


@implementer(IMarkerType)
class MarkerType:
    def __init__(self, title, colour, category_vocabulary=None):
        self.title = title
        self.colour = colour
        self.category_vocabulary = category_vocabulary


def places():
    return MarkerType(_("Places"), "#0b5394", "ratusz.gis.place_kinds")


def events():
    return MarkerType(_("Events"), "#8e3b00")


def news():
    return MarkerType(_("News"), "#38761d")


def services():
    return MarkerType(_("Services"), "#5b2a86")


def marker_types():
    """``{portal_type: marker type}`` of every type on the maps.

    >>> sorted(marker_types())
    ['Event', 'News Item', 'Place', 'ServiceCard']
    """
    return dict(getUtilitiesFor(IMarkerType))


def marker_type(portal_type):
    """The marker type of ``portal_type``, or None if the type is not on the maps."""
    return queryUtility(IMarkerType, name=portal_type)
