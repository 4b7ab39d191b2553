"""REST input of amounts and of map layer files.

Amounts: plone.restapi's default deserializer hands text to ``Decimal`` and lets
its ``InvalidOperation`` through (a 500 for "dużo"), and refuses a JSON number as
the wrong type. ``DecimalDeserializer`` takes ``1250000.50``, ``"1250000.50"`` and
``"1 250 000,50"`` alike and runs the field's checks, so REST refuses what the edit
form refuses.

Layer files: plone.restapi decodes a file's base64 text before the field's size
check runs. ``LayerFileDeserializer`` refuses text longer than the limit's base64
length first, so an oversized upload is not decoded (the JSON body itself has been
read and parsed by then: see docs/gis-layers.md).
"""

from decimal import Decimal
from decimal import InvalidOperation

from plone.dexterity.interfaces import IDexterityContent
from plone.namedfile.interfaces import INamedBlobFileField
from plone.restapi.deserializer.dxfields import DefaultFieldDeserializer
from plone.restapi.deserializer.dxfields import NamedFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer
from zope.schema.interfaces import IDecimal

from ratusz.gis.layerdata import too_big
from ratusz.gis.layers import IMapLayer
from ratusz.gis.layers import max_file_bytes
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer

# base64 text may be broken into lines (RFC 2045: 76 characters and CRLF): 3 % more
LINE_BREAKS = 1.03


def parse_amount(value):
    """A Decimal from a JSON number or a text, Polish or not; ValueError if it is none.

    >>> parse_amount("1 250 000,50")
    Decimal('1250000.50')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not amount.is_finite():
        raise ValueError(value)
    return amount


@adapter(IDecimal, IDexterityContent, IRatuszLayer)
@implementer(IFieldDeserializer)
class DecimalDeserializer(DefaultFieldDeserializer):
    def __call__(self, value):
        try:
            amount = parse_amount(value)
        except ValueError:
            title = translate(self.field.title or self.field.__name__, context=self.request)
            message = _(
                "${field}: give a number, e.g. 1250000.50.",
                mapping={"field": title},
            )
            raise ValueError(translate(message, context=self.request)) from None
        self.field.validate(amount)
        return amount


def decoded_size(value):
    """The bytes a plone.restapi file value would decode to, estimated from its text.

    >>> decoded_size({"data": "eyJ0eXBlIjogIlBvaW50In0=", "encoding": "base64"})
    18
    """
    data = value.get("data") if isinstance(value, dict) else None
    if not isinstance(data, str):
        return 0
    if str(value.get("encoding", "")).lower() == "base64":
        return len(data) * 3 // 4
    return len(data)


@adapter(INamedBlobFileField, IMapLayer, IRatuszLayer)
@implementer(IFieldDeserializer)
class LayerFileDeserializer(NamedFieldDeserializer):
    """A map layer's file: text longer than the size limit allows is refused with the
    upload check's message before it is decoded."""

    def __call__(self, value):
        limit = max_file_bytes()
        size = decoded_size(value)
        if size > limit * LINE_BREAKS:
            raise too_big(size, limit)
        return super().__call__(value)
