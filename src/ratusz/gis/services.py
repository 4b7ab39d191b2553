"""``GET @geojson`` on the site, a folder or a collection: the items on the maps as GeoJSON.

Filters (query string): ``portal_type`` (comma-separated or repeated),
``bbox=minLon,minLat,maxLon,maxLat``, ``q`` (words), ``category``. The answer
is an RFC 7946 FeatureCollection (``application/geo+json``) of what the current
user may see, with an ETag: the catalog's change counter, the user and the
query — a map loaded again while nothing changed gets ``304 Not Modified``.
Wrong filters answer 400 naming the filter.
"""

import hashlib
import json

from plone import api
from plone.restapi.services import Service
from zope.i18n import translate

from ratusz.gis.geojson import MAX_FEATURES
from ratusz.gis.geojson import GeoQueryError
from ratusz.gis.geojson import Markers
from ratusz.gis.geojson import feature_collection
from ratusz.i18n import _


def etag_of(request, context):
    """A tag that changes whenever the answer may: the catalog changed, another user (or
    other roles), another place, language or query.

    >>> etag_of(request, portal)
    'W/"3f0c…"'
    """
    catalog = api.portal.get_tool("portal_catalog")
    user = api.user.get_current()
    parts = [
        str(catalog.getCounter()),
        user.getId() or "",
        ",".join(sorted(user.getRolesInContext(context))),
        "/".join(context.getPhysicalPath()),
        request.get("LANGUAGE", ""),
        request.get("QUERY_STRING", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]
    return f'W/"{digest}"'


class GeoJSONGet(Service):
    """``GET <site|folder|collection>/@geojson``."""

    content_type = "application/geo+json"

    def render(self):
        self.check_permission()
        response = self.request.response
        etag = etag_of(self.request, self.context)
        response.setHeader("ETag", etag)
        response.setHeader("Cache-Control", "private, max-age=0, must-revalidate")
        response.setHeader("Vary", "Cookie, Authorization, Accept-Language")
        asked = self.request.getHeader("If-None-Match") or ""
        if etag in [tag.strip() for tag in asked.split(",")]:
            response.setStatus(304)
            return ""
        try:
            limit = min(int(self.request.form.get("limit") or MAX_FEATURES), MAX_FEATURES)
            if limit < 1:
                raise ValueError
        except ValueError:
            message = _(
                "Give limit as a whole number from 1 to ${max}.", mapping={"max": MAX_FEATURES}
            )
            return self._error("limit", translate(message, context=self.request))
        try:
            markers = Markers(self.context, self.request.form)
        except GeoQueryError as error:
            return self._error(error.field, translate(error.message, context=self.request))
        collection = feature_collection(markers, self.request, limit)
        response.setHeader("Content-Type", f"{self.content_type}; charset=utf-8")
        # Compact: indenting and sorting thousands of features costs more than the query.
        return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))

    def _error(self, field, message):
        self.request.response.setStatus(400)
        self.request.response.setHeader("Content-Type", "application/json; charset=utf-8")
        return json.dumps(
            {"error": {"type": "BadRequest", "message": message, "field": field}},
            ensure_ascii=False,
        )
