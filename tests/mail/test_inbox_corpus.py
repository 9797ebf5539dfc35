"""The inbox corpus (tests/mail/fixtures/inbox/): forged bounces and requests, doubtful French, 8-bit headers.

Each message comes with the decision expected of it and the evidence (or the doubt) the
report must give. The forged ones name victim@example.net, whom numéro 3 was sent to:
each of them suppressed her before evidence was required. The review list then takes a
person's decisions, and bounded reading is checked by what was read, not by time.
"""

from __future__ import annotations

import importlib
import mailbox
import os
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.inbox.parse import MAX_PARTS, parse
from dossier.mail.inbox.sources import HEAD_LIMIT, MboxSource
from dossier.mail.ledger import Ledger
from dossier.mail.suppression import SuppressionList
from dossier.mail.tokens import verp_address
from inbox_support import dsn, write_mbox
from smtp_support import MAIL_SETTINGS, configure_mail

FIXTURES = Path(__file__).parent / "fixtures" / "inbox"
SECRET = "corpus-test-secret-0123456789"
SENT_3 = {
    "jean@example.org": "<dossier03.jean@example.org>",
    "marie@example.net": "<dossier03.marie@example.org>",
    "marie@example.com": "<dossier03.marie-com@example.org>",
    "victim@example.net": "<dossier03.victim@example.org>",
    "john@example.org": "<dossier03.john@example.org>",
    "lea@example.net": "<dossier03.lea@example.org>",
    "ferme@example.org": "<dossier03.ferme@example.org>",
    "parti@example.org": "<dossier03.parti@example.org>",
    "andrée@example.net": "<dossier03.andree@example.org>",
}
NOT_TIED = "not tied to a message the ledger records as sent"
IN_REPLY = "in reply to numéro 3's message <dossier03.{}@example.org> in the ledger"
# file: (outcome as the report says it, the address it names, what the reason must say)
EXPECTED = {
    "forged-dsn.eml": ("for review", "victim@example.net", f"a bounce from attacker@evil.example about "
                                                           f"victim@example.net, {NOT_TIED}"),
    "forged-verp.eml": ("for review", "victim@example.net", "an unsigned VERP address (victim@example.net) is no "
                                                            "evidence"),
    "forged-verp-bad-tag.eml": ("for review", "victim@example.net", NOT_TIED),
    "forged-complaint.eml": ("for review", "-", "a spam complaint about a message the ledger does not know"),
    "forged-from-unsubscribe.eml": ("for review", "victim@example.net", "it is not in reply to a message the ledger "
                                                                        "records as sent"),
    "reply-to-another-partner.eml": ("for review", "victim@example.net", "it answers numéro 3's message to "
                                                                         "jean@example.org, not to victim@example.net"),
    "negated-surtout.eml": ("for review", "jean@example.org", "not sure: a negation in \"Surtout ne me désabonnez pas, "),
    "negated-ne-pas.eml": ("for review", "jean@example.org", "not sure: a negation in \"Merci de ne pas me désinscrire"),
    "question.eml": ("for review", "jean@example.org", "not sure: a question in \"Comment faire pour me désinscrire ?\""),
    "third-party.eml": ("for review", "jean@example.org", "not sure: someone else in \"Bonjour, merci de désinscrire "),
    "past-mistake.eml": ("for review", "jean@example.org", "a past event or a mistake"),
    "english-negated.eml": ("for review", "jean@example.org", "not sure: a negation in \"Please don't unsubscribe me,"),
    "quoted-footer-outlook.eml": ("for review", "jean@example.org", "only in quoted text (our footer"),
    "footer-copied-inline.eml": ("for review", "jean@example.org", "only in quoted text (our footer"),
    # Another sender's newsletter, whose footer speaks of unsubscribing: not a request, not for the review list.
    "bulk-newsletter.eml": ("not classified", "lettre@news.example.com", "a bulk message (List-Unsubscribe, "
                                                                         "Precedence), not a request"),
    "genuine-reply.eml": ("unsubscribed", "jean@example.org", "asked \"merci de me désabonner, je quitte mes "
                                                              "fonctions.\" from their own address; evidence: "
                                                              + IN_REPLY.format("jean")),
    "english-genuine.eml": ("unsubscribed", "john@example.org", "asked \"Please unsubscribe me.\""),
    "rfc6532-from.eml": ("unsubscribed", "marie@example.com", IN_REPLY.format("marie-com")),
    "latin1-subject.eml": ("unsubscribed", "marie@example.net", "asked \"désabonnement\" from their own address; "
                                                                "evidence: " + IN_REPLY.format("marie")),
    "latin1-body.eml": ("unsubscribed", "lea@example.net", "asked \"Je souhaite me désinscrire de la liste.\""),
    "dsn-in-reply-to.eml": ("bounced", "ferme@example.org", "5.2.1 failure; evidence: " + IN_REPLY.format("ferme")),
    # RFC 6533: an internationalised DSN about an address with an accent, the headers returned in UTF-8.
    "rfc6533-global-dsn.eml": ("bounced", "andrée@example.net", "5.1.1 failure; evidence: its Message-ID "
                                                                "<dossier03.andree@example.org> in the ledger"),
    "signed-verp-bounce.eml": ("bounced", "parti@example.org", "evidence: returned to its signed VERP address"),
}


