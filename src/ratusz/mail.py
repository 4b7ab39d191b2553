"""Mail the site sends: plain text only, and only once the change is committed.

What a user typed is never sent as HTML, and no typed text reaches a header
other than the subject. A mail joins the transaction of the change: a change
that is rolled back sends nothing.

With a mail queue (zope.conf ``<product-config ratusz> mail-queue-directory``;
``ratusz-instance`` sets ``<var>/mailqueue``) the commit writes the mail into
that maildir and Products.MailHost's queue thread delivers it, trying again
while the SMTP server is down or answers "try later" (4xx). Without one (a bare
Zope, most tests) the mail is sent right after the commit, and an unreachable
server is only logged. See "Mail" in docs/architecture.md.
"""

import logging
import os
import smtplib
import time
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr
from email.utils import parseaddr
from pathlib import Path

import transaction
from App.config import getConfiguration
from plone import api
from Products.CMFCore.utils import getToolByName
from Products.MailHost.MailHost import MailBase
from Products.MailHost.MailHost import queue_threads
from zope.sendmail.mailer import SMTPMailer
from zope.sendmail.queue import QueueProcessorThread

logger = logging.getLogger("ratusz.mail")

# MailHost sends the bytes of the message as they are: lines must end in CRLF
# (RFC 5321), or strict servers see one overlong line and refuse the mail.
SMTP_POLICY = compat32.clone(linesep="\r\n")

# zope.sendmail's marker of a send in progress, and ours of a failed attempt;
# maildir readers skip names starting with a dot.
SENDING = ".sending-"
FAILED = ".failed-"


def plain_text(body):
    """A ``text/plain`` UTF-8 message: MailHost would parse a bare string's first lines as headers.

    >>> plain_text("Bcc: x@example.org")["Bcc"] is None
    True
    """
    return MIMEText(body, "plain", "utf-8", policy=SMTP_POLICY)


def queue_directory():
    """The mail queue directory of this process (zope.conf), or None.

    It is read from the process's configuration, not from the MailHost: the
    MailHost is stored in the database that every instance shares, the
    directory belongs to one machine.

    >>> queue_directory()
    '/srv/ratusz/var/mailqueue'
    """
    product_config = getattr(getConfiguration(), "product_config", None) or {}
    return (product_config.get("ratusz") or {}).get("mail-queue-directory") or None


def send_queued(mails):
    """Send ``[(recipient, subject, body), …]`` if and when the current transaction commits.

    With a queue directory the mails are written into it at commit and the
    queue thread delivers them; without one they are sent after the commit.

    >>> send_queued([("jan@example.org", "Sprawa OR.0020.1.2026", "Treść")])
    >>> transaction.commit()  # now in <var>/mailqueue/new, delivered within seconds
    """
    mails = [mail for mail in mails if mail and mail[0]]
    if mails and not api.portal.get_registry_record("plone.email_from_address", default=None):
        # A site without mail settings (Site Setup → Mail) sends nothing; notices
        # in the site still reach staff.
        logger.info("Mail is not set up; %d mail(s) not sent.", len(mails))
        return
    directory = queue_directory()
    if mails and directory:
        host = QueuedMailHost.of(api.portal.get_tool("MailHost"), directory)
        mails = [mail for mail in mails if not _queue(host, mail)]
    if mails:
        transaction.get().addAfterCommitHook(_send, args=(mails,))


def send_after_commit(mails):
    """The former name of :func:`send_queued`, kept for its callers.

    >>> send_after_commit([("jan@example.org", "Sprawa OR.0020.1.2026", "Treść")])
    """
    send_queued(mails)


def _sender():
    address = api.portal.get_registry_record("plone.email_from_address")
    name = api.portal.get_registry_record("plone.email_from_name", default=None)
    sender = formataddr((name, address))
    # As plone.api: formataddr can be confused by special characters in the name.
    return sender if parseaddr(sender)[1] == address else address


def _queue(host, mail):
    """Join ``mail`` to the transaction through the queue; False when it could not be."""
    recipient, subject, body = mail
    try:
        host.send(
            plain_text(body),
            mto=recipient,
            mfrom=_sender(),
            subject=subject,
            charset=api.portal.get_registry_record("plone.email_charset", default="utf-8"),
        )
    except Exception:
        # A queue that cannot be written (disk full, wrong permissions) must
        # neither fail the change nor lose the mail: it goes the direct way.
        logger.exception("Could not queue %r to %s; sending after the commit", subject, recipient)
        return False
    return True


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


