"""Places: the office, its service points, schools, libraries… with address and opening hours.

A Place is an item with the location behavior (a point and an address) and
what a resident needs before going there: what kind of place it is, when it is
open, how to call or write. The map popups and ``@geojson`` show those fields
from catalog metadata (``PlaceProperties``).
"""

from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.interface import implementer
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory

from ratusz.gis.location import IGeoProperties
from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.validators import is_email_or_empty
from ratusz.vocabularies import fixed_vocabulary

PLACE_KINDS = (
    ("office", _("Office")),
    ("service_point", _("Service point")),
    ("school", _("School")),
    ("kindergarten", _("Kindergarten or nursery")),
    ("library", _("Library")),
    ("culture", _("Culture")),
    ("sport", _("Sport and recreation")),
    ("health", _("Health and social care")),
    ("transport", _("Transport")),
    ("other", _("Other")),
)


@provider(IVocabularyFactory)
def place_kinds(context):
    """The kinds of places (a map's categories of places)."""
    return fixed_vocabulary(*PLACE_KINDS)


class IPlace(model.Schema):
    """A place residents go to."""

    place_kind = schema.Choice(
        title=_("Kind of place"),
        vocabulary="ratusz.gis.place_kinds",
        default="office",
    )
    opening_hours = schema.Text(
        title=_("Opening hours"),
        description=_("One line per day or group of days, e.g. “Mon–Fri 7:30–15:30”."),
        required=False,
        max_length=1000,
        constraint=has_no_markup,
    )
    phone = schema.TextLine(
        title=_("Phone"), required=False, max_length=50, constraint=has_no_markup
    )
    email = schema.TextLine(
        title=_("E-mail"), required=False, max_length=254, constraint=is_email_or_empty
    )
    website = schema.URI(title=_("Website"), required=False, max_length=500)


@adapter(IPlace)
@implementer(IGeoProperties)
class PlaceProperties:
    """A place's popup: its kind (the category), opening hours and contact."""

    def __init__(self, context):
        self.context = context

    def __call__(self):
        context = self.context
        found = {
            "category": context.place_kind,
            "opening_hours": context.opening_hours,
            "phone": context.phone,
            "email": context.email,
            "website": context.website,
        }
        return {name: value for name, value in found.items() if value}
