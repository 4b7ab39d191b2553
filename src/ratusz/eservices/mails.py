"""Mails to applicants: the receipt, and the news of each public step of their case.

Mails are plain text in the language the form was filed in (pl, en, uk), and
go through the mail queue (``ratusz.mail.send_queued``): they leave only if the
case is stored, and a mail server that is down delays them without losing them.
"""

from zope.i18n import translate

from ratusz.i18n import _
from ratusz.mail import send_queued


def _tr(message, language):
    return translate(message, target_language=language, default=message)


def receipt_lines(receipt, language):
    """The receipt as lines of text (the mail, and the text of the PDF).

    >>> receipt_lines(receipt, "pl")[0]
    'Urząd Miasta Przykładowo — potwierdzenie przyjęcia wniosku'
    """
    tr = lambda message: _tr(message, language)  # noqa: E731
    lines = [
        f"{receipt['office']} — {tr(_('confirmation of receipt'))}",
        "",
        f"{tr(_('Service'))}: {receipt['service']}",
        f"{tr(_('Case sign'))}: {receipt['sign']}",
        f"{tr(_('Incoming number'))}: {receipt['number']}",
        f"{tr(_('Received'))}: {receipt['received']:%Y-%m-%d %H:%M:%S}",
        f"{tr(_('Receipt issued'))}: {receipt['issued']:%Y-%m-%d %H:%M:%S}",
    ]
    if receipt.get("deadline"):
        lines.append(f"{tr(_('Deadline'))}: {receipt['deadline'].isoformat()}")
    lines += [
        f"{tr(_('Tracking key'))}: {receipt['key']}",
        f"{tr(_('SHA-256 digest of the submission'))}: {receipt['digest']}",
    ]
    for filename, digest in receipt.get("files", ()):
        lines.append(f"  {filename}: SHA-256 {digest}")
    lines += [
        "",
        tr(
            _(
                "Follow your case at ${url} with the case sign and the tracking key. "
                "Keep the key: the office does not store it and cannot send it again.",
                mapping={"url": receipt["status_url"]},
            )
        ),
    ]
    return lines


def send_receipt(receipt):
    """Mail the receipt to the applicant (with the case, in the same transaction)."""
    language = receipt.get("language") or "pl"
    subject = _tr(
        _(
            "Confirmation of receipt: ${service}, case ${sign}",
            mapping={"service": receipt["service"], "sign": receipt["sign"]},
        ),
        language,
    )
    send_queued([(receipt["email"], subject, "\n".join(receipt_lines(receipt, language)))])
