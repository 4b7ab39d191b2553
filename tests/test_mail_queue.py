"""A mail server that is down loses no mail: the queue keeps it and the queue thread retries.

Real parts only: Products.MailHost and zope.sendmail's maildir queue in a
temporary directory (the ``mail_queue`` fixture of tests/conftest.py), an
aiosmtpd server (tests/bip/smtp.py) started late, refusing or greylisting,
and the zope.conf that ``ratusz-instance`` writes.
"""

import os
import time
from contextlib import suppress

import pytest
import transaction
from aiosmtpd.controller import Controller
from plone import api
from Zope2.Startup.options import ZopeWSGIOptions

from ratusz import cli
from ratusz.mail import QueuedMailHost
from ratusz.mail import RetryingQueueProcessorThread
from ratusz.mail import send_queued
from ratusz.mail import start_queue_thread
from tests.bip import smtp

# Fixtures of tests/bip/smtp.py: a real SMTP server and the portal mailing to it.
smtp_server = smtp.smtp_server
mail_server = smtp.mail_server

PARTY = "strona@przykladowo.example"
MAIL = (PARTY, "Sprawa OR.0020.1.2026", "Termin załatwienia sprawy zmieniono (art. 36 KPA).")


def queued(directory):
    """The mails waiting in the queue: maildir's new and cur, dot files (markers) excepted."""
    return sorted(
        path
        for sub in ("new", "cur")
        for path in (directory / sub).iterdir()
        if not path.name.startswith(".")
    )


def markers(directory, prefix):
    """``.failed-`` (ours), ``.sending-`` or ``.rejected-`` (zope.sendmail's) files."""
    return [path for sub in ("new", "cur") for path in (directory / sub).glob(prefix + "*")]


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s"
        time.sleep(0.05)


