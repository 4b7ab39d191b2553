"""Requests as JSON for the REST API."""

from zope.i18n import translate

from ratusz.bip.information_requests import storage
from ratusz.bip.information_requests.interfaces import STATUSES


def serialize_receipt(record):
    """What a requester gets back: the number and the dates, nothing personal.

    >>> serialize_receipt(record)
    {'number': 'UDIP.1.2026', 'received': '2026-05-01T10:00:00+02:00', 'deadline': '2026-05-15', …}
    """
    return {
        "number": record["number"],
        "received": record["received"].isoformat(),
        "deadline": record["deadline"].isoformat(),
        "status": record["status"],
    }


def serialize_information_request(record, request, on=None):
    """A stored request for staff, with the days left and whether it is overdue.

    >>> serialize_information_request(record, request)["days_left"]
    14
    """
    try:
        status_title = translate(STATUSES.getTerm(record["status"]).title, context=request)
    except LookupError:
        status_title = record["status"]
    return dict(
        serialize_receipt(record),
        status_title=status_title,
        days_left=storage.days_left(record, on),
        overdue=storage.is_overdue(record, on),
        name=record["name"],
        email=record["email"],
        postal_address=record["postal_address"],
        text=record["text"],
        access_way=record["access_way"],
        access_form=record["access_form"],
        language=record["language"],
    )
