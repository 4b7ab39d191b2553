"""Editing a BIP item through the REST API: the change-note rule of ``ratusz.bip.changenote``.

A ``PATCH`` of a published item without a non-empty ``changeNote`` answers 400 with
the same translated message as the edit form, and changes nothing.
"""

from plone.restapi.deserializer import json_body
from plone.restapi.deserializer.dxcontent import DeserializeFromJson
from plone.restapi.interfaces import IDeserializeFromJson
from zExceptions import BadRequest
from zope.component import adapter
from zope.interface import implementer

from ratusz.bip.changenote import change_note_message
from ratusz.bip.metadata import IBipMetadata
from ratusz.interfaces import IRatuszLayer


@implementer(IDeserializeFromJson)
@adapter(IBipMetadata, IRatuszLayer)
class DeserializeBipItemFromJson(DeserializeFromJson):
    def __call__(self, validate_all=False, data=None, create=False, mask_validation_errors=True):
        if data is None:
            data = json_body(self.request)
        if not create:
            # Checked before anything is written: a refused change leaves no trace.
            message = change_note_message(self.context, data.get("changeNote"), self.request)
            if message:
                raise BadRequest(message)
        return super().__call__(
            validate_all=validate_all,
            data=data,
            create=create,
            mask_validation_errors=mask_validation_errors,
        )
