"""Mail the site sends: plain text only, and only after the change is committed.

What a user typed is never sent as HTML, and no typed text reaches a header
other than the subject. A mail leaves in an after-commit hook: a change that
is rolled back sends nothing, and an unreachable mail server is logged without
losing the change.
"""

import logging
from email.mime.text import MIMEText
from email.policy import compat32

import transaction
from plone import api

logger = logging.getLogger("ratusz.mail")

# MailHost sends the bytes of the message as they are: lines must end in CRLF
# (RFC 5321), or strict servers see one overlong line and refuse the mail.
SMTP_POLICY = compat32.clone(linesep="\r\n")


def plain_text(body):
    """A ``text/plain`` UTF-8 message: MailHost would parse a bare string's first lines as headers.

    >>> plain_text("Bcc: x@example.org")["Bcc"] is None
    True
    """
    return MIMEText(body, "plain", "utf-8", policy=SMTP_POLICY)


def send_after_commit(mails):
    """Send ``[(recipient, subject, body), …]`` once the transaction is committed.

    >>> send_after_commit([("jan@example.org", "Sprawa OR.0020.1.2026", "Treść")])
    """
    mails = [mail for mail in mails if mail and mail[0]]
    if mails and not api.portal.get_registry_record("plone.email_from_address", default=None):
        # A site without mail settings (Site Setup → Mail) sends nothing; notices
        # in the site still reach staff.
        logger.info("Mail is not set up; %d mail(s) not sent.", len(mails))
        return
    if mails:
        transaction.get().addAfterCommitHook(_send, args=(mails,))


def _send(committed, mails):
    if not committed:
        return
    for recipient, subject, body in mails:
        try:
            api.portal.send_email(
                recipient=recipient, subject=subject, body=plain_text(body), immediate=True
            )
        except Exception:
            # The change is stored; a mail server outage must not hide that.
            logger.exception("Could not send %r to %s", subject, recipient)
