"""REST input of a point: numbers on the map, or a clear 400 naming the field.

plone.formwidget.geolocation's own deserializer takes any two values (text,
``null``, 95° north) without validating the field; this one, registered for
Ratusz's browser layer, converts both to numbers and runs the field's checks
(``location.is_on_the_map``), so REST refuses what the edit form refuses.
"""

import math

from plone.dexterity.interfaces import IDexterityContent
from plone.formwidget.geolocation.geolocation import Geolocation
from plone.formwidget.geolocation.interfaces import IGeolocationField
from plone.restapi.deserializer.dxfields import DefaultFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer

from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer


@adapter(IGeolocationField, IDexterityContent, IRatuszLayer)
@implementer(IFieldDeserializer)
class GeolocationDeserializer(DefaultFieldDeserializer):
    """``{"latitude": 51.76, "longitude": 18.09}`` (numbers, or numbers as text), or null."""

    def __call__(self, value):
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) - {"latitude", "longitude"}:
            raise ValueError(self._say(_('Give the location as {"latitude": …, "longitude": …}.')))
        try:
            latitude, longitude = (float(value.get(key)) for key in ("latitude", "longitude"))
        except (TypeError, ValueError):
            raise ValueError(self._say(_("Latitude and longitude must be numbers."))) from None
        if not all(math.isfinite(number) for number in (latitude, longitude)):
            raise ValueError(self._say(_("Latitude and longitude must be numbers.")))
        point = Geolocation(latitude, longitude)
        self.field.validate(point)  # OutOfRange, with its message
        return point

    def _say(self, message):
        return translate(message, context=self.request)
