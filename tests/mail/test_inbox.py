"""dossier inbox on files: the bounce corpus, tokens that must not be honoured, replays, bad messages, Maildir."""

from __future__ import annotations

import mailbox
import os
import re
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.ledger import Ledger
from dossier.mail.suppression import SuppressionList
from dossier.mail.tokens import recipient_header, token, verp_address, verp_recipient
from inbox_support import BOUNCES, corpus, dsn, reply, write_mbox
from smtp_support import MAIL_SETTINGS, configure_mail

SECRET = "inbox-test-secret-0123456789"
LEDGER = Path(".dossier") / "deliveries.sqlite"
# What numéro 3's sending recorded: the corpus's returned messages carry these Message-IDs.
SENT_3 = {
    "nobody@example.org": "<dossier03.gmail@example.org>",
    "ancien.contact@example.net": "<dossier03.office365@example.org>",
    "parti@example.com": "<dossier03.qmail@example.org>",
    "plein@example.org": "<dossier03.postfix@example.org>",
    "lecteur@example.net": "<dossier03.arf@example.org>",
    "ferme@example.com": "<dossier03.exim@example.org>",
    "jean@example.org": "<dossier03.jean@example.org>",
    "marie@example.net": "<dossier03.marie@example.org>",
}


@pytest.fixture
def ledger(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)
    configure_mail(project, MAIL_SETTINGS + "  bounce_address: bounces@example.org\n")
    with Ledger.open(project / LEDGER) as book:
        for address, message_id in SENT_3.items():
            book.record_sent(3, address, message_id, "partners.csv")
    return project / LEDGER


def ev(name: str) -> str:
    """How a report line names the evidence of a corpus bounce: the Message-ID numéro 3's message had."""
    return f"evidence: its Message-ID <dossier03.{name}@example.org> in the ledger, numéro 3"


def suppressed(path: Path) -> dict[str, str]:
    with Ledger.read(path) as book:
        return {address: row.why for address, row in SuppressionList(book).all().items()}


def test_the_bounce_corpus(project: Path, ledger: Path) -> None:
    names = ["gmail-550.eml", "office365-550.eml", "qmail-511.eml", "postfix-422-delayed.eml", "arf-complaint.eml",
             "exim-plain.eml"]
    write_mbox(project / "bounces.mbox", [corpus(name) for name in names])
    result = run("inbox", "--mbox", "bounces.mbox")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "  bounces.mbox#1: nobody@example.org: bounced: 5.1.1 failure; " + ev("gmail"),
        "  bounces.mbox#2: ancien.contact@example.net: bounced: 5.1.10 failure; " + ev("office365"),
        # Plain-text bounces: the Message-ID of the copy they return (the address they name is no evidence).
        "  bounces.mbox#3: parti@example.com: bounced: permanent failure; " + ev("qmail"),
        "  bounces.mbox#4: plein@example.org: soft bounce counted (numéro 3, 1 of 3 in a row): "
        "4.2.2 failure; " + ev("postfix"),
        "  bounces.mbox#5: lecteur@example.net: complained: marked as spam (feedback report); " + ev("arf"),
        "  bounces.mbox#6: ferme@example.com: bounced: permanent failure; " + ev("exim"),
        "inbox: 6 messages read from bounces.mbox: 4 bounced, 1 complained, 1 soft bounce counted; "
        "suppression list in .dossier/deliveries.sqlite",
    ]
    assert suppressed(ledger) == {"nobody@example.org": "bounced", "ancien.contact@example.net": "bounced",
                                  "parti@example.com": "bounced", "lecteur@example.net": "complained",
                                  "ferme@example.com": "bounced"}
    again = run("inbox", "--mbox", "bounces.mbox")
    assert again.stdout == ("inbox: 6 messages read from bounces.mbox: 6 already read; "
                            "suppression list in .dossier/deliveries.sqlite\n")


def test_a_success_notification_is_not_a_bounce(project: Path, ledger: Path) -> None:
    relayed = corpus("office365-550.eml", **{"Action: failed": "Action: relayed", "Status: 5.1.10": "Status: 2.0.0"})
    write_mbox(project / "dsn.mbox", [relayed])
    line = run("inbox", "--mbox", "dsn.mbox").stdout.splitlines()[0]
    assert line == ("  dsn.mbox#1: ancien.contact@example.net: ignored: a delivery report (2.0.0: delivered or relayed), "
                    "not a failure")
    assert suppressed(ledger) == {}