class LateServer(smtp.SMTPServer):
    """An aiosmtpd server with a port of its own and nothing listening on it until ``start``."""

    def __init__(self, handler=None):
        super().__init__()
        if handler is not None:
            self.handler = handler
            self.controller = Controller(handler, hostname=self.host, port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        with suppress(AssertionError):  # never started
            self.controller.stop()


class RefusingHandler(smtp.CollectingHandler):
    """Refuses every message after DATA with ``reply``; counts the attempts."""

    def __init__(self, reply):
        super().__init__()
        self.reply = reply
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.attempts += 1
        return self.reply


class GreylistingHandler(smtp.CollectingHandler):
    """Answers the first RCPT TO with 450 (greylisting), then accepts."""

    def __init__(self):
        super().__init__()
        self.attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        self.attempts += 1
        if self.attempts == 1:
            return "450 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def point_mailhost_at(functional, server):
    """Site Setup → Mail: Plone's mailer takes host and port from the registry (the
    ``mail_server`` fixture restores them)."""
    api.portal.set_registry_record("plone.smtp_host", server.host)
    api.portal.set_registry_record("plone.smtp_port", server.port)
    mailhost = functional["portal"].MailHost
    mailhost.smtp_host, mailhost.smtp_port = server.host, server.port
    transaction.commit()


@pytest.fixture
def late_server():
    server = LateServer()
    yield server
    server.stop()


def test_a_mail_waits_in_the_queue_until_the_server_is_back(
    functional, mail_server, mail_queue, late_server, caplog, record_property
):
    point_mailhost_at(functional, late_server)  # nothing listens there yet
    send_queued([MAIL])
    assert queued(mail_queue) == []  # written to tmp/, visible only once committed
    transaction.commit()

    [waiting] = queued(mail_queue)
    assert f"X-Zope-To: {PARTY}".encode() in waiting.read_bytes()
    # The queue thread tried, the connection was refused: the mail stays and
    # the attempt is remembered for the retry (not zope.sendmail's 3-hour marker).
    wait_until(lambda: markers(mail_queue, ".failed-"))
    assert queued(mail_queue) == [waiting]
    assert markers(mail_queue, ".sending-") == []
    assert "Error while sending mail" in caplog.text  # what an operator sees in event.log

    started = time.monotonic()
    late_server.start()
    message = late_server.wait_for(lambda message: message["To"] == PARTY, timeout=30)
    record_property("seconds_to_arrive_after_server_start", round(time.monotonic() - started, 2))
    assert message["Subject"] == "Sprawa OR.0020.1.2026"
    assert message["From"].addresses[0].addr_spec == smtp.FROM_ADDRESS
    assert "art. 36 KPA" in message.get_content()
    wait_until(lambda: not queued(mail_queue) and not markers(mail_queue, ".failed-"))
    assert len(late_server.messages) == 1


def test_an_aborted_transaction_queues_nothing(functional, mail_server, mail_queue):
    send_queued([MAIL])
    assert len(list((mail_queue / "tmp").iterdir())) == 1  # waiting for the commit
    transaction.abort()
    for sub in ("tmp", "new", "cur"):
        assert list((mail_queue / sub).iterdir()) == []
    assert mail_server.wait_quietly(1.0) == []


def test_a_permanent_refusal_is_set_aside_and_not_tried_again(functional, mail_server, mail_queue):
    refusing = LateServer(RefusingHandler("554 5.7.1 Message refused"))
    refusing.start()
    try:
        point_mailhost_at(functional, refusing)
        send_queued([MAIL])
        transaction.commit()
        # zope.sendmail keeps a refused mail as a .rejected- file (readers skip
        # dot files) and logs "Discarding email ... due to a permanent error".
        wait_until(lambda: markers(mail_queue, ".rejected-"))
        time.sleep(3 * RetryingQueueProcessorThread.retry_after)  # several retry periods
        assert refusing.handler.attempts == 1
        assert queued(mail_queue) == []
        assert markers(mail_queue, ".failed-") == []
    finally:
        refusing.stop()


def test_a_greylisted_mail_is_tried_again_not_discarded(functional, mail_server, mail_queue):
    greylisting = LateServer(GreylistingHandler())
    greylisting.start()
    try:
        point_mailhost_at(functional, greylisting)
        send_queued([MAIL])
        transaction.commit()
        # zope.sendmail would discard it: every recipient refused, albeit with 4xx.
        message = greylisting.wait_for(lambda message: message["To"] == PARTY, timeout=30)
        assert message["Subject"] == "Sprawa OR.0020.1.2026"
        assert greylisting.handler.attempts == 2
        assert markers(mail_queue, ".rejected-") == []
    finally:
        greylisting.stop()


def test_mail_queued_before_a_restart_leaves_on_the_first_visit(
    functional, mail_server, mail_queue, late_server
):
    point_mailhost_at(functional, late_server)
    send_queued([MAIL])
    transaction.commit()
    wait_until(lambda: markers(mail_queue, ".failed-"))
    # The process ends, its queue thread with it.
    QueuedMailHost("MailHost", smtp_queue_directory=str(mail_queue))._stopQueueProcessorThread()
    late_server.start()
    assert late_server.wait_quietly(1.5) == []  # nobody sends it yet

    start_queue_thread(functional["portal"])  # the new process's first request
    late_server.wait_for(lambda message: message["To"] == PARTY, timeout=30)


def test_corrected_smtp_settings_reach_mail_already_queued(
    functional, mail_server, mail_queue, late_server
):
    point_mailhost_at(functional, late_server)  # a wrong port: nothing listens there
    send_queued([MAIL])
    transaction.commit()
    wait_until(lambda: markers(mail_queue, ".failed-"))

    point_mailhost_at(functional, mail_server)  # Site Setup → Mail, corrected
    send_queued([(PARTY, "Sprawa OR.0020.2.2026", "Druga sprawa.")])
    transaction.commit()
    for subject in ("Sprawa OR.0020.1.2026", "Sprawa OR.0020.2.2026"):
        mail_server.wait_for(lambda message, subject=subject: message["Subject"] == subject)


def test_a_queue_that_cannot_be_written_sends_right_after_the_commit(
    functional, mail_server, mail_queue, caplog
):
    mail_queue.write_text("")  # a file, not a maildir
    send_queued([MAIL])
    transaction.commit()
    assert mail_server.wait_for(lambda message: message["To"] == PARTY)
    assert "Could not queue 'Sprawa OR.0020.1.2026'" in caplog.text


def test_without_a_queue_mail_is_sent_right_after_the_commit(functional, mail_server):
    send_queued([MAIL])
    assert mail_server.wait_quietly(0.5) == []  # not before the commit
    transaction.commit()
    assert mail_server.wait_for(lambda message: message["To"] == PARTY)


def test_the_instance_configuration_names_the_queue(tmp_path, monkeypatch):
    zope_conf = cli.write_config(tmp_path / "var").with_name("zope.conf")
    queue = tmp_path / "var" / "mailqueue"
    assert sorted(os.listdir(queue)) == ["cur", "new", "tmp"]
    options = ZopeWSGIOptions(configfile=str(zope_conf))()
    product_config = options.configroot.product_config
    assert product_config["ratusz"] == {"mail-queue-directory": str(queue)}

    elsewhere = tmp_path / "spool" / "ratusz"
    monkeypatch.setenv("RATUSZ_MAIL_QUEUE", str(elsewhere))
    cli.run(["config", "--var", str(tmp_path / "var")])
    assert f"mail-queue-directory {elsewhere}\n" in zope_conf.read_text()
    assert (elsewhere / "new").is_dir()


def test_a_folder_that_is_not_a_queue_is_refused_with_a_sentence(tmp_path):
    (tmp_path / "mailqueue").mkdir()  # empty: not a maildir
    with pytest.raises(cli.CommandError, match="cannot be used .* RATUSZ_MAIL_QUEUE"):
        cli.write_config(tmp_path, mail_queue=tmp_path / "mailqueue")
