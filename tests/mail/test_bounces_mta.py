"""A bounce as a real mail server writes it: Exim on loopback returns a DSN for an unknown user.

And what an attacker can make the same server deliver: a DSN of their own, sent to an
unsigned VERP address, naming a partner. The first acts (with its evidence); the second
is left for a person."""

from __future__ import annotations

import mailbox
import os
import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.tokens import verp_address
from inbox_support import dsn
from mail_servers import EXIM, Exim, require, wait_for
from smtp_support import MAIL_SETTINGS, configure_mail, fake_pdf


@pytest.fixture
def exim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Exim]:
    require(EXIM, "exim4-daemon-light")
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_", "DOSSIER_SECRET")):
            monkeypatch.delenv(name)
    server = Exim(known=["jean.dupont"])
    try:
        server.start_server()
        for name, value in {"DOSSIER_SMTP_HOST": "127.0.0.1", "DOSSIER_SMTP_PORT": str(server.port),
                            "DOSSIER_SMTP_SECURITY": "none"}.items():
            monkeypatch.setenv(name, value)
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("secret", [None, "mta-test-secret-0123456789"], ids=["no secret", "secret"])
def test_a_real_dsn_suppresses_the_unknown_address(project: Path, exim: Exim, secret: str | None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if secret:
        monkeypatch.setenv("DOSSIER_SECRET", secret)
    configure_mail(project, MAIL_SETTINGS + "  bounce_address: bounces@example.org\n")
    (project / "fake-partners.csv").write_text("email\njean.dupont@example.org\nnobody-here@example.org\n",
                                               encoding="utf-8")
    fake_pdf(project)
    sent = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert sent.exit_code == 0, sent.output  # the server takes both: it finds out later that one has no mailbox

    # Two messages in, one DSN out: three deliveries completed.
    wait_for(lambda: exim.delivered(3), "Exim delivering the message and the DSN")
    result = run("inbox", "--mbox", str(exim.bounces))
    assert result.exit_code == 0, result.output
    how = "its X-Dossier-Recipient token, numéro 3" if secret else "its Message-ID <"
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"  {exim.bounces}#1: nobody-here@example.org: bounced: 5.0.0 failure; evidence: {how}"), line
    [returned] = mailbox.mbox(exim.bounces).values()
    # Exim sends the DSN to the envelope sender: the VERP address, tagged when there is a secret.
    verp = verp_address("bounces@example.org", "nobody-here@example.org", secret.encode() if secret else None)
    assert returned["To"] == verp and (secret is None or verp.count("=") == 2)
    listing = run("suppressed").stdout.splitlines()
    assert listing[0].startswith("nobody-here@example.org  bounced ")
    assert listing[-1] == "1 suppressed address in .dossier/deliveries.sqlite"
    again = run("send", "3", "--partners", "fake-partners.csv", "--status")
    assert again.stdout.splitlines()[-1] == "2 sent, 0 failed, 0 pending"


def test_a_forged_dsn_delivered_by_a_real_server_is_left_for_a_person(project: Path, exim: Exim) -> None:
    configure_mail(project, MAIL_SETTINGS + "  bounce_address: bounces@example.org\n")
    (project / "fake-partners.csv").write_text("email\njean.dupont@example.org\n", encoding="utf-8")
    fake_pdf(project)
    assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes").exit_code == 0
    wait_for(lambda: exim.delivered(1), "Exim delivering the message")
    forged = dsn(b"Message-ID: <guessed@example.org>\n\n", "jean.dupont@example.org",
                 to="bounces+jean.dupont=example.org@example.org", message_id="<forged@evil.example>")
    with smtplib.SMTP("127.0.0.1", exim.port, timeout=60) as smtp:
        smtp.sendmail("attacker@evil.example", ["bounces+jean.dupont=example.org@example.org"],
                      forged.replace(b"MAILER-DAEMON@mx.example.net", b"attacker@evil.example"))
    wait_for(lambda: exim.delivered(2), "Exim delivering the forged DSN")
    result = run("inbox", "--mbox", str(exim.bounces))
    assert result.stdout.splitlines()[0] == (
        f"  {exim.bounces}#1: jean.dupont@example.org: for review (#1): a bounce from attacker@evil.example about "
        "jean.dupont@example.org, not tied to a message the ledger records as sent (no Message-ID of the ledger, no "
        "honoured token, no signed VERP address); an unsigned VERP address (jean.dupont@example.org) is no evidence: "
        "anybody can write to it")
    assert run("suppressed").stdout.splitlines()[-1] == "the suppression list in .dossier/deliveries.sqlite is empty"
