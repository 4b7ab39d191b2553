"""REST input of amounts: a Decimal field takes a number or a numeric text, or answers 400.

plone.restapi's default deserializer hands text to ``Decimal`` and lets its
``InvalidOperation`` through (a 500 for "dużo"), and refuses a JSON number as
the wrong type. This one takes ``1250000.50``, ``"1250000.50"`` and ``"1 250 000,50"``
alike and runs the field's checks, so REST refuses what the edit form refuses.
"""

from decimal import Decimal
from decimal import InvalidOperation

from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer.dxfields import DefaultFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer
from zope.schema.interfaces import IDecimal

from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer


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
            message = _(
                "Give ${field} as a number, e.g. 1250000.50.",
                mapping={"field": self.field.__name__},
            )
            raise ValueError(translate(message, context=self.request)) from None
        self.field.validate(amount)
        return amount
