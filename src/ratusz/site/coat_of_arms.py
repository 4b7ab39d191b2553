"""``@@ratusz-coat-of-arms``: the city's coat of arms from the city settings."""

import binascii
import mimetypes
from importlib import resources

from plone.formwidget.namedfile.converter import b64decode_file
from Products.Five.browser import BrowserView

from ratusz.site.settings import get_city_settings

DEFAULT_FILE = "theme/img/coat-of-arms.svg"
ALLOWED_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}


def coat_of_arms():
    """Return ``(data, content_type)`` of the configured image or the default one.

    >>> data, content_type = coat_of_arms()
    >>> content_type
    'image/svg+xml'
    """
    raw = get_city_settings().coat_of_arms
    if raw:
        try:
            filename, data = b64decode_file(raw)
        except (ValueError, binascii.Error):
            # The REST API stores any ASCII it is given; a broken value must
            # not break the header of every page.
            filename, data = None, None
        content_type = mimetypes.guess_type(filename or "")[0]
        if content_type in ALLOWED_TYPES:
            return data, content_type
    default = resources.files("ratusz").joinpath(DEFAULT_FILE)
    return default.read_bytes(), "image/svg+xml"


class CoatOfArmsView(BrowserView):
    def __call__(self):
        data, content_type = coat_of_arms()
        response = self.request.response
        response.setHeader("Content-Type", content_type)
        response.setHeader("X-Content-Type-Options", "nosniff")
        # An uploaded SVG may carry scripts: opened on its own it must not run them.
        response.setHeader(
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        response.setHeader("Cache-Control", "public, max-age=3600")
        return data
