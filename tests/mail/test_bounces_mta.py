"""A bounce as a real mail server writes it: Exim on loopback returns a DSN for an unknown user."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run
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
    sent = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    assert sent.exit_code == 0, sent.output  # the server takes both: it finds out later that one has no mailbox

    # Two messages in, one DSN out: three deliveries completed.
    wait_for(lambda: exim.delivered(3), "Exim delivering the message and the DSN")
    result = run("inbox", "--mbox", str(exim.bounces))
    assert result.exit_code == 0, result.output
    how = "its X-Dossier-Recipient token" if secret else "its Message-ID in the ledger"
    assert result.stdout.splitlines()[0] == f"  {exim.bounces}#1: nobody-here@example.org: bounced: 5.0.0 failure ({how})"
    listing = run("suppressed").stdout.splitlines()
    assert listing[0].startswith("nobody-here@example.org  bounced ")
    assert listing[-1] == "1 suppressed address in .dossier/deliveries.sqlite"
    again = run("send", "3", "--partners", "fake-partners.csv", "--status")
    assert again.stdout.splitlines()[-1] == "2 sent, 0 failed, 0 pending"
