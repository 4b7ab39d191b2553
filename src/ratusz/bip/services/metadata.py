"""The BIP metadata block in the REST API: ``GET <item>/@bip-metadata`` and
``GET <item>?expand=bip-metadata`` (requirements B1-B2)."""

from plone.restapi.interfaces import IExpandableElement
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.component import adapter
from zope.interface import implementer

from ratusz.bip.metadata import IBipMetadata
from ratusz.interfaces import IRatuszLayer
from ratusz.site.settings import city_settings_for_display


def bip_metadata(context, request):
    """The metadata block of a BIP item as JSON.

    >>> bip_metadata(resolution, request)["publishing_body"]
    'Urząd Miasta Przykładowo'
    """
    metadata = IBipMetadata(context)
    effective = context.effective_date
    return {
        "publishing_body": city_settings_for_display(request).office_name,
        "produced_by": metadata.bip_produced_by,
        "producing_unit": metadata.bip_producing_unit,
        "responsible": metadata.bip_responsible,
        "date_produced": json_compatible(metadata.bip_date_produced),
        "entered_by": getattr(context, "bip_entered_by", None),
        "date_published": json_compatible(effective) if effective is not None else None,
        "last_change": json_compatible(context.modified()),
        "history": f"{context.absolute_url()}/@@bip-history",
        "history_api": f"{context.absolute_url()}/@bip-history",
    }


@implementer(IExpandableElement)
@adapter(IBipMetadata, IRatuszLayer)
class BipMetadata:
    """The ``bip-metadata`` component of a BIP item."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, expand=False):
        result = {"bip-metadata": {"@id": f"{self.context.absolute_url()}/@bip-metadata"}}
        if expand:
            result["bip-metadata"].update(bip_metadata(self.context, self.request))
        return result


class BipMetadataGet(Service):
    def reply(self):
        return BipMetadata(self.context, self.request)(expand=True)["bip-metadata"]
