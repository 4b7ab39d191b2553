"""Reading the city settings: one place, so views never touch the registry by hand."""

from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from ratusz.site.interfaces import HEX_COLOUR
from ratusz.site.interfaces import ICitySettings

PREFIX = "ratusz.city"


def get_city_settings():
    """Return the city settings as a registry proxy.

    >>> get_city_settings().city_name
    'Przykładowo'
    """
    return getUtility(IRegistry).forInterface(ICitySettings, prefix=PREFIX, check=False)


def safe_colour(value, field_name):
    """Return ``value`` if it is ``#rrggbb``, else the field's default.

    The form validates colours, but the registry can also be written through
    GenericSetup or the REST API; a colour goes into a ``<style>`` element, so
    it is checked again where it is used.

    >>> safe_colour("red;}</style><script>", "primary_colour")
    '#8b1a1a'
    """
    if value and HEX_COLOUR.match(value):
        return value
    return ICitySettings[field_name].default


def bip_url(portal_url, settings=None):
    """The address of the BIP: the configured one, else this site's ``/pl/bip``."""
    settings = settings or get_city_settings()
    return _local_or_absolute(settings.bip_url, portal_url, "/pl/bip")


def accessibility_declaration_url(portal_url, settings=None):
    """The address of the accessibility declaration linked from every page."""
    settings = settings or get_city_settings()
    return _local_or_absolute(
        settings.accessibility_declaration_url, portal_url, "/pl/deklaracja-dostepnosci"
    )


def _local_or_absolute(value, portal_url, default_path):
    value = value or default_path
    if value.startswith("/"):
        return portal_url.rstrip("/") + value
    return value