def test_a_bounce_about_someone_never_sent_is_left_for_a_person(project: Path, ledger: Path) -> None:
    write_mbox(project / "bounces.mbox", [corpus("qmail-511.eml", **{"parti@example.com": "inconnu@example.com",
                                                                     "<dossier03.qmail@": "<elsewhere@"})])
    result = run("inbox", "--mbox", "bounces.mbox")
    assert result.stdout.splitlines()[0] == (
        "  bounces.mbox#1: inconnu@example.com: for review (#1): a bounce from mailer-daemon@mail.example.com about "
        "inconnu@example.com, not tied to a message the ledger records as sent (no Message-ID of the ledger, no honoured "
        "token, no signed VERP address)")
    assert suppressed(ledger) == {}


def test_three_temporary_failures_must_be_in_a_row(project: Path, ledger: Path) -> None:
    with Ledger.open(ledger) as book:
        for number in (1, 2, 4):
            book.record_sent(number, "plein@example.org", f"<dossier0{number}.postfix@example.org>", "partners.csv")

    def delayed(number: int, warning: int = 1) -> bytes:
        return corpus("postfix-422-delayed.eml", **{
            "<dossier03.postfix@example.org>": f"<dossier0{number}.postfix@example.org>",
            "<postfix-422-delayed@mx.example.org>": f"<delayed-{number}-{warning}@mx.example.org>",
        })

    write_mbox(project / "a.mbox", [delayed(1), delayed(2), delayed(4), delayed(4, warning=2)])
    first = run("inbox", "--mbox", "a.mbox").stdout.splitlines()
    assert [line.split(": ")[2] for line in first[:4]] == [
        "soft bounce counted (numéro 1, 1 of 3 in a row)", "soft bounce counted (numéro 2, 2 of 3 in a row)",
        "soft bounce counted (numéro 4, 1 of 3 in a row)",  # n°3 went through: the count starts again
        "soft bounce counted (numéro 4, 1 of 3 in a row)",  # a second warning about n°4 counts once
    ]
    assert suppressed(ledger) == {}
    write_mbox(project / "b.mbox", [delayed(3)])
    second = run("inbox", "--mbox", "b.mbox").stdout.splitlines()
    assert second[0] == ("  b.mbox#1: plein@example.org: bounced (4 temporary failures in a row): "
                         "4.2.2 failure; " + ev("postfix"))
    assert suppressed(ledger) == {"plein@example.org": "bounced"}


def test_tokens_that_must_change_nothing(project: Path, ledger: Path) -> None:
    secret = SECRET.encode()
    jean = token(secret, 3, "jean@example.org")
    messages = [
        # Forged: a well-formed token nobody was given, from a partner's own address.
        reply("jean@example.org", "contact@example.org", "unsubscribe-abcdefghijklmnopqrst", message_id="<f1@x>"),
        # Made with another secret (another project's list).
        reply("jean@example.org", "contact@example.org",
              f"unsubscribe-{token(b'another-secret-0123456789', 3, 'jean@example.org')}", message_id="<f2@x>"),
        # Genuine, but for numéro 4's list: Marie was never sent n°4 (a dry run's draft, say).
        reply("marie@example.net", "contact@example.org", f"unsubscribe-{token(secret, 4, 'marie@example.net')}",
              message_id="<f3@x>"),
        # A --test copy's token: the test address was never recorded as sent.
        reply("moi@example.org", "contact@example.org", f"unsubscribe-{token(secret, 3, 'moi@example.org')}",
              message_id="<f4@x>"),
        # A bounce whose returned X-Dossier-Recipient names someone with a token that is not theirs.
        dsn(f"Message-ID: <other@x>\nX-Dossier-Recipient: {recipient_header(3, 'marie@example.net', jean)}\n\n".encode(),
            "marie@example.net", to="chaire@example.org", message_id="<f5@x>"),
    ]
    write_mbox(project / "forged.mbox", messages)
    result = run("inbox", "--mbox", "forged.mbox")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(": ignored: an unsubscribe token that is not honoured" in line for line in lines[:4])
    assert "marie@example.net: for review (#1): a bounce from mailer-daemon@mx.example.net about marie" in lines[4], (
        "a Final-Recipient is a claim: the token returned is not hers, the Message-ID is not the ledger's")
    assert suppressed(ledger) == {}


