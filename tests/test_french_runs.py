"""Every command in French, as an editor runs it: golden output in tests/golden/cli-fr/, and no English left.

Each run's standard output and error are compared with its golden file (times, sizes, ports
and message IDs replaced by placeholders) and searched for English left untranslated
(french_support.english_left: every message of the catalog). When a message changes on
purpose, refresh with DOSSIER_UPDATE_GOLDEN=1 and read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from dossier.mail.unsubscribe.links import link_token, parse_link_token
from dossier.mail.unsubscribe.records import append_request
from french_support import GOLDEN, compare_golden, english_left
from inbox_support import reply, write_mbox
from smtp_support import MAIL_SETTINGS, SmtpTestServer, configure_mail

SECRET = "french-runs-secret-0123456789abcdef"


def check_run(name: str, *command: str, exit_code: int = 0, stdin: str | None = None) -> str:
    """Run ``dossier --lang fr COMMAND``; compare with its golden file; fail on English left. Returns the output."""
    from click.testing import CliRunner

    from dossier.cli import cli

    result = CliRunner().invoke(cli, ["--lang", "fr", *command], input=stdin, catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    compare_golden(name, command, result.stdout, result.stderr)
    return result.stdout + result.stderr


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


PARTNERS = [["Civilité", "Prénom", "Nom", "Adresse e-mail", "Structure"],
            ["Mme", "Jeanne", "Martin", "jeanne.martin@example.org", "Ville d’Exemple"],
            ["", "Paul", "Durand", "paul.durand@example.net", "Région Fictive"]]


def test_the_numero_commands_in_french(mini_project: Path) -> None:
    from dossier.cli import cli

    check_run("validate-mini", "validate", "1")
    check_run("check-clean", "check", "1")
    check_run("new", "new")
    check_run("new-exists", "new", "--number", "1", exit_code=1)
    check_run("build-placeholder-refused", "build", "2", exit_code=1)
    check_run("build-draft-placeholder", "build", "2", "--draft")
    check_run("site-placeholder-refused", "site", exit_code=1)
    check_run("site", "site", "1")
    check_run("help", "--help")
    check_run("schema", "schema", "--output", "schema-fr.json")
    assert "le manifeste d’un numéro" in (mini_project / "schema-fr.json").read_text(encoding="utf-8")  # in French
    check_run("schema-folder", "schema", "--output", "issues", exit_code=2)
    for command in ("validate", "build", "check", "new", "preview", "site", "schema", "send", "unsubscribe",
                    "resubscribe", "suppressed", "inbox", "import"):
        result = run("--lang", "fr", command, "--help")
        left = english_left(result.stdout, literals=cli.commands)
        assert result.exit_code == 0 and not left, (command, left)


def test_the_mailing_commands_in_french(mini_project: Path, server: SmtpTestServer,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    configure_mail(mini_project, MAIL_SETTINGS + "  bounce_address: bounces@example.org\n")
    (mini_project / "partenaires.csv").write_bytes(
        "\r\n".join(";".join(row) for row in PARTNERS).encode("cp1252"))
    bad = mini_project / "mauvaise-liste.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Feuille1"
    for row in [*PARTNERS, ["", "Sans", "Arobase", "sans.arobase.example.org", ""]]:
        workbook.active.append(row)
    workbook.save(bad)

    check_run("send-list-errors", "send", "1", "--partners", bad.name, exit_code=1)
    check_run("send-dry-run-cp1252", "send", "1", "--partners", "partenaires.csv")
    check_run("send-test", "send", "1", "--partners", "partenaires.csv", "--test", "moi@example.org")
    check_run("send-without-terminal", "send", "1", "--partners", "partenaires.csv", "--send", exit_code=1)
    assert len(server.handler.received) == 1  # the test copy only
    check_run("send-send", "send", "1", "--partners", "partenaires.csv", "--send", "--yes")
    check_run("send-status-after", "send", "1", "--partners", "partenaires.csv", "--status")

    sent = {m.rcpt_tos[0]: m.parsed() for m in server.handler.received[1:]}
    # Before the inbox's: the list is oldest first, by the second, so this order holds whatever the clock.
    check_run("unsubscribe", "unsubscribe", "jeanne.martin@example.org", "--reason", "demandé par téléphone")
    check_run("unsubscribe-again", "unsubscribe", "jeanne.martin@example.org")
    check_run("unsubscribe-bad-address", "unsubscribe", "jeanne.martin.example.org", exit_code=1)
    paul = sent["paul.durand@example.net"]
    mbox = write_mbox(mini_project / "boite.mbox", [
        reply("Paul Durand <paul.durand@example.net>", "contact@example.org", "Re: " + str(paul["Subject"]),
              "Bonjour, je souhaite ne plus recevoir ces dossiers : désinscription, s’il vous plaît.",
              message_id="<reponse-1@example.net>", extra=f"In-Reply-To: {paul['Message-ID']}"),
        reply("Quelqu'un <quelqu.un@example.com>", "contact@example.org", "Question", "Bonjour, une question.",
              message_id="<question-1@example.com>"),
    ])
    check_run("inbox", "inbox", "--mbox", mbox.name, "--partners", "partenaires.csv")
    check_run("inbox-again", "inbox", "--mbox", mbox.name, "--partners", "partenaires.csv")
    check_run("suppressed", "suppressed")
    check_run("resubscribe", "resubscribe", "jeanne.martin@example.org")
    check_run("resubscribe-unknown", "resubscribe", "inconnu@example.org")
    check_run("resubscribe-bad-address", "resubscribe", "inconnu@", exit_code=1)
    check_run("inbox-no-mailbox", "inbox", exit_code=1)
    (mini_project / "registre-abime.sqlite").write_bytes(b"pas un registre\n" * 100)
    check_run("suppressed-damaged", "suppressed", "--ledger", "registre-abime.sqlite", exit_code=1)

    # Jeanne, back on the list, follows the one-click link of n°1's message: the endpoint records the request.
    requests = mini_project / "demandes.jsonl"
    token = link_token(SECRET.encode(), 1, "jeanne.martin@example.org")
    append_request(requests, token, parse_link_token(SECRET.encode(), token))
    check_run("import-unsubscribes", "import-unsubscribes", requests.name)
    check_run("import-unsubscribes-again", "import-unsubscribes", requests.name)
    monkeypatch.delenv("DOSSIER_SECRET")
    check_run("import-unsubscribes-no-secret", "import-unsubscribes", requests.name, exit_code=1)


def test_import_in_french(mini_project: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Appel"
    for row in [["Horodateur", "Thème", "Titre", "Porteur(s)", "Texte", "Lien"],
                ["2026/11/30 10:12", "Essais", "Un jardin partagé", "Commune d'Exemple ; Association Exemple",
                 "Un jardin, des voisins.", "https://example.org/jardin"],
                ["2026/11/30 11:40", "Essais", "Sans texte", "Association Exemple", None, "pas-une-adresse"]]:
        workbook.active.append(row)
    workbook.save(mini_project / "appel.xlsx")
    check_run("import-errors", "import", "1", "appel.xlsx", exit_code=1)
    workbook.active.delete_rows(3)
    workbook.save(mini_project / "appel.xlsx")
    check_run("import-dry-run", "import", "1", "appel.xlsx")
    check_run("import-write", "import", "1", "appel.xlsx", "--write")


# Each command's golden runs: (a typical success, a typical failure), by the golden files' names.
RUNS = {
    "validate": ("validate-mini", "validate-errors"), "build": ("build", "build-placeholder-refused"),
    "check": ("check-clean", "check"), "new": ("new", "new-exists"),
    "preview": ("preview-start", "preview-errors"), "site": ("site", "site-placeholder-refused"),
    "schema": ("schema", "schema-folder"), "import": ("import-write", "import-errors"),
    "send": ("send-send", "send-list-errors"), "unsubscribe": ("unsubscribe", "unsubscribe-bad-address"),
    "resubscribe": ("resubscribe", "resubscribe-bad-address"), "suppressed": ("suppressed", "suppressed-damaged"),
    "inbox": ("inbox", "inbox-no-mailbox"),
    "import-unsubscribes": ("import-unsubscribes", "import-unsubscribes-no-secret"),
    "doctor": ("doctor", "doctor-missing"),
}


def test_every_command_has_a_golden_success_and_failure() -> None:
    """Every command of ``dossier --help``: a golden French run of its typical success and of its typical failure
    (the runs above assert their exit codes: 0, then not 0)."""
    from dossier.cli import cli

    assert set(RUNS) == set(cli.commands)
    for command, names in RUNS.items():
        for name in names:
            first = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()[0]
            assert first.split()[:3] == ["$", "dossier", command], (name, first)
