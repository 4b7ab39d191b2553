"""``@information-requests``: anyone sends a request (POST), staff list them (GET)."""

from plone.restapi.batching import HypermediaBatch
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.i18n import translate

from ratusz.bip.information_requests.deserializer import deserialize_information_request
from ratusz.bip.information_requests.handlers import receive_information_request
from ratusz.bip.information_requests.serializers import serialize_information_request
from ratusz.bip.information_requests.serializers import serialize_receipt
from ratusz.bip.information_requests.storage import information_requests
from ratusz.i18n import _


class InformationRequestsPost(Service):
    """``POST <section>/@information-requests``: 201 with the number and deadline, or 400."""

    def reply(self):
        try:
            data = json_body(self.request)
        except DeserializationError:
            message = translate(_("Send the request as a JSON object."), context=self.request)
            return self.bad_request([{"field": None, "message": message}])
        values, errors = deserialize_information_request(data, self.context, self.request)
        if errors:
            return self.bad_request(errors)
        information_request = receive_information_request(values, self.context, self.request)
        self.request.response.setStatus(201)
        return serialize_receipt(information_request)

    def bad_request(self, errors):
        self.request.response.setStatus(400)
        return {
            "error": {
                "type": "BadRequest",
                "message": " ".join(error["message"] for error in errors),
                "errors": errors,
            }
        }


class InformationRequestsGet(Service):
    """``GET <section>/@information-requests``: every request, newest first, batched."""

    def reply(self):
        batch = HypermediaBatch(self.request, information_requests())
        result = {
            "@id": batch.canonical_url,
            "items": [serialize_information_request(record, self.request) for record in batch],
            "items_total": batch.items_total,
        }
        if batch.links:
            result["batching"] = batch.links
        return result