def test_replays_change_nothing_even_after_a_resubscribe(project: Path, ledger: Path) -> None:
    request = reply("secretariat@example.net", "contact@example.org",
                    f"Re: unsubscribe-{token(SECRET.encode(), 3, 'jean@example.org')}", message_id="<u1@example.net>")
    write_mbox(project / "inbox.mbox", [request])
    first = run("inbox", "--mbox", "inbox.mbox")
    assert first.stdout.splitlines()[0] == ("  inbox.mbox#1: jean@example.org: unsubscribed: unsubscribe link of numéro 3 "
                                            "(its token), sent from secretariat@example.net")
    assert run("resubscribe", "jean@example.org").exit_code == 0
    write_mbox(project / "inbox.mbox", [request])  # the same message delivered again, or the old mbox read again
    replayed = run("inbox", "--mbox", "inbox.mbox")
    assert replayed.stdout.splitlines()[0] == ("inbox: 2 messages read from inbox.mbox: 2 already read; "
                                               "suppression list in .dossier/deliveries.sqlite")
    assert suppressed(ledger) == {}


def test_plain_requests_replies_and_automatic_messages(project: Path, ledger: Path) -> None:
    answering_marie = "In-Reply-To: <dossier03.marie@example.org>\n"
    messages = [
        reply("Marie@Example.NET", "contact@example.org", "Re: Dossier spécial n°3", "Je souhaite me désinscrire.",
              message_id="<p0@x>", extra=answering_marie),
        reply("Marie@Example.NET", "contact@example.org", "STOP", "Je souhaite me désinscrire.", message_id="<p1@x>"),
        reply("inconnu@example.com", "contact@example.org", "désabonnement", message_id="<p2@x>"),
        reply("jean@example.org", "chaire@example.org", "Re: Dossier spécial n°3",
              "Très intéressant, merci.\n\n> Pour ne plus recevoir ces dossiers, écrivez à contact@example.org",
              message_id="<p3@x>"),
        reply("jean@example.org", "chaire@example.org", "Absence du bureau", "Je serai absent jusqu'au 12 mai.",
              message_id="<p4@x>", extra="Auto-Submitted: auto-replied\n"),
        reply("jean@example.org", "chaire@example.org", "Re: Dossier spécial n°3", "Merci, à bientôt.",
              message_id="<p5@x>", extra="In-Reply-To: <dossier03.jean@example.org>\n"),
    ]
    write_mbox(project / "inbox.mbox", messages)
    lines = run("inbox", "--mbox", "inbox.mbox", "--partners", str(write_partners(project))).stdout.splitlines()
    assert lines[:6] == [
        "  inbox.mbox#1: marie@example.net: unsubscribed: asked \"Je souhaite me désinscrire.\" from their own address; "
        "evidence: in reply to numéro 3's message <dossier03.marie@example.org> in the ledger",
        "  inbox.mbox#2: marie@example.net: for review (#1): asks to unsubscribe (\"STOP\"), but it is not in reply to a "
        "message the ledger records as sent (no In-Reply-To or References of ours)",
        "  inbox.mbox#3: inconnu@example.com: for review (#2): asks to unsubscribe (\"désabonnement\"), but "
        "inconnu@example.com was never sent a numéro and is on no partner list",
        "  inbox.mbox#4: jean@example.org: for review (#3): perhaps a request to unsubscribe, not sure: the words about "
        "unsubscribing are only in quoted text (our footer, or a message answered)",
        '  inbox.mbox#5: jean@example.org: ignored: automatic reply ("Absence du bureau"): nothing to do',
        "  inbox.mbox#6: jean@example.org: not classified: neither a bounce nor an unsubscribe request "
        '("Re: Dossier spécial n°3"): left for a person',
    ]
    assert suppressed(ledger) == {"marie@example.net": "unsubscribed"}


def write_partners(project: Path) -> Path:
    path = project / "fake-partners.csv"
    path.write_text("email\nnouveau@example.org\n", encoding="utf-8")
    return path


