"""The two mails of a request: to the BIP administrator and to the requester.

Both are plain text (``text/plain``, UTF-8): what a requester typed is never
shown as HTML. Only the number goes into a subject and only a validated
address into ``To``, so no typed text can add headers. The mails leave after
the submission is committed: an unreachable mail server is logged and does
not lose the request, which staff still find in the list.
"""

from plone import api
from zope.i18n import translate

from ratusz.bip.information_requests.interfaces import ACCESS_FORMS
from ratusz.bip.information_requests.interfaces import ACCESS_WAYS
from ratusz.bip.settings import bip_setting
from ratusz.i18n import _
from ratusz.site.settings import city_settings_for_display
from ratusz.site.settings import safe_email


def _t(message, request):
    return translate(message, context=request)


def _dates(record):
    return {
        "number": record["number"],
        "received": record["received"].strftime("%Y-%m-%d %H:%M"),
        "deadline": record["deadline"].isoformat(),
    }


def administrator_mail(record, request):
    """``(recipient, subject, body)`` telling the BIP administrator about ``record``.

    >>> administrator_mail(record, request)[1]
    'New request for information UDIP.1.2026'
    """
    recipient = safe_email(bip_setting("administrator_email")) or safe_email(
        api.portal.get_registry_record("plone.email_from_address", default=None)
    )
    values = _dates(record)
    nobody = _t(_("(not given)"), request)
    lines = [
        _t(_("A request for information was received through the BIP."), request),
        "",
        _t(_("Number: ${number}", mapping=values), request),
        _t(_("Received: ${received}", mapping=values), request),
        _t(_("Deadline for the answer: ${deadline}", mapping=values), request),
        "",
        _t(_("Name: ${value}", mapping={"value": record["name"] or nobody}), request),
        _t(_("E-mail: ${value}", mapping={"value": record["email"] or nobody}), request),
        _t(_("Postal address:"), request),
        record["postal_address"] or nobody,
        _t(
            _(
                "Way of access: ${value}",
                mapping={"value": _t(ACCESS_WAYS.getTerm(record["access_way"]).title, request)},
            ),
            request,
        ),
        _t(
            _(
                "Form: ${value}",
                mapping={"value": _t(ACCESS_FORMS.getTerm(record["access_form"]).title, request)},
            ),
            request,
        ),
        "",
        _t(_("Information requested:"), request),
        record["text"],
    ]
    subject = _t(_("New request for information ${number}", mapping=values), request)
    return recipient, subject, "\n".join(lines)


def confirmation_mail(record, request):
    """``(recipient, subject, body)`` confirming receipt to the requester, or None without e-mail.

    >>> confirmation_mail(record, request)[0]
    'jan@example.org'
    """
    recipient = safe_email(record["email"])
    if not recipient:
        return None
    values = _dates(record)
    office = city_settings_for_display(request).office_name
    lines = [
        _t(
            _("${office} has received your request for information.", mapping={"office": office}),
            request,
        ),
        "",
        _t(_("Number: ${number}", mapping=values), request),
        _t(_("Received: ${received}", mapping=values), request),
        _t(_("Deadline for the answer: ${deadline}", mapping=values), request),
        "",
        _t(
            _(
                "The office answers without undue delay, at the latest within 14 days. If "
                "that is not possible, it tells you within 14 days why, and when you will "
                "receive the information (at most 2 months from the request)."
            ),
            request,
        ),
        _t(_("Please quote the number in any further correspondence."), request),
        "",
        _t(_("Your request:"), request),
        record["text"],
    ]
    subject = _t(_("Your request for information ${number}", mapping=values), request)
    return recipient, subject, "\n".join(lines)
