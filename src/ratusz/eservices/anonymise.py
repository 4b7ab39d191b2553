"""Anonymising a settled case's personal data once its retention has ended (R2).

The case stays (its sign, subject, dates, states and record keep the office's
statistics and history); what names or reaches a person goes: the parties, the
sender of its incoming items, the applicant's e-mail and account, and the
documents the e-service made of the submission (the application and the
uploads). The record keeps its rows, and gains one saying who anonymised the
case and when. A case of category A is kept for ever, so it is never anonymised.
"""

from datetime import date

from Acquisition import aq_base
from plone import api

from ratusz.cases.archive import case_retention
from ratusz.cases.case import log
from ratusz.i18n import _
from ratusz.validators import InputError

REMOVED = "[dane osobowe usunięte]"
CLOSED_STATES = ("settled", "archived")


class AnonymiseError(InputError):
    """A case that may not be anonymised (yet)."""


def anonymise_refusal(case, today=None):
    """Why ``case`` may not be anonymised now, or None if it may.

    >>> anonymise_refusal(case, date(2026, 12, 3))
    'The retention period of the case has not ended (it ends in 2031).'
    """
    today = today or date.today()
    if getattr(aq_base(case), "anonymised_on", None):
        return _("The case is already anonymised.")
    if api.content.get_state(case) not in CLOSED_STATES:
        return _("Only a settled case can be anonymised.")
    retention = case_retention(case)
    if retention["permanent"]:
        return _("The case is kept permanently (category A); it is not anonymised.")
    if retention["end_year"] is None or retention["end_year"] >= today.year:
        return _(
            "The retention period of the case has not ended (it ends in ${year}).",
            mapping={"year": retention["end_year"] or "—"},
        )
    return None


def anonymise_case(case, today=None):
    """Remove the personal data of ``case`` (see the module); return how many documents went.

    >>> anonymise_case(case, date(2032, 1, 2))
    2
    """
    today = today or date.today()
    refusal = anonymise_refusal(case, today)
    if refusal:
        raise AnonymiseError(None, refusal)
    case.parties = [REMOVED] if case.parties else []
    received_from = getattr(aq_base(case), "received_from", None)
    if received_from:
        case.received_from = dict(received_from, sender=REMOVED, letter_sign=None)
    for uid in getattr(aq_base(case), "incoming", None) or ():
        item = api.content.get(UID=uid)
        if item is not None:
            item.sender = REMOVED
            item.sender_address = None
            item.reindexObject()
    record = getattr(aq_base(case), "eservice", None)
    if record is not None:
        record["email"] = None
        record["owner"] = None
    documents = [
        obj for obj in case.objectValues() if getattr(aq_base(obj), "eservice_document", False)
    ]
    for document in documents:
        # The record names the document by its number; the content with the data goes.
        case._delObject(document.getId())
    case.anonymised_on = today
    log(
        case,
        _("Personal data anonymised after the retention period"),
        note=", ".join(str(getattr(d, "document_number", "")) for d in documents),
    )
    case.reindexObject()
    return len(documents)