def test_a_partner_never_sent_a_numero_is_confirmed_by_a_person(project: Path, ledger: Path) -> None:
    write_mbox(project / "inbox.mbox", [reply("nouveau@example.org", "contact@example.org", "Désinscription",
                                              message_id="<n1@x>")])
    without = run("inbox", "--mbox", "inbox.mbox").stdout.splitlines()[0]
    assert without.endswith(": for review (#1): asks to unsubscribe (\"Désinscription\"), but nouveau@example.org was "
                            "never sent a numéro and is on no partner list")
    with_list = run("inbox", "--mbox", "inbox.mbox", "--partners", str(write_partners(project))).stdout
    assert "for review (#1): asks to unsubscribe (\"Désinscription\"), but nouveau@example.org was never sent a " \
           "numéro (a partner list has it, the ledger does not)" in with_list, "the same message keeps its number"
    assert suppressed(ledger) == {}
    assert run("inbox", "--confirm", "1").stdout == "#1: nouveau@example.org: unsubscribed\n"
    assert suppressed(ledger) == {"nouveau@example.org": "unsubscribed"}
    assert run("inbox", "--mbox", "inbox.mbox").stdout.splitlines()[0].startswith("inbox: 1 message read from inbox.mbox: "
                                                                                  "1 already read")


def test_messages_that_cannot_be_parsed_are_reported_and_skipped(project: Path, ledger: Path) -> None:
    messages = [
        b"",
        b"\x00\x01\x02\xff\xfe binary garbage without any header",
        # A multipart whose boundary never comes, and a charset no one knows.
        b"From: x@example.org\nSubject: =?x-unknown?q?abc?=\nContent-Type: multipart/report; "
        b"report-type=delivery-status; boundary=zz\n\n--yy\nbroken\n",
        b"From: \xff\xfe\nSubject: d\xe9sabonnement\nContent-Type: text/plain; charset=x-nowhere\n\n\xe9\xe9\n",
        corpus("gmail-550.eml"),
    ]
    write_mbox(project / "bad.mbox", messages)
    result = run("inbox", "--mbox", "bad.mbox")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("  bad.mbox#1: -: unreadable: cannot be parsed (ValueError: not a mail message")
    assert lines[1].startswith("  bad.mbox#2: -: unreadable: cannot be parsed (ValueError: not a mail message")
    assert lines[4] == f"  bad.mbox#5: nobody@example.org: bounced: 5.1.1 failure; {ev('gmail')}"
    assert suppressed(ledger) == {"nobody@example.org": "bounced"}


def test_sources_and_their_errors(project: Path, ledger: Path) -> None:
    (project / "notes.txt").write_text("not a mailbox\n", encoding="utf-8")
    assert run("inbox", "--mbox", "notes.txt").stderr == (
        "notes.txt: not an mbox file (it must start with a 'From ' line): give a mailbox exported as mbox, "
        "or a Maildir folder with --maildir\n")
    write_mbox(project / "bounces.mbox", [corpus("gmail-550.eml")])
    assert run("inbox", "--mbox", "bounces.mbox", "--mark").stderr == (
        "--mark flags messages in a Maildir folder or over IMAP: an mbox file is only read\n")
    (project / "plain").mkdir()
    assert run("inbox", "--maildir", "plain").stderr == "plain: not a Maildir folder (it must hold new/, cur/ and tmp/)\n"
    no_imap = run("inbox")
    assert no_imap.exit_code == 1
    assert no_imap.stderr.startswith("give a mailbox: --mbox FILE, --maildir DIR, or the IMAP server in "
                                     "publication.yaml under mail.imap")


def test_maildir_read_only_then_marked(project: Path, ledger: Path) -> None:
    box = mailbox.Maildir(project / "Maildir", create=True)
    for raw in (corpus("gmail-550.eml"), reply("jean@example.org", "chaire@example.org", "Question", message_id="<q@x>")):
        box.add(raw)
    box.close()
    before = sorted(p.relative_to(project) for p in (project / "Maildir").rglob("*") if p.is_file())
    assert run("inbox", "--maildir", "Maildir").exit_code == 0
    assert sorted(p.relative_to(project) for p in (project / "Maildir").rglob("*") if p.is_file()) == before
    marked = run("inbox", "--maildir", "Maildir", "--mark")
    assert "  1 message used flagged as seen" in marked.stdout.splitlines()
    flags = {message["Message-ID"]: message.get_flags() for message in mailbox.Maildir(project / "Maildir").values()}
    assert flags == {"<dsn-gmail-550@example.net>": "S", "<q@x>": ""}


