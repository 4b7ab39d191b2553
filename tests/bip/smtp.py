"""A real SMTP server (aiosmtpd) for tests that send mail, and the portal pointed at it.

Use it in a functional test module::

    from tests.bip.smtp import mail_server  # noqa: F401 (a fixture)
    from tests.bip.smtp import smtp_server  # noqa: F401 (a fixture)

    def test_mail_arrives(functional, mail_server):
        ...  # submit through zope.testbrowser: the request commits, MailHost sends
        message = mail_server.wait_for(lambda m: m["To"] == "bip@przykladowo.example")
        assert "UDIP.1.2026" in message.get_content()

``smtp_server`` alone is a session-wide server with no Plone in it;
``mail_server`` (function scope, needs the ``functional`` fixture) configures
the portal's MailHost and the mail registry records for it, commits, and
restores the previous settings afterwards. Products.MailHost sends when the
transaction commits, so mail leaves when a testbrowser request finishes.
"""

import socket
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes
from email import policy

import pytest
import transaction
from Acquisition import aq_base
from aiosmtpd.controller import Controller
from plone import api
from Products.MailHost.interfaces import IMailHost
from Products.MailHost.MailHost import MailHost

FROM_ADDRESS = "noreply@przykladowo.example"
FROM_NAME = "Urząd Miasta Przykładowo"


class CollectingHandler:
    """Keeps every message it receives, parsed (``email.message.EmailMessage``)."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.envelopes.append(envelope)
            self.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPServer:
    """A running aiosmtpd server on a free 127.0.0.1 port."""

    def __init__(self):
        self.handler = CollectingHandler()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)

    @property
    def messages(self):
        return list(self.handler.messages)

    @property
    def envelopes(self):
        return list(self.handler.envelopes)

    def clear(self):
        self.handler.messages.clear()
        self.handler.envelopes.clear()

    def wait_for(self, match=lambda message: True, timeout=10):
        """The first received message for which ``match(message)`` is true; fail after timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if match(message):
                    return message
            time.sleep(0.05)
        received = [(m["To"], m["Subject"]) for m in self.messages]
        pytest.fail(f"no matching mail within {timeout} s; received: {received}")

    def wait_quietly(self, seconds=1.0):
        """Let a mail that should not be sent have time to arrive; return all received."""
        time.sleep(seconds)
        return self.messages


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPServer()
    server.controller.start()
    yield server
    server.controller.stop()


def _registry_values(names):
    return {name: api.portal.get_registry_record(name, default=None) for name in names}


@contextmanager
def real_mail(portal, smtp_server):
    """Within the block ``portal`` sends real mail to ``smtp_server`` (emptied first): a real
    MailHost instead of plone.app.testing's mock, and the mail registry records; committed,
    and put back afterwards. For any layer's portal."""
    records = {
        "plone.smtp_host": smtp_server.host,
        "plone.smtp_port": smtp_server.port,
        "plone.email_from_address": FROM_ADDRESS,
        "plone.email_from_name": FROM_NAME,
    }
    previous = _registry_values(records)
    original = portal.MailHost
    replaced = type(aq_base(original)) is not MailHost
    if replaced:
        # plone.app.testing's MockMailHost keeps mail in a list: use a real one.
        portal.MailHost = MailHost("MailHost")
        portal.getSiteManager().registerUtility(aq_base(portal.MailHost), provided=IMailHost)
    mailhost = portal.MailHost
    previous_host = (mailhost.smtp_host, mailhost.smtp_port)
    mailhost.smtp_host, mailhost.smtp_port = smtp_server.host, smtp_server.port
    for name, value in records.items():
        api.portal.set_registry_record(name, value)
    transaction.commit()
    smtp_server.clear()
    try:
        yield smtp_server
    finally:
        transaction.abort()
        mailhost.smtp_host, mailhost.smtp_port = previous_host
        for name, value in previous.items():
            if value is not None:
                api.portal.set_registry_record(name, value)
        if replaced:
            portal.MailHost = original
            portal.getSiteManager().registerUtility(aq_base(original), provided=IMailHost)
        transaction.commit()


@pytest.fixture
def mail_server(functional, smtp_server):
    """The portal sends real mail to ``smtp_server``; yields the server, emptied."""
    with real_mail(functional["portal"], smtp_server) as server:
        yield server
