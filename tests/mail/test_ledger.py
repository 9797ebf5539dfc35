"""The delivery ledger: one record per numéro and address, never downgraded, errors that say what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import run
from dossier.mail.ledger import Ledger
from smtp_support import SmtpTestServer, configure_mail, fake_pdf


def test_records_are_per_numero_and_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / ".dossier" / "deliveries.sqlite"
    with Ledger.open(path) as book:
        book.record_failed(3, "Marie@Example.net", "452 4.2.2 mailbox full", "a.csv")
        book.record_sent(3, "MARIE@example.NET", "<1@example.org>", "b.csv")
        book.record_failed(3, "marie@example.net", "550 later refusal", "c.csv")  # must not undo the delivery
        book.record_sent(3, "marie@example.net", "<2@example.org>", "c.csv")  # nor replace the first one
        book.record_sent(4, "marie@example.net", "<3@example.org>", "c.csv")
    with Ledger.read(path) as book:
        (marie,) = book.deliveries(3).values()
        assert (marie.address, marie.status, marie.message_id, marie.reply) == (
            "marie@example.net", "sent", "<1@example.org>", None
        )
        assert book.deliveries(4)["marie@example.net"].message_id == "<3@example.org>"
        assert book.deliveries(5) == {}


def test_reading_a_missing_ledger_creates_nothing(tmp_path: Path) -> None:
    with Ledger.read(tmp_path / ".dossier" / "deliveries.sqlite") as book:
        assert book.deliveries(3) == {}
    assert not (tmp_path / ".dossier").exists()


def test_a_file_that_is_not_a_ledger_is_reported(project: Path) -> None:
    configure_mail(project)
    (project / "fake-partners.csv").write_text("email\na@example.org\n", encoding="utf-8")
    (project / ".dossier").mkdir(exist_ok=True)
    (project / ".dossier" / "deliveries.sqlite").write_bytes(b"these are not the records you are looking for" * 50)
    result = run("send", "3", "--partners", "fake-partners.csv", "--status")
    assert result.exit_code == 1
    assert result.stderr == (
        ".dossier/deliveries.sqlite: the delivery ledger is damaged (not a database file): restore it from a "
        "backup; do not delete or move it: it records who was sent what, and without it every partner would be "
        "mailed again\n"
    )


def test_a_delivery_that_cannot_be_recorded_stops_the_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_mail(project)
    (project / "fake-partners.csv").write_text("email\na@example.org\nb@example.org\n", encoding="utf-8")
    fake_pdf(project)

    def disk_full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Ledger, "_record_sent", disk_full)
    server = SmtpTestServer().start()
    try:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    finally:
        server.stop()
    assert result.exit_code == 1
    assert server.handler.to() == ["a@example.org"], "nothing more is sent once the ledger cannot keep up"
    assert result.stderr.splitlines()[-2:] == [
        ".dossier/deliveries.sqlite: could not record the message to a@example.org that the server accepted "
        "(database or disk is full): sending stopped; fix the cause (disk full?) — the next run will send it to "
        "a@example.org again",
        "none of the 2 messages was sent and recorded in .dossier/deliveries.sqlite; run the same command again "
        "to send the rest",
    ]
