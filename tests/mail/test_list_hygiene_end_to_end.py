"""End to end: n°3 to 20 partners, unsubscribes and bounces come back by mail, `dossier inbox`, then n°4.

The partners' replies are what their mail clients send from the List-Unsubscribe
link of the message they received; the bounces are DSNs returned to the VERP
envelope sender with the original headers. 3 unsubscribe (one from another address,
with the token), 2 bounce for good, 1 is refused for now on three numéros in a row:
n°4 goes to exactly the 14 others.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.tokens import verp_address
from inbox_support import dsn, reply, write_mbox
from smtp_support import MAIL_SETTINGS, Received, SmtpTestServer, configure_mail, fake_pdf

SETTINGS = MAIL_SETTINGS + "  bounce_address: bounces@example.org\n"
SECRET = "e2e-secret-0123456789abcdef"
LINK = "https://example.org/dossier-special.pdf"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)
    smtp = SmtpTestServer().start()
    for name, value in smtp.env().items():
        monkeypatch.setenv(name, value)
    yield smtp
    smtp.stop()


def written(project: Path, number: int) -> None:
    """A numéro from `dossier new` with its « À compléter » written: the gate lets nothing unfinished go out."""
    manifest = project / f"issues/{number:02d}/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("À compléter", "Texte écrit"), encoding="utf-8")


def unsubscribe_subject(message: Received) -> str:
    """What a mail client puts in the subject when the reader uses the List-Unsubscribe mailto."""
    mailto = message.parsed()["List-Unsubscribe"].strip("<>")
    return urllib.parse.unquote(urllib.parse.urlsplit(mailto).query.removeprefix("subject="))


def test_unsubscribes_and_bounces_are_honoured_for_the_next_numero(project: Path, server: SmtpTestServer) -> None:
    configure_mail(project, SETTINGS)
    partners = [f"partner{i:02d}@example.org" for i in range(1, 21)]
    (project / "fake-partners.csv").write_text("email\n" + "\n".join(partners) + "\n", encoding="utf-8")
    unsub_own, unsub_other, unsub_plain, hard_1, hard_2, soft = partners[2], partners[5], partners[8], \
        partners[11], partners[14], partners[17]

    # The soft bouncer was on n°1's and n°2's lists too: three numéros in a row.
    (project / "fake-partners-early.csv").write_text(f"email\n{soft}\n", encoding="utf-8")
    for number in ("1", "2"):
        assert run("new", "--number", number).exit_code == 0
        written(project, int(number))
        sent = run("send", number, "--partners", "fake-partners-early.csv", "--link", LINK, "--send", "--yes")
        assert sent.exit_code == 0, sent.output
    fake_pdf(project)
    sent = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    assert sent.exit_code == 0, sent.output
    assert server.handler.to()[2:] == partners
    by_address = {m.rcpt_tos[0]: m for m in server.handler.received[2:]}
    assert by_address[hard_1].mail_from == verp_address("bounces@example.org", hard_1, SECRET.encode())
    assert by_address[hard_1].mail_from.startswith("bounces+partner12=example.org="), "VERP names the recipient, signed"
    early = server.handler.received[:2]

    mailbox = [
        # A partner's own client, from the List-Unsubscribe mailto.
        reply(unsub_own, "contact@example.org", unsubscribe_subject(by_address[unsub_own]), message_id="<u1@example.org>"),
        # A colleague's address, with the partner's token: exactly that partner goes.
        reply("secretariat@example.net", "contact@example.org", unsubscribe_subject(by_address[unsub_other]),
              "Merci de retirer notre directrice de la liste.", message_id="<u2@example.net>"),
        # A plain request from the partner's own address, without a token, in reply to the numéro.
        reply(unsub_plain, "contact@example.org", "=?utf-8?q?D=C3=A9sabonnement?=", "Bonjour, merci de me désabonner.",
              message_id="<u3@example.org>", extra=f"In-Reply-To: {by_address[unsub_plain].parsed()['Message-ID']}\n"),
        dsn(by_address[hard_1].data, hard_1, to=by_address[hard_1].mail_from, message_id="<b1@mx.example.net>"),
        dsn(by_address[hard_2].data, hard_2, to=by_address[hard_2].mail_from, message_id="<b2@mx.example.net>",
            status="5.2.1"),
        *[dsn(message.data, soft, to=message.mail_from, message_id=f"<s{n}@mx.example.net>", status="4.2.2",
              action="delayed" if n < 3 else "failed")
          for n, message in enumerate([*early, by_address[soft]], start=1)],
        # Noise: a forged token, a replayed request, an ordinary reply, a message that is not one.
        reply(partners[0], "contact@example.org", "unsubscribe-aaaaaaaaaaaaaaaaaaaa", message_id="<f1@example.org>"),
        reply("secretariat@example.net", "contact@example.org", unsubscribe_subject(by_address[unsub_other]),
              message_id="<u2@example.net>"),
        reply(partners[1], "chaire@example.org", "Re: Dossier spécial n°3",
              "Merci !\n\nLe 4 mai 2020, Chaire A&NMT a écrit :\n> Pour ne plus recevoir ces dossiers, écrivez à…",
              message_id="<q1@example.org>"),
        b"\x00\x01 not a message at all \xff",
    ]
    write_mbox(project / "inbox.mbox", mailbox)
    result = run("inbox", "--mbox", "inbox.mbox")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-3:] == [
        "inbox: 12 messages read from inbox.mbox: 3 unsubscribed, 3 bounced, 2 soft bounces counted, "
        "1 already read, 1 for review, 1 ignored, 1 unreadable; suppression list in .dossier/deliveries.sqlite",
        "  1 message to review (à vérifier): dossier inbox --review lists it; --confirm N or --dismiss N decides",
        "  1 message is left for a person: read it in the mailbox",
    ]
    assert f"  inbox.mbox#2: {unsub_other}: unsubscribed: unsubscribe link of numéro 3 (its token), " \
           "sent from secretariat@example.net" in lines
    assert f"  inbox.mbox#8: {soft}: bounced (3 temporary failures in a row): 4.2.2 failure; " \
           "evidence: its X-Dossier-Recipient token, numéro 3" in lines
    assert "  inbox.mbox#9: partner01@example.org: ignored: an unsubscribe token that is not honoured (forged, " \
           "from a test copy, or for a message never sent): nothing changed" in lines
    assert "  inbox.mbox#11: partner02@example.org: for review (#1): perhaps a request to unsubscribe, not sure: the " \
           "words about unsubscribing are only in quoted text (our footer, or a message answered)" in lines
    assert lines[10].startswith("  inbox.mbox#12: -: unreadable: cannot be parsed (ValueError: not a mail message")

    second = run("inbox", "--mbox", "inbox.mbox")
    assert second.stdout.splitlines()[-3].startswith("inbox: 12 messages read from inbox.mbox: 9 already read, ")

    assert run("new").stdout == "issues/04/issue.yaml\n"
    written(project, 4)
    fourth = run("send", "4", "--partners", "fake-partners.csv", "--link", LINK, "--send", "--yes")
    assert fourth.exit_code == 0, fourth.output
    gone = {unsub_own, unsub_other, unsub_plain, hard_1, hard_2, soft}
    assert server.handler.to()[22:] == [p for p in partners if p not in gone]
    assert len(server.handler.to()[22:]) == 14
    assert fourth.stdout.splitlines()[:2] == [
        fourth.stdout.splitlines()[0],
        "  6 skipped: unsubscribed 3, bounced 3 (on the suppression list: see dossier suppressed)",
    ]
    assert fourth.stdout.startswith("sent 14 of 14 pending messages")

    # A test copy goes with the VERP envelope of its own address: what to check the bounce address with.
    assert run("send", "4", "--partners", "fake-partners.csv", "--link", LINK, "--test", "moi@example.org").exit_code == 0
    assert server.handler.received[-1].mail_from == verp_address("bounces@example.org", "moi@example.org", SECRET.encode())