class QueuedMailHost(MailBase):
    """A site's MailHost as this process sends through it: its SMTP settings, this machine's queue.

    Never stored. Products.MailHost does the rest: the message, its queueing in
    the transaction (zope.sendmail's QueuedMailDelivery) and the queue thread,
    one per directory (``queue_threads``, also shown in the MailHost's ZMI page).
    Plone's mailer takes host, port and login from the registry (Site Setup →
    Mail; Products/CMFPlone/patches/sendmail.py), TLS from the MailHost.

    >>> QueuedMailHost.of(portal.MailHost, "/srv/ratusz/var/mailqueue").queueLength()
    0
    """

    @classmethod
    def of(cls, mailhost, directory):
        return cls(
            mailhost.getId(),
            mailhost.title,
            mailhost.smtp_host,
            mailhost.smtp_port,
            force_tls=mailhost.force_tls,
            implicit_tls=mailhost.implicit_tls,
            smtp_uid=mailhost.smtp_uid,
            smtp_pwd=mailhost.smtp_pwd,
            smtp_queue=True,
            smtp_queue_directory=directory,
        )

    def _makeMailer(self):  # noqa: N802 (MailHost's name)
        return PatientSMTPMailer(
            hostname=self.smtp_host,
            port=int(self.smtp_port),
            username=self.smtp_uid or None,
            password=self.smtp_pwd or None,
            force_tls=self.force_tls,
            implicit_tls=self.implicit_tls,
        )

    def _startQueueProcessorThread(self):  # noqa: N802 (MailHost's name)
        """Start the retrying queue thread unless running; give it the current SMTP settings."""
        with self.lock:
            key = self._getThreadKey()
            thread = queue_threads.get(key)
            if thread is None or not thread.is_alive():
                thread = RetryingQueueProcessorThread()
                thread.setQueuePath(self.smtp_queue_directory)
                thread.setMailer(self._makeMailer())
                thread.start()
                queue_threads[key] = thread
                logger.info("Mail queue thread for %s started", key)
            else:
                # Settings corrected in Site Setup reach mail already queued.
                thread.setMailer(self._makeMailer())


class TemporarySMTPError(Exception):
    """The server refused for now; the queue thread keeps the mail and tries again."""


class PatientSMTPMailer(SMTPMailer):
    """zope.sendmail's mailer, except that refusals which say "later" or "not you" are temporary.

    The queue thread discards a mail whose every recipient is refused, even
    with 4xx (greylisting: "450 try again later"), and a mail refused with 5xx,
    also when the server refused our login (535): both would lose a mail that
    a later attempt, or corrected settings, would deliver.

    >>> PatientSMTPMailer("smtp.example.org").send(sender, ["jan@example.org"], message)
    Traceback (most recent call last):
    ratusz.mail.TemporarySMTPError: 450 ...
    """

    def send(self, fromaddr, toaddrs, message):
        try:
            super().send(fromaddr, toaddrs, message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = {code for code, _ in error.recipients.values()}
            if all(400 <= code < 500 for code in codes):
                raise TemporarySMTPError(f"recipients refused for now: {error.recipients}")
            raise
        except smtplib.SMTPAuthenticationError as error:
            raise TemporarySMTPError(f"login refused, check Site Setup → Mail: {error}")
        finally:
            self._forget_connection()

    def _forget_connection(self):
        # zope.sendmail keeps the connection when a send fails before or while
        # closing it (STARTTLS, login, a server gone away): every later attempt
        # would reuse it and fail again.
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.close()


class RetryingQueueProcessorThread(QueueProcessorThread):
    """zope.sendmail's queue thread, trying a failed mail again after ``retry_after`` s, not 3 h.

    A failed attempt leaves zope.sendmail's ``.sending-`` marker, which it
    honours for MAX_SEND_TIME (3 hours) because it cannot tell a failure from
    a send still in progress elsewhere. This thread knows its own attempt
    failed: it swaps the marker for ``.failed-`` (whose time says when), and
    tries again once ``retry_after`` has passed, in this process or the next.
    A permanent refusal (5xx) stays zope.sendmail's: the mail is set aside as
    ``.rejected-`` and never tried again.

    >>> RetryingQueueProcessorThread.retry_after
    60.0
    """

    interval = 3.0  # seconds between passes over the queue (zope.sendmail's default)
    retry_after = 60.0  # seconds between attempts to send one mail

    def __init__(self):
        super().__init__(interval=self.interval)

    def _process_one_file(self, filename):
        sending, failed = _marker(filename, SENDING), _marker(filename, FAILED)
        if _age(failed) < self.retry_after:
            return
        was_sending = os.path.exists(sending)
        super()._process_one_file(filename)
        if not os.path.exists(filename):  # sent or set aside as rejected
            Path(failed).unlink(missing_ok=True)
        elif os.path.exists(sending) and not was_sending:
            Path(failed).touch()  # now: the time of this attempt
            Path(sending).unlink(missing_ok=True)


def _marker(filename, prefix):
    head, tail = os.path.split(filename)
    return os.path.join(head, prefix + tail)


def _age(path):
    try:
        return time.time() - os.stat(path).st_mtime
    except FileNotFoundError:
        return float("inf")


def start_queue_thread(site, event=None):
    """Start the queue thread when the site is first visited (``IBeforeTraverseEvent``).

    MailHost starts it with the first mail a process queues; mail queued before
    a restart would otherwise wait for the next new mail.

    >>> start_queue_thread(portal)
    """
    directory = queue_directory()
    if directory is None or os.environ.get("MAILHOST_QUEUE_ONLY"):
        return
    thread = queue_threads.get(os.path.realpath(directory))
    if thread is None or not thread.is_alive():
        mailhost = getToolByName(site, "MailHost", None)
        if mailhost is not None:
            QueuedMailHost.of(mailhost, directory)._startQueueProcessorThread()
