"""Investments: what the city builds, where, for how much, by whom and when.

An Investment is a folder (its photos are Images added inside it) with the
location behavior and the facts a resident asks about: the budget in PLN, the
status (planned, tender, in progress, completed, cancelled), the planned and
actual dates and the contractor. It is a marker type on the maps (categories =
statuses); its popup and ``@geojson`` show the public facts from catalog
metadata (``InvestmentProperties``).
"""

from decimal import ROUND_HALF_UP
from decimal import Decimal

from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.interface import Invalid
from zope.interface import implementer
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory

from ratusz.gis.location import IGeoProperties
from ratusz.gis.markers import MarkerType
from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.vocabularies import fixed_vocabulary

INVESTMENT_STATUSES = (
    ("planned", _("Planned")),
    ("tender", _("Tender")),
    ("in_progress", _("In progress")),
    ("completed", _("Completed")),
    ("cancelled", _("Cancelled")),
)

NBSP = "\u00a0"  # keeps "1 250 000,00 zł" on one line
MAX_BUDGET = Decimal("999999999999.99")  # a trillion złoty less a grosz: beyond any city


@provider(IVocabularyFactory)
def investment_statuses(context):
    """The statuses of an investment (a map's categories of investments)."""
    return fixed_vocabulary(*INVESTMENT_STATUSES)


def investments():
    """The marker type of investments: brown markers, categories = statuses."""
    return MarkerType(_("Investments"), "#7f4f24", "ratusz.gis.investment_statuses")


class EndBeforeStart(Invalid):
    """An end date before its start date."""


def is_whole_grosze(value):
    """The budget's constraint: not negative — not even "-0", which Decimal keeps and
    would show as "-0,00 zł" — and at most two decimal places (grosze).

    >>> is_whole_grosze(Decimal("1250000.50"))
    True
    >>> is_whole_grosze(Decimal("-0"))
    Traceback (most recent call last):
    NegativeBudget: -0
    """
    if value is None:
        return True
    if value.is_signed():
        raise NegativeBudget(value)
    if not value.is_finite() or value.as_tuple().exponent < -2 and value != round(value, 2):
        raise NotInGrosze(value)
    return True


class NotInGrosze(schema.ValidationError):
    __doc__ = _("Give the budget in złoty with at most two decimal places (grosze).")


class NegativeBudget(schema.ValidationError):
    __doc__ = _("The budget cannot be negative: give it without a minus sign.")


class IInvestment(model.Schema):
    """A city investment."""

    budget = schema.Decimal(
        title=_("Budget (PLN)"),
        description=_("The amount in the budget resolution, in złoty, e.g. 1250000.00."),
        required=False,
        min=Decimal("0"),
        max=MAX_BUDGET,
        constraint=is_whole_grosze,
    )
    status = schema.Choice(
        title=_("Status"),
        vocabulary="ratusz.gis.investment_statuses",
        default="planned",
    )
    contractor = schema.TextLine(
        title=_("Contractor"),
        description=_("The company or unit carrying out the works, once chosen."),
        required=False,
        max_length=300,
        constraint=has_no_markup,
    )

    model.fieldset(
        "dates",
        label=_("Dates"),
        fields=["planned_start", "planned_end", "actual_start", "actual_end"],
    )
    planned_start = schema.Date(title=_("Planned start"), required=False)
    planned_end = schema.Date(title=_("Planned end"), required=False)
    actual_start = schema.Date(title=_("Actual start"), required=False)
    actual_end = schema.Date(title=_("Actual end"), required=False)

    @invariant
    def planned_end_not_before_start(data):
        start, end = _get(data, "planned_start"), _get(data, "planned_end")
        if start and end and end < start:
            raise EndBeforeStart(_("The planned end cannot be before the planned start."))

    @invariant
    def actual_end_not_before_start(data):
        start, end = _get(data, "actual_start"), _get(data, "actual_end")
        if start and end and end < start:
            raise EndBeforeStart(_("The actual end cannot be before the actual start."))


def _get(data, name):
    # z3c.form hands invariants a Data object that reads fields not in the form from
    # the context; it raises AttributeError for a field it has no value of at all.
    return getattr(data, name, None)


def format_pln(amount):
    """An amount as Polish text: spaces between thousands, a decimal comma, "zł".

    >>> format_pln(Decimal("1250000.5"))
    '1\u00a0250\u00a0000,50\u00a0zł'
    """
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount.is_zero():  # "-0" (stored before it was refused) is shown as 0,00 zł
        amount = abs(amount)
    whole, _dot, grosze = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', NBSP)},{grosze}{NBSP}zł"


@adapter(IInvestment)
@implementer(IGeoProperties)
class InvestmentProperties:
    """An investment's popup: its status (the category), budget and dates — public facts."""

    def __init__(self, context):
        self.context = context

    def __call__(self):
        context = self.context
        budget = getattr(context, "budget", None)
        found = {
            "category": getattr(context, "status", None),
            "budget": str(budget) if budget is not None else None,
            "budget_text": format_pln(budget) or None,
            "contractor": getattr(context, "contractor", None),
        }
        for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
            value = getattr(context, name, None)
            found[name] = value.isoformat() if value else None
        return {name: value for name, value in found.items() if value}
