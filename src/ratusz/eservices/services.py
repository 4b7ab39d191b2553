"""REST API of e-services: the catalogue (``@eservices``) and case tracking (``@case-status``).

The services only read: they call the same functions as the pages, and the
serialisation of their results is kept here, apart from them.
"""

from plone.restapi.services import Service
from zope.i18n import translate

from ratusz.eservices.tracking import TrackingRefused
from ratusz.eservices.tracking import case_status
from ratusz.eservices.views import CatalogueView
from ratusz.eservices.views import client_address


def _iso(value):
    return value.isoformat() if value is not None else None


def serialize_status(status, request):
    """The public status as JSON-ready data, its words in the request's language."""
    tr = lambda message: translate(message, context=request)  # noqa: E731
    return {
        "sign": status["sign"],
        "service": status["service"],
        "state": status["state"],
        "state_title": tr(status["title"]),
        "received": _iso(status["received"]),
        "deadline": _iso(status["deadline"]),
        "settled_on": _iso(status["settled_on"]),
        "history": [
            {"at": _iso(step["at"]), "state": step["state"], "title": tr(step["title"])}
            for step in status["history"]
        ],
        "delays": [
            {
                "at": _iso(notice["at"]),
                "reason": notice["reason"],
                "new_deadline": _iso(notice["new_deadline"]),
            }
            for notice in status["delays"]
        ],
    }


class CaseStatusGet(Service):
    """``GET @case-status?sign=…&key=…``: the public status of a case filed online."""

    def reply(self):
        form = self.request.form
        try:
            status = case_status(
                form.get("sign") or "", form.get("key") or "", client_address(self.request)
            )
        except TrackingRefused as refusal:
            too_many = "minutes" in (getattr(refusal.message, "mapping", None) or {})
            self.request.response.setStatus(429 if too_many else 404)
            return {
                "error": {
                    "type": "TooManyRequests" if too_many else "NotFound",
                    "message": translate(refusal.message, context=self.request),
                }
            }
        self.request.response.setHeader("Cache-Control", "no-store")
        return serialize_status(status, self.request)


class EServicesGet(Service):
    """``GET <catalogue>/@eservices?q=…&event=…``: the cards of the catalogue."""

    def reply(self):
        view = CatalogueView(self.context, self.request)
        return {
            "@id": f"{self.context.absolute_url()}/@eservices",
            "life_events": [{"id": e["id"], "title": e["title"]} for e in view.events()],
            "items": [
                {
                    "@id": card["url"],
                    "title": card["title"],
                    "description": card["description"],
                    "handling_time": card["handling_time"],
                    "online": bool(card["has_form"]),
                    "life_events": card["events"],
                }
                for card in view.cards()
            ],
        }
