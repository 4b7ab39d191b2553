"""Mails to the reporter: the receipt (number and tracking link) and each change of state.

Plain text, in the language the report was filed in, through the mail queue
(``ratusz.mail.send_queued``): sent only if the change is committed. The texts
are translations (domain ``ratusz``), not templates: the tracking link is in
each, and nothing a resident typed goes into a header but the subject's
number.

The receipt carries the token (the tracking link); a state mail cannot (the
token is not stored), so it links the status page, where the reporter types
the number and the token from their receipt, and the public page of a public
report.
"""

from Acquisition import aq_base
from Acquisition import aq_parent
from zope.i18n import translate

from ratusz.gis.reports.categories import category_title
from ratusz.gis.reports.content import PUBLIC_STATES
from ratusz.gis.reports.content import report_language
from ratusz.gis.reports.content import state_title
from ratusz.i18n import _
from ratusz.mail import send_queued


def _tr(message, language):
    return translate(message, target_language=language, default=message)


def _office():
    from ratusz.eservices.submission import office_name

    return office_name()


def receipt_mail(report, token):
    """``(recipient, subject, body)`` of the receipt, or None without an e-mail.

    >>> receipt_mail(report, "K7QM-3TZP-W9AD")[1]
    'Zgłoszenie ZG/2026/00001 przyjęte do moderacji'
    """
    from ratusz.gis.reports.tracking import status_url

    email = getattr(aq_base(report), "reporter_email", None)
    if not email:
        return None
    language = report_language(report)
    number = report.report_number
    subject = _tr(
        _("Report ${number} received, awaiting moderation", mapping={"number": number}),
        language,
    )
    lines = [
        _office(),
        "",
        _tr(
            _(
                "Thank you for your report. Its number is ${number} (${category}). Staff will "
                "check it before it appears on the public map of reports.",
                mapping={
                    "number": number,
                    "category": category_title(report.report_category, language),
                },
            ),
            language,
        ),
        "",
        _tr(_("Follow your report here:"), language),
        status_url(report, token),
        "",
        _tr(
            _(
                "Keep this link: it holds your tracking token, which the office does not store "
                "and cannot send again."
            ),
            language,
        ),
    ]
    return email, subject, "\n".join(lines)


def state_mail(report, state_id):
    """``(recipient, subject, body)`` telling the reporter ``report`` is now ``state_id``, or
    None (no e-mail given).

    >>> state_mail(report, "accepted")[1]
    'Zgłoszenie ZG/2026/00001: przyjęte'
    """
    email = getattr(aq_base(report), "reporter_email", None)
    if not email:
        return None
    language = report_language(report)
    number = report.report_number
    title = state_title(state_id, language)
    subject = _tr(
        _("Report ${number}: ${state}", mapping={"number": number, "state": title.lower()}),
        language,
    )
    lines = [
        _office(),
        "",
        _tr(
            _(
                "The state of your report ${number} (${category}) is now: ${state}.",
                mapping={
                    "number": number,
                    "category": category_title(report.report_category, language),
                    "state": title,
                },
            ),
            language,
        ),
    ]
    original = getattr(aq_base(report), "duplicate_of", None)
    if state_id == "duplicate" and original:
        lines += [
            "",
            _tr(
                _(
                    "The same problem was reported earlier as ${original}; it is handled there.",
                    mapping={"original": original},
                ),
                language,
            ),
        ]
    if state_id in PUBLIC_STATES:
        lines += ["", _tr(_("The report on the public map:"), language), report.absolute_url()]
    lines += [
        "",
        _tr(_("Its state and history, with the tracking token from your first mail:"), language),
        f"{aq_parent(report).absolute_url()}/@@report-status",
    ]
    return email, subject, "\n".join(lines)


def send_receipt(report, token):
    """Mail the receipt with the tracking link (if the reporter gave an e-mail)."""
    send_queued([receipt_mail(report, token)])


def send_state_mail(report, state_id):
    """Mail the reporter of ``report`` its new state ``state_id``; True if a mail was queued."""
    mail = state_mail(report, state_id)
    send_queued([mail])
    return mail is not None
