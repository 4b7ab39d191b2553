"""Reading the city settings: one place, so views never touch the registry by hand."""

from types import SimpleNamespace

from plone.registry.interfaces import IRegistry
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.globalrequest import getRequest
from zope.schema import getFieldNames

from ratusz.site.interfaces import ICitySettings
from ratusz.validators import EMAIL
from ratusz.validators import HEX_COLOUR
from ratusz.validators import URL

PREFIX = "ratusz.city"
_REQUEST_KEY = "ratusz.site.city_settings"
# The image is served by @@ratusz-coat-of-arms; pages only link to it.
_NOT_DISPLAYED = {"coat_of_arms"}


def get_city_settings():
    """Return the city settings as a registry proxy (reads and writes go to the registry).

    >>> get_city_settings().city_name
    'Przykładowo'
    """
    return getUtility(IRegistry).forInterface(ICitySettings, prefix=PREFIX, check=False)


def city_settings_for_display(request=None):
    """The city settings read once per request, for the viewlets of every page.

    Each attribute of a registry proxy is a registry lookup, and five viewlets
    read them on every page; a snapshot per request reads each record once.

    >>> city_settings_for_display().office_name
    'Urząd Miasta Przykładowo'
    """
    request = request if request is not None else getRequest()
    cache = IAnnotations(request, None) if request is not None else None
    if cache is not None and _REQUEST_KEY in cache:
        return cache[_REQUEST_KEY]
    proxy = get_city_settings()
    snapshot = SimpleNamespace(
        **{
            name: getattr(proxy, name)
            for name in getFieldNames(ICitySettings)
            if name not in _NOT_DISPLAYED
        }
    )
    if cache is not None:
        cache[_REQUEST_KEY] = snapshot
    return snapshot


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


def safe_email(value):
    """The e-mail address if it is a plain one, else None (checked again where it is shown).

    >>> safe_email("urzad@x.pl?bcc=spy@evil.example") is None
    True
    """
    return value if value and EMAIL.match(value) else None


def _local_or_absolute(value, portal_url, default_path):
    # The registry keeps no field constraints: values written by GenericSetup
    # or the registry editor are checked again before they become links.
    if not value or not URL.match(value):
        value = default_path
    if value.startswith("/"):
        return portal_url.rstrip("/") + value
    return value
