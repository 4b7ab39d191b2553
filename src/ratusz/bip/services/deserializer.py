"""Editing a BIP item through the REST API: the change-note rule of ``ratusz.bip.changenote``.

A ``PATCH`` of a published item without a non-empty ``changeNote`` answers 400 with
the same translated message as the edit form, and changes nothing.
"""

from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer import json_body
from plone.restapi.deserializer.dxcontent import DeserializeFromJson
from plone.restapi.deserializer.dxfields import DatetimeFieldDeserializer
from plone.restapi.interfaces import IDeserializeFromJson
from plone.restapi.interfaces import IFieldDeserializer
from zExceptions import BadRequest
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer
from zope.schema.interfaces import IDatetime

from ratusz.bip.changenote import change_note_message
from ratusz.bip.metadata import IBipMetadata
from ratusz.i18n import _
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


@implementer(IFieldDeserializer)
@adapter(IDatetime, IDexterityContent, IRatuszLayer)
class TextOnlyDatetimeDeserializer(DatetimeFieldDeserializer):
    """A date and time sent as a number is refused (400), not a TypeError (500)."""

    def __call__(self, value):
        if value is not None and not isinstance(value, str):
            raise ValueError(
                translate(
                    _("Enter a date and time as text, e.g. 2026-03-01T10:00."),
                    context=self.request,
                )
            )
        return super().__call__(value)
