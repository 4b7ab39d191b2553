"""The city settings stored in the registry (prefix ``ratusz.city``)."""

from plone.autoform import directives
from plone.formwidget.namedfile.widget import NamedImageFieldWidget
from zope import schema
from zope.interface import Interface

from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.validators import is_email_or_empty
from ratusz.validators import is_hex_colour
from ratusz.validators import is_url_or_empty


class ICitySettings(Interface):
    """What an integrator sets once to make Ratusz the city's own site."""

    city_name = schema.TextLine(
        title=_("City name"),
        description=_("As shown next to the coat of arms, e.g. Przykładowo."),
        default="Przykładowo",
        max_length=120,
        constraint=has_no_markup,
    )

    office_name = schema.TextLine(
        title=_("Office name"),
        description=_("The body that publishes the site, e.g. Urząd Miasta Przykładowo."),
        default="Urząd Miasta Przykładowo",
        max_length=200,
        constraint=has_no_markup,
    )

    directives.widget("coat_of_arms", NamedImageFieldWidget)
    coat_of_arms = schema.Bytes(
        title=_("Coat of arms"),
        description=_("An image (PNG, SVG, JPEG) shown in the header of every page."),
        required=False,
    )

    primary_colour = schema.TextLine(
        title=_("Primary colour"),
        description=_("Header and links. Keep a contrast of at least 4.5:1 with white."),
        default="#8b1a1a",
        constraint=is_hex_colour,
    )

    secondary_colour = schema.TextLine(
        title=_("Secondary colour"),
        description=_("Footer background. Keep a contrast of at least 4.5:1 with white."),
        default="#1d3a5f",
        constraint=is_hex_colour,
    )

    street_address = schema.Text(
        title=_("Address"),
        default="ul. Rynek 1\n99-999 Przykładowo",
        max_length=400,
        constraint=has_no_markup,
    )

    phone = schema.TextLine(
        title=_("Phone"),
        default="+48 99 123 45 67",
        required=False,
        max_length=60,
        constraint=has_no_markup,
    )

    email = schema.ASCIILine(
        title=_("E-mail"),
        default="urzad@przykladowo.example",
        required=False,
        max_length=200,
        constraint=is_email_or_empty,
    )

    epuap_inbox = schema.TextLine(
        title=_("Electronic inbox (ePUAP) address"),
        description=_("E.g. /UMPrzykladowo/SkrytkaESP"),
        default="/UMPrzykladowo/SkrytkaESP",
        required=False,
        max_length=200,
        constraint=has_no_markup,
    )

    opening_hours = schema.Text(
        title=_("Opening hours"),
        default="pon. 8:00–17:00, wt.–pt. 7:30–15:30",
        required=False,
        max_length=400,
        constraint=has_no_markup,
    )

    bip_url = schema.TextLine(
        title=_("Public Information Bulletin (BIP) address"),
        description=_("Leave empty for the BIP of this site (/pl/bip)."),
        required=False,
        max_length=400,
        constraint=is_url_or_empty,
    )

    accessibility_declaration_url = schema.TextLine(
        title=_("Accessibility declaration address"),
        description=_("Leave empty for this site's declaration (/pl/deklaracja-dostepnosci)."),
        required=False,
        max_length=400,
        constraint=is_url_or_empty,
    )
