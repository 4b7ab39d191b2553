"""``GET <layer>/@map-statistics``: a map layer's counts per area as JSON (plone.restapi)."""

from plone.restapi.services import Service
from zope.i18n import translate

from ratusz.gis.geojson import GeoQueryError
from ratusz.gis.layerdata import LayerFileError
from ratusz.gis.statistics import layer_statistics
from ratusz.gis.statistics import statistics_json
from ratusz.gis.statistics import statistics_types


class MapStatisticsGet(Service):
    """Query string: ``portal_type`` (comma-separated or repeated; default citizen reports
    and investments). Unknown types answer 400 naming them."""

    def reply(self):
        try:
            types = statistics_types(self.request.form.get("portal_type"))
            stats = layer_statistics(self.context, types)
        except GeoQueryError as error:
            return self._error(error.field, error.message)
        except LayerFileError as error:  # stored past the upload check
            return self._error("file", error.doc())
        url = f"{self.context.absolute_url()}/@map-statistics"
        query = self.request.get("QUERY_STRING")
        return statistics_json(stats, self.request, f"{url}?{query}" if query else url)

    def _error(self, field, message):
        self.request.response.setStatus(400)
        return {
            "error": {
                "type": "BadRequest",
                "field": field,
                "message": translate(message, context=self.request),
            }
        }