@pytest.fixture
def ledger(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)
    configure_mail(project, MAIL_SETTINGS + "  bounce_address: bounces@example.org\n")
    path = project / ".dossier" / "deliveries.sqlite"
    with Ledger.open(path) as book:
        for address, message_id in SENT_3.items():
            book.record_sent(3, address, message_id, "partners.csv")
    return path


def fixture(name: str) -> bytes:
    raw = (FIXTURES / name).read_bytes()
    return raw.replace(b"@@VERP_PARTI@@", verp_address("bounces@example.org", "parti@example.org", SECRET.encode()).encode())


def suppressed(path: Path) -> dict[str, str]:
    with Ledger.read(path) as book:
        return {address: row.why for address, row in SuppressionList(book).all().items()}


def test_every_corpus_message_gets_its_decision_and_its_evidence(project: Path, ledger: Path) -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in FIXTURES.glob("*.eml")), "every fixture has its expectation"
    names = sorted(EXPECTED)
    write_mbox(project / "corpus.mbox", [fixture(name) for name in names])
    result = run("inbox", "--mbox", "corpus.mbox")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    wrong = []
    for index, name in enumerate(names, start=1):
        outcome, address, why = EXPECTED[name]
        line = lines[index - 1]
        head = f"  corpus.mbox#{index}: {address}: {outcome}"
        if not line.startswith(head) or why not in line:
            wrong.append(f"{name}: expected {head} … {why}\n    got {line}")
    assert not wrong, "\n".join(wrong)
    assert suppressed(ledger) == {
        "jean@example.org": "unsubscribed", "john@example.org": "unsubscribed", "marie@example.com": "unsubscribed",
        "marie@example.net": "unsubscribed", "lea@example.net": "unsubscribed", "ferme@example.org": "bounced",
        "parti@example.org": "bounced", "andrée@example.net": "bounced"}, "victim@example.net is untouched"


def test_the_review_list_takes_a_persons_decisions(project: Path, ledger: Path) -> None:
    write_mbox(project / "inbox.mbox", [fixture("negated-surtout.eml"), fixture("forged-dsn.eml"),
                                        fixture("forged-complaint.eml")])
    first = run("inbox", "--mbox", "inbox.mbox").stdout.splitlines()
    assert [line.split(": ")[2] for line in first[:3]] == ["for review (#1)", "for review (#2)", "for review (#3)"]
    assert first[-1] == ("  3 messages to review (à vérifier): dossier inbox --review lists them; --confirm N or "
                         "--dismiss N decides")
    listing = run("inbox", "--review").stdout.splitlines()
    assert listing[0] == "3 messages to review (à vérifier) in .dossier/deliveries.sqlite:"
    assert listing[1].endswith("  inbox.mbox#1  Jean Martin <jean@example.org>  \"Re: Dossier spécial n°3\"")
    assert listing[2] == "      says: \"Bonjour, Surtout ne me désabonnez pas, ce dossier est précieux pour notre service. Jean\""
    assert listing[4] == "      --confirm 1: unsubscribe jean@example.org; --dismiss 1: change nothing"
    assert "      --confirm 2: suppress victim@example.net as bounced; --dismiss 2: change nothing" in listing
    assert "      nothing to confirm (no address to act on): --dismiss 3 once read" in listing

    assert run("inbox", "--mbox", "inbox.mbox").stdout.splitlines()[0].split(": ")[2] == "for review (#1)", \
        "read again, a message keeps its number"
    refused = run("inbox", "--confirm", "3")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("#3: nothing to confirm (no address to act on): dismiss it with --dismiss 3")
    assert run("inbox", "--confirm", "9").stderr == ("#9: no such message in the review list (dossier inbox --review "
                                                     "lists them)\n")
    decided = run("inbox", "--dismiss", "1", "--dismiss", "2", "--dismiss", "3")
    assert decided.stdout.splitlines() == ["#1: dismissed: nothing changed", "#2: dismissed: nothing changed",
                                           "#3: dismissed: nothing changed"]
    assert run("inbox", "--confirm", "2").stdout == "#2: already dismissed: nothing changed\n"
    assert suppressed(ledger) == {}
    assert run("inbox", "--review").stdout == "nothing to review in .dossier/deliveries.sqlite\n"
    again = run("inbox", "--mbox", "inbox.mbox").stdout
    assert again.startswith("inbox: 3 messages read from inbox.mbox: 3 already read;"), "dismissed: read, not listed again"


