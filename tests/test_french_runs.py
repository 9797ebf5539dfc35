"""Every command in French, as an editor runs it: golden output in tests/golden/cli-fr/, and no English left.

Each run's standard output and error are compared with its golden file (times, sizes, ports
and message IDs replaced by placeholders) and searched for English left untranslated
(french_support.english_left: every message of the catalog). When a message changes on
purpose, refresh with DOSSIER_UPDATE_GOLDEN=1 and read the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from french_support import english_left
from inbox_support import reply, write_mbox
from smtp_support import MAIL_SETTINGS, SmtpTestServer, configure_mail

GOLDEN = Path(__file__).parent / "golden" / "cli-fr"
SECRET = "french-runs-secret-0123456789abcdef"
_VARYING = [
    (re.compile(r"\d{1,2} \w+ \d{4} à \d\d h \d\d"), "<date>"),  # a recorded moment, in local time
    (re.compile(r"\b\d+(?:,\d+)? s\b"), "… s"),
    (re.compile(r"\b\d+/min\b"), "…/min"),
    (re.compile(r"\b\d+(?:,\d+)? (?:Ko|Mo)\b"), "… Ko"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"<[^<>@\s]+@[^<>\s]+>"), "<message-id>"),
    (re.compile(r"\d{4}-\d\d-\d\d(?:T[\d:]+Z)?"), "<date>"),
]


def check_run(name: str, *command: str, exit_code: int = 0, stdin: str | None = None) -> str:
    """Run ``dossier --lang fr COMMAND``; compare with its golden file; fail on English left. Returns the output."""
    from click.testing import CliRunner

    from dossier.cli import cli

    result = CliRunner().invoke(cli, ["--lang", "fr", *command], input=stdin, catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    text = f"$ dossier {' '.join(command)}\n{result.stdout}--- stderr ---\n{result.stderr}"
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    left = english_left(result.stdout + result.stderr, literals=cli.commands)
    assert not left, f"English in a French run of dossier {' '.join(command)}: {left}"
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
    check_run("new", "new")
    check_run("build-placeholder-refused", "build", "2", exit_code=1)
    check_run("build-draft-placeholder", "build", "2", "--draft")
    check_run("site-placeholder-refused", "site", exit_code=1)
    check_run("site", "site", "1")
    check_run("help", "--help")
    for command in ("validate", "build", "check", "new", "preview", "site", "schema", "send", "unsubscribe",
                    "resubscribe", "suppressed", "inbox", "import"):
        result = run("--lang", "fr", command, "--help")
        left = english_left(result.stdout, literals=cli.commands)
        assert result.exit_code == 0 and not left, (command, left)


def test_the_mailing_commands_in_french(mini_project: Path, server: SmtpTestServer) -> None:
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
