"""A report in plone.restapi: its fields as the reader may read them, plus its number.

The reporter's name, e-mail and phone, the original photo and the staff notes
have the field read permission ``ratusz: Handle citizen reports``, which
plone.restapi's serializer honours; this one adds what is not a field: the
number, the state's title and, for a duplicate, the original.
"""

from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from zope.component import adapter
from zope.interface import implementer

from ratusz.gis.reports.content import ICitizenReport
from ratusz.gis.reports.content import state_title
from ratusz.gis.reports.tracking import original_of
from ratusz.interfaces import IRatuszLayer


@implementer(ISerializeToJson)
@adapter(ICitizenReport, IRatuszLayer)
class ReportSerializer(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        from plone import api

        state = api.content.get_state(self.context, default=None)
        result["report_number"] = getattr(self.context, "report_number", None)
        result["state_title"] = state_title(state, request=self.request)
        result["duplicate_of"] = original_of(self.context) if state == "duplicate" else None
        return result
