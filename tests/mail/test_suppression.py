"""The suppression list: migrated into an existing ledger, fed by commands, honoured by every send."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.ledger import SCHEMA_VERSION, Ledger
from dossier.mail.suppression import SuppressionList
from inbox_support import corpus, write_mbox
from smtp_support import SmtpTestServer, configure_mail, fake_pdf

FIXTURES = Path(__file__).parent / "fixtures"
LEDGER = Path(".dossier") / "deliveries.sqlite"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_", "DOSSIER_SECRET")):
            monkeypatch.delenv(name)


def partners(root: Path, count: int = 5, name: str = "fake-partners.csv") -> list[str]:
    addresses = [f"partner{i:02d}@example.org" for i in range(1, count + 1)]
    (root / name).write_text("email,name\n" + "".join(f"{a},Partner {a[7:9]}\n" for a in addresses), encoding="utf-8")
    return addresses


def test_a_ledger_made_by_the_previous_version_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "deliveries.sqlite"
    shutil.copy(FIXTURES / "ledger-v1.sqlite", path)  # written by Ledger.open of schema 1
    with Ledger.read(path) as book:  # read-only: not migrated, reads as an empty list
        assert SuppressionList(book).all() == {}
        assert set(book.deliveries(3)) == {"jean.dupont@example.org", "marie@example.net", "bob@example.com"}
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (1,)

    with Ledger.open(path) as book:
        stops = SuppressionList(book)
        with stops.transaction():
            assert stops.suppress("Marie@Example.NET", "unsubscribed", "test")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (3,)
    with Ledger.read(path) as book:
        records = book.deliveries(3)
        assert records["marie@example.net"].message_id == "<dossier03.2@example.org>"
        assert records["bob@example.com"].reply == "550 5.1.1 no such mailbox"
        (marie,) = SuppressionList(book).all().values()
        assert (marie.address, marie.why, marie.source) == ("marie@example.net", "unsubscribed", "test")


def test_a_ledger_from_a_newer_version_is_refused(project: Path) -> None:
    configure_mail(project)
    (project / ".dossier").mkdir(exist_ok=True)
    db = sqlite3.connect(project / LEDGER)
    db.execute("PRAGMA user_version=7")
    db.close()
    result = run("unsubscribe", "a@example.org")
    assert result.exit_code == 1
    assert result.stderr == (".dossier/deliveries.sqlite: this delivery ledger was written by a newer version of dossier "
                             f"(schema 7, this one knows {SCHEMA_VERSION}): update dossier (scripts/install) before sending\n")


def test_a_corrupted_ledger_says_how_to_recover_and_nothing_is_sent(project: Path) -> None:
    configure_mail(project)
    partners(project)
    fake_pdf(project)
    (project / ".dossier").mkdir(exist_ok=True)
    (project / LEDGER).write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    write_mbox(project / "bounces.mbox", [corpus("gmail-550.eml")])
    server = SmtpTestServer().start()
    try:
        env = server.env()
        for command in (["send", "3", "--partners", "fake-partners.csv", "--send", "--yes"], ["unsubscribe", "a@example.org"],
                        ["suppressed"], ["inbox", "--mbox", "bounces.mbox"]):
            os.environ.update(env)
            result = run(*command)
            assert result.exit_code == 1, command
            error = result.stderr.splitlines()[-1] + "\n"  # after the gate's warnings (the sample's actions without url)
            assert error.startswith(".dossier/deliveries.sqlite: the delivery ledger is damaged ("), command
            assert error.endswith("restore it from a backup; do not delete or move it: it records who was sent "
                                          "what, and without it every partner would be mailed again\n"), command
            assert "Traceback" not in result.output
    finally:
        server.stop()
        for name in env:
            os.environ.pop(name, None)
    assert server.handler.received == []


def test_unsubscribe_resubscribe_and_the_list(project: Path) -> None:
    configure_mail(project)
    result = run("unsubscribe", "Jean@Example.org", "marie@example.net", "--reason", "asked by phone")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Jean@Example.org: suppressed (manual: asked by phone)",
        "marie@example.net: suppressed (manual: asked by phone)",
        "2 added to the suppression list in .dossier/deliveries.sqlite; no numéro will be sent to them",
    ]
    again = run("unsubscribe", "jean@example.org")
    # When, in local time as people write it: "3 December 2026 at 08:47".
    assert re.fullmatch(r"jean@example\.org: already suppressed \(manual, \d{1,2} \w+ 20\d\d at \d\d:\d\d\)",
                        again.stdout.splitlines()[0])

    (project / "stop.yaml").write_text("- bob@example.com\n- email: alice@example.fr\n", encoding="utf-8")
    assert run("unsubscribe", "--file", "stop.yaml").exit_code == 0

    bad = run("unsubscribe", "carol@example.org", "not-an-address")
    assert bad.exit_code == 1
    assert bad.stderr == "'not-an-address' is not an email address: write it as name@example.org\n"

    listing = run("suppressed").stdout.splitlines()
    assert listing[-1] == "4 suppressed addresses in .dossier/deliveries.sqlite"
    assert any(line.startswith("bob@example.com    manual") and "dossier unsubscribe --file stop.yaml:1" in line
               for line in listing)
    assert "carol@example.org" not in "\n".join(listing), "nothing is written when an address is invalid"

    resubscribed = run("resubscribe", "MARIE@example.net")
    assert resubscribed.exit_code == 0
    assert resubscribed.stdout.startswith("MARIE@example.net: resubscribed (was manual on ")
    assert run("resubscribe", "marie@example.net").stdout == "marie@example.net: not on the suppression list: nothing to do\n"
    with Ledger.read(project / LEDGER) as book:
        log = book.db.execute("SELECT address, action, source FROM suppression_log ORDER BY id").fetchall()
    assert log[-1] == ("marie@example.net", "resubscribed", "dossier resubscribe")

    exported = run("suppressed", "--csv").stdout
    assert exported.splitlines()[0] == "email,why,at,source,detail"
    assert len(exported.splitlines()) == 4
    # The export is a list `unsubscribe --file` reads back (for another project, or a restored ledger).
    (project / "export.csv").write_text(exported, encoding="utf-8")
    (project / LEDGER).unlink()
    assert run("unsubscribe", "--file", "export.csv").stdout.splitlines()[-1].startswith("3 added")


def test_every_send_skips_suppressed_partners_and_counts_them(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure_mail(project)
    addresses = partners(project, 6)
    fake_pdf(project)
    assert run("unsubscribe", addresses[1].upper(), addresses[4]).exit_code == 0
    with Ledger.open(project / LEDGER) as book:
        stops = SuppressionList(book)
        with stops.transaction():
            stops.suppress(addresses[2], "bounced", "test", "550 5.1.1 no such user")

    dry = run("send", "3", "--partners", "fake-partners.csv")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[0] == "dry run: 3 messages written to output/mail-03/ (nothing sent)"
    assert "  3 skipped: manual 2, bounced 1 (on the suppression list: see dossier suppressed)" in dry.stdout.splitlines()
    assert sorted(p.name for p in (project / "output" / "mail-03").glob("*.eml")) == [
        "0001-partner01@example.org.eml", "0002-partner04@example.org.eml", "0003-partner06@example.org.eml"]

    server = SmtpTestServer().start()
    try:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        sent = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
        test_copy = run("send", "3", "--partners", "fake-partners.csv", "--test", addresses[1])
    finally:
        server.stop()
    assert sent.exit_code == 0, sent.output
    assert server.handler.to() == [addresses[0], addresses[3], addresses[5], addresses[1]], "--test is not filtered"
    assert sent.stdout.splitlines()[0].startswith("sent 3 of 3 pending messages")
    assert "  3 skipped: manual 2, bounced 1 (on the suppression list: see dossier suppressed)" in sent.stdout.splitlines()
    assert test_copy.exit_code == 0

    again = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    assert again.stdout == ("nothing to send: 3 partners were sent this numéro already, 3 skipped: manual 2, bounced 1 "
                            "(on the suppression list: see dossier suppressed)\n")

    status = run("send", "3", "--partners", "fake-partners.csv", "--status").stdout.splitlines()
    assert status[-1] == "3 sent, 0 failed, 0 pending, 3 skipped: manual 2, bounced 1"
    skipped = [line for line in status if line.startswith("  skipped")]
    assert len(skipped) == 3
    assert "partner03@example.org" in skipped[1] and "bounced: 550 5.1.1 no such user (test)" in skipped[1]
    assert run("send", "3", "--status").stdout.splitlines()[-1] == (
        "3 sent, 0 failed; 3 addresses on the suppression list (see dossier suppressed)")


def test_a_partner_suppressed_after_delivery_counts_as_sent(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure_mail(project)
    addresses = partners(project, 2)
    fake_pdf(project)
    server = SmtpTestServer().start()
    try:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes").exit_code == 0
    finally:
        server.stop()
    assert run("unsubscribe", addresses[0]).exit_code == 0
    status = run("send", "3", "--partners", "fake-partners.csv", "--status").stdout.splitlines()
    assert status[-1] == "2 sent, 0 failed, 0 pending"