def test_verp_addresses() -> None:
    assert verp_address("bounces@example.org", "Jean.Dupont@example.net") == "bounces+Jean.Dupont=example.net@example.org"
    assert verp_recipient("bounces@example.org", "<BOUNCES+jean.dupont=example.net@Example.org>") == "jean.dupont@example.net"
    assert verp_recipient("bounces@example.org", "bounces@example.org") is None
    assert verp_recipient("bounces@example.org", "other+jean=example.net@example.org") is None
    long_local = "x" * 60 + "@example.net"
    assert verp_address("bounces@example.org", long_local) == "bounces@example.org", "over 64 characters: not VERP"
    assert (BOUNCES / "README.md").is_file()


def test_a_secret_too_short_is_refused(project: Path, ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_SECRET", "short")
    write_mbox(project / "bounces.mbox", [corpus("gmail-550.eml")])
    for command in (["inbox", "--mbox", "bounces.mbox"], ["send", "3", "--partners", str(write_partners(project))]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stderr.startswith("DOSSIER_SECRET is too short (5 characters): use at least 16 random characters")


def test_a_message_without_the_blank_line_after_its_headers_keeps_its_text() -> None:
    """A body line right after the headers starts the body (as email's parser reads it), its bytes decoded once."""
    from dossier.mail.inbox.parse import first_text, parse

    raw = ("From: Paul <paul@example.net>\nSubject: Re: Dossier\nContent-Type: text/plain; charset=utf-8\n"
           "In-Reply-To: <a@example.org>\nMerci de me désinscrire, s’il vous plaît.\n").encode()
    message = parse(raw).message
    assert message["In-Reply-To"] == "<a@example.org>"
    assert first_text(message) == "Merci de me désinscrire, s’il vous plaît.\n"  # not s\u2019il (raw-unicode-escape)


@pytest.mark.parametrize(("language", "opening", "closing"), [("en", '"', '"'), ("fr", "«\u202f", "\u202f»")])
def test_subjects_and_sentences_are_quoted_as_the_language_writes_them(
        project: Path, ledger: Path, language: str, opening: str, closing: str) -> None:
    """No Python quoting in what the inbox says: ('Question'), "L'avis", \\u2019 escapes; no ISO dates either."""
    messages = [
        reply("jean@example.org", "chaire@example.org", "Question", "Bonjour, une question.", message_id="<q1@x>"),
        reply("jean@example.org", "chaire@example.org", "L'avis d’un partenaire", "Bonjour.", message_id="<q2@x>"),
        reply("jean@example.org", "chaire@example.org", "Absence", "Absent.", message_id="<q3@x>",
              extra="Auto-Submitted: auto-replied"),
        reply("inconnu@example.com", "contact@example.org", "STOP", "Merci de me désinscrire, s’il vous plaît.",
              message_id="<q4@x>"),
        reply("news@example.com", "contact@example.org", "Lettre d'information", "Pour vous désinscrire, cliquez ici.",
              message_id="<q5@x>", extra="List-Unsubscribe: <mailto:unsubscribe@news.example.com>\nPrecedence: bulk"),
    ]
    write_mbox(project / "inbox.mbox", messages)
    said = run("--lang", language, "inbox", "--mbox", "inbox.mbox").stdout
    listed = run("--lang", language, "inbox", "--review").stdout
    for text in (said, listed):
        assert not re.search(r"\('|'\)|\(\"'|\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|\d{4}-\d\d-\d\d", text), text
    for subject in ("Question", "L'avis d’un partenaire", "Absence", "Lettre d'information"):
        assert f"({opening}{subject}{closing})" in said, (subject, said)
    assert f"{opening}STOP{closing}" in said and f"{opening}STOP{closing}" in listed
    assert f"{opening}Merci de me désinscrire, s’il vous plaît.{closing}" in listed