def test_a_confirmed_bounce_is_recorded_with_the_confirmation_as_its_source(project: Path, ledger: Path) -> None:
    write_mbox(project / "inbox.mbox", [fixture("forged-verp.eml")])
    run("inbox", "--mbox", "inbox.mbox")
    assert run("inbox", "--confirm", "1").stdout == "#1: victim@example.net: bounced\n"
    with Ledger.read(ledger) as book:
        row = SuppressionList(book).get("victim@example.net")
    assert row is not None and row.source == "dossier inbox --confirm 1: inbox.mbox#1 <forged-verp@evil.example>"
    assert "an unsigned VERP address (victim@example.net) is no evidence" in (row.detail or "")


def test_a_huge_message_is_read_by_its_head_only(project: Path, ledger: Path) -> None:
    """A DSN whose returned message carries a 6 MB attachment and then 200,000 MIME parts: bounded by what is read."""
    original = (f"From: chaire@example.org\nTo: victim@example.net\nMessage-ID: {SENT_3['victim@example.net']}\n"
                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=p\n\n").encode()
    parts = b"".join(b"--p\nContent-Type: text/plain\n\nx\n" for _ in range(200_000))
    attachment = b"--p\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + b"QUJD" * 1_500_000 + b"\n"
    raw = dsn(original, "victim@example.net", to="chaire@example.org", message_id="<huge@mx.example.net>")
    raw = raw.replace(b"\n--=_report--", b"\n" + parts + attachment + b"--p--\n\n--=_report--")
    assert len(raw) > 12_000_000
    (project / "huge.mbox").write_bytes(b"From MAILER-DAEMON Mon May  4 10:00:00 2020\n" + raw + b"\n")
    [message] = list(MboxSource(project / "huge.mbox").messages())
    assert len(message.raw) == HEAD_LIMIT and message.size == len(raw), "the rest is hashed, never held"
    parsed = parse(message.raw)
    assert parsed.cut and parsed.parts <= MAX_PARTS + 2, parsed.parts
    result = run("inbox", "--mbox", "huge.mbox")
    assert result.stdout.splitlines()[0] == (
        "  huge.mbox#1: victim@example.net: bounced: 5.1.1 failure; evidence: its Message-ID "
        f"<dossier03.victim@example.org> in the ledger, numéro 3 (read: headers and the first {parsed.parts} parts)")


def test_a_detector_that_fails_is_reported_not_raised(project: Path, ledger: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    classify = importlib.import_module("dossier.mail.inbox.classify")  # the package's name is the function's

    def broken(message: object) -> None:
        raise AttributeError("'Header' object has no attribute 'lower'")

    monkeypatch.setattr(classify, "all_failures", broken)
    write_mbox(project / "inbox.mbox", [fixture("dsn-in-reply-to.eml")])
    result = run("inbox", "--mbox", "inbox.mbox")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert result.stdout.splitlines()[0] == (
        "  inbox.mbox#1: ferme@example.org: bounced: 5.2.1 failure; evidence: in reply to numéro 3's message "
        "<dossier03.ferme@example.org> in the ledger (the bounce detector failed: AttributeError: 'Header' object "
        "has no attribute 'lower')")


def test_a_maildir_message_is_read_by_its_head_too(project: Path, ledger: Path) -> None:
    box = mailbox.Maildir(project / "Maildir", create=True)
    box.add(fixture("genuine-reply.eml") + b"\n" + b"x" * (HEAD_LIMIT * 2))
    box.close()
    result = run("inbox", "--maildir", "Maildir")
    assert ": jean@example.org: unsubscribed: asked \"merci de me désabonner" in result.stdout


def test_decisions_and_the_review_list_in_french(project: Path, ledger: Path) -> None:
    def spaced(text: str) -> list[str]:  # French typography's narrow no-break spaces, as plain ones
        return text.replace("\u202f", " ").replace("\xa0", " ").splitlines()

    write_mbox(project / "inbox.mbox", [fixture("negated-surtout.eml"), fixture("genuine-reply.eml")])
    lines = spaced(run("--lang", "fr", "inbox", "--mbox", "inbox.mbox").stdout)
    assert lines[0] == ("  inbox.mbox#1: jean@example.org : à vérifier (#1) : peut-être une demande de désinscription, sans "
                        "certitude : une négation dans « Surtout ne me désabonnez pas, ce dossier est précieux pour notre "
                        "service. »")
    assert lines[1] == ("  inbox.mbox#2: jean@example.org : désinscrit : demandé « merci de me désabonner, je quitte mes "
                        "fonctions. » depuis sa propre adresse ; preuve : en réponse au message "
                        "<dossier03.jean@example.org> du numéro 3, dans le registre")
    listing = spaced(run("--lang", "fr", "inbox", "--review").stdout)
    assert listing[0] == "1 message à vérifier dans .dossier/deliveries.sqlite :"
    assert listing[-1] == "      --confirm 1 : désinscrire jean@example.org ; --dismiss 1 : ne rien changer"
