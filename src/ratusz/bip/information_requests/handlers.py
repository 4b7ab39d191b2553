"""Receiving a request: number it, then run the registered handlers in order.

Handlers are named utilities providing ``IInformationRequestHandler``, like
collective.easyform's actions: another part of Ratusz (e.g. case management)
registers its own to turn a request into a case, without touching this code.
"""

from zope.component import getUtilitiesFor
from zope.interface import implementer

from ratusz.bip.information_requests import mail
from ratusz.bip.information_requests import storage
from ratusz.bip.information_requests.interfaces import IInformationRequestHandler
from ratusz.mail import send_after_commit


@implementer(IInformationRequestHandler)
class StoreHandler:
    """``store``: keep the request for the staff list and the REST API."""

    order = 100

    def __call__(self, information_request, context, request):
        storage.store(information_request)


@implementer(IInformationRequestHandler)
class NotifyHandler:
    """``notify``: mail the BIP administrator and, if an e-mail was given, the requester."""

    order = 900

    def __call__(self, information_request, context, request):
        send_after_commit(
            [
                mail.administrator_mail(information_request, request),
                mail.confirmation_mail(information_request, request),
            ]
        )


def information_request_handlers():
    """The registered handlers as ``[(name, handler)]``, in the order they run.

    >>> [name for name, handler in information_request_handlers()]
    ['store', 'notify']
    """
    handlers = getUtilitiesFor(IInformationRequestHandler)
    return sorted(handlers, key=lambda item: (getattr(item[1], "order", 500), item[0]))


def receive_information_request(data, context, request):
    """Number a validated request, run every handler on it, and return it.

    >>> receive_information_request({"email": "jan@example.org", "text": "…"}, section, request)
    {'number': 'UDIP.1.2026', 'deadline': datetime.date(2026, 5, 15), ...}
    """
    information_request = storage.new_information_request(data, context)
    for _name, handler in information_request_handlers():
        handler(information_request, context, request)
    return information_request
