"""dossier inbox over IMAP, against Dovecot on loopback: read-only by default, --mark, a dropped connection."""

from __future__ import annotations

import imaplib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.ledger import Ledger
from dossier.mail.tokens import recipient_header, token
from inbox_support import dsn, reply
from mail_servers import DOVECOT, Dovecot, DroppingProxy, require
from smtp_support import configure_mail

SECRET = "imap-test-secret-0123456789"
SENT = {"jean@example.org": "<d03.jean@example.org>", "marie@example.net": "<d03.marie@example.org>",
        "gone@example.org": "<d03.gone@example.org>"}


def original(address: str) -> bytes:
    """The headers of numéro 3's message to ``address`` as it was sent."""
    return (f"From: Chaire A&NMT <chaire@example.org>\r\nTo: {address}\r\nSubject: Dossier spécial n°3\r\n"
            f"Message-ID: {SENT[address]}\r\n"
            f"X-Dossier-Recipient: {recipient_header(3, address, token(SECRET.encode(), 3, address))}\r\n\r\n").encode()


@pytest.fixture
def dovecot(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dovecot]:
    require(DOVECOT, "dovecot-imapd")
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)
    configure_mail(project)
    with Ledger.open(project / ".dossier" / "deliveries.sqlite") as book:
        for address, message_id in SENT.items():
            book.record_sent(3, address, message_id, "partners.csv")
    server = Dovecot()
    try:
        server.start_server()
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        with imaplib.IMAP4("127.0.0.1", server.port, timeout=120) as imap:
            imap.login(server.USER, server.PASSWORD)
            for raw in (
                reply("jean@example.org", "contact@example.org", f"unsubscribe-{token(SECRET.encode(), 3, 'jean@example.org')}",
                      message_id="<r1@example.org>"),
                dsn(original("gone@example.org"), "gone@example.org", to="chaire@example.org", message_id="<b1@mx.example.net>"),
                reply("marie@example.net", "contact@example.org", "Une question sur le dossier", "Bonjour…",
                      message_id="<q1@example.net>"),
            ):
                assert imap.append("INBOX", None, None, raw.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))[0] == "OK"
        yield server
    finally:
        server.stop()


def seen_flags(server: Dovecot) -> list[bool]:
    with imaplib.IMAP4("127.0.0.1", server.port, timeout=120) as imap:
        imap.login(server.USER, server.PASSWORD)
        imap.select("INBOX", readonly=True)
        _, data = imap.fetch("1:*", "(FLAGS)")
    return [b"\\Seen" in item for item in data]


def test_reading_over_imap_changes_nothing_in_the_mailbox(project: Path, dovecot: Dovecot) -> None:
    result = run("inbox")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "  INBOX uid 1: jean@example.org: unsubscribed: unsubscribe link of numéro 3 (its token)",
        "  INBOX uid 2: gone@example.org: bounced: 5.1.1 failure; evidence: its X-Dossier-Recipient token, numéro 3",
        "  INBOX uid 3: marie@example.net: not classified: neither a bounce nor an unsubscribe request "
        '("Une question sur le dossier"): left for a person',
        "inbox: 3 messages read from INBOX on 127.0.0.1: 1 unsubscribed, 1 bounced, 1 not classified; "
        "suppression list in .dossier/deliveries.sqlite",
        "  1 message is left for a person: read it in the mailbox",
    ]
    assert dovecot.PASSWORD not in result.output
    assert seen_flags(dovecot) == [False, False, False], "read-only: nothing flagged"

    marked = run("inbox", "--mark")
    assert marked.exit_code == 0, marked.output
    assert "  2 messages used flagged as seen" in marked.stdout.splitlines()
    assert seen_flags(dovecot) == [True, True, False], "the question stays unread, for a person"

    missing = run("inbox", "--folder", "Archives")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("127.0.0.1: no folder 'Archives' (")


def test_the_mailbox_is_set_in_publication_yaml_and_only_the_password_comes_from_outside(
        project: Path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "SECURITY", "USER"):
        monkeypatch.delenv(f"DOSSIER_IMAP_{name}")
    with (project / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(f"  imap:\n    host: 127.0.0.1\n    port: {dovecot.port}\n    security: none\n"
                  f"    user: {dovecot.USER}\n    folder: INBOX\n")
    result = run("inbox")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2].startswith("inbox: 3 messages read from INBOX on 127.0.0.1: ")
    monkeypatch.delenv("DOSSIER_IMAP_PASSWORD")
    result = run("inbox")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"no password for {dovecot.USER} at 127.0.0.1: set DOSSIER_IMAP_PASSWORD, "
                                              f"or keep it in the system's keyring (keyring set dossier-imap:127.0.0.1 "
                                              f"{dovecot.USER})")


def test_a_dropped_connection_is_reopened_and_reading_goes_on(project: Path, dovecot: Dovecot,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = DroppingProxy(dovecot.port, cuts=[2])  # cut while the second message comes, once
    try:
        monkeypatch.setenv("DOSSIER_IMAP_PORT", str(proxy.port))
        result = run("inbox")
    finally:
        proxy.close()
    assert result.exit_code == 0, result.output
    assert proxy.cut == 1
    lines = result.stdout.splitlines()
    assert lines[3].startswith("inbox: 3 messages read from INBOX on 127.0.0.1: 1 unsubscribed, 1 bounced, 1 not classified")
    assert "  the connection to the mailbox was lost and reopened 1 time" in lines


def test_a_connection_that_keeps_dropping_is_one_line_and_keeps_what_was_read(
        project: Path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = DroppingProxy(dovecot.port, cuts=[2, 1, 1, 1, 1])  # one message, then no connection gets further
    try:
        monkeypatch.setenv("DOSSIER_IMAP_PORT", str(proxy.port))
        first = run("inbox")
    finally:
        proxy.close()
    assert first.exit_code == 1
    assert first.stderr.startswith(f"127.0.0.1:{proxy.port}: lost the connection to the mailbox 4 times in a row (")
    assert first.stderr.endswith("what was read is recorded; run the same command again later to read the rest\n")
    assert len(first.stderr.splitlines()) == 1
    assert run("suppressed").stdout.splitlines()[0].startswith("jean@example.org  unsubscribed")

    monkeypatch.setenv("DOSSIER_IMAP_PORT", str(dovecot.port))
    second = run("inbox")
    assert second.stdout.splitlines()[-2].startswith(
        "inbox: 3 messages read from INBOX on 127.0.0.1: 1 bounced, 1 already read, 1 not classified")
