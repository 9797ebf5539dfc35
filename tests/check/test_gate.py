"""The gate before anything goes out: a numéro with « À compléter » left or an image without alt text is not
printed as final, published or mailed; --send says what it will do and waits for the numéro's number."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from conftest import run
from dossier.check import blocking
from dossier.project import Project
from smtp_support import MAIL_SETTINGS, SmtpTestServer, configure_mail

PARTNERS = "email;name\njeanne@example.org;Jeanne Martin\npaul@example.net;Paul Durand\n"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} \
        if folder.is_dir() else {}


def unfinished(root: Path) -> Path:
    """n°1 with a placeholder card and an image without alt text."""
    manifest = root / "issues/01/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("        text: Un autre texte bref.\n", "        text: À compléter.\n        image: photo.jpg\n")
    manifest.write_text(text, encoding="utf-8")
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(manifest.parent / "photo.jpg", "JPEG")
    return manifest


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    for name in list(os.environ):
        if name.startswith("DOSSIER_SMTP_"):
            monkeypatch.delenv(name)
    smtp = SmtpTestServer().start()
    for name, value in smtp.env().items():
        monkeypatch.setenv(name, value)
    yield smtp
    smtp.stop()


def test_blocking_findings_are_located_and_warnings_are_not_among_them(mini_project: Path) -> None:
    assert blocking(Project.find(), "1") == []
    manifest = unfinished(mini_project)
    lines = manifest.read_text(encoding="utf-8").splitlines()
    found = [str(p) for p in blocking(Project.find(), "1")]
    assert found == [
        f"issues/01/issue.yaml:{lines.index('      - title: Une seconde initiative') + 1}: still «\u202fÀ "
        "compléter\u202f» from 'dossier new': write the text, or remove the entry",
        f"issues/01/issue.yaml:{lines.index('        image: photo.jpg') + 1}: image without alt text: describe it in "
        "'alt' (what a reader who cannot see it should know)",
    ]


def test_build_site_and_send_refuse_an_unfinished_numero_and_change_nothing(mini_project: Path,
                                                                          server: SmtpTestServer) -> None:
    assert run("build", "1").exit_code == 0
    configure_mail(mini_project, MAIL_SETTINGS)
    (mini_project / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    unfinished(mini_project)
    before = files_under(mini_project / "output")
    for command in (["build", "1"], ["site"], ["site", "1"], ["send", "1", "--partners", "partners.csv", "--test",
                    "moi@example.org"], ["send", "1", "--partners", "partners.csv", "--send", "--yes"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        lines = result.stderr.splitlines()
        assert lines[-1].startswith("n°1 is not ready to go out: 2 things to correct; "), (command, lines)
        assert all(line.startswith("issues/01/issue.yaml:") for line in lines[:-1]) and len(lines) == 3
        assert files_under(mini_project / "output") == before, command
    assert server.handler.received == []
    # A draft is still made, beside the final PDF and never over it.
    draft = run("build", "1", "--draft")
    assert draft.exit_code == 0, draft.output
    assert draft.stdout.strip().endswith("output/dossier-special-01-brouillon.pdf")
    after = files_under(mini_project / "output")
    assert after["dossier-special-01.pdf"] == before["dossier-special-01.pdf"]
    assert "dossier-special-01-brouillon.pdf" in after and "dossier-special-01-brouillon.html" in after


def test_send_says_what_it_will_do_and_waits_for_the_number(mini_project: Path, server: SmtpTestServer,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    configure_mail(mini_project, MAIL_SETTINGS)
    (mini_project / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    assert run("unsubscribe", "paul@example.net").exit_code == 0

    no_terminal = run("send", "1", "--partners", "partners.csv", "--send")
    assert no_terminal.exit_code == 1
    assert "--send asks you to confirm at a terminal: run it in a terminal, or add --yes" in no_terminal.stderr
    assert server.handler.received == []

    monkeypatch.setattr("dossier.mail.confirm.is_interactive", lambda: True)
    from click.testing import CliRunner

    from dossier.cli import cli

    wrong = CliRunner().invoke(cli, ["send", "1", "--partners", "partners.csv", "--send"], input="oui\n")
    assert wrong.exit_code == 1 and "'oui' is not 1: nothing was sent" in wrong.stderr
    assert "To send, type the numéro's number (1); anything else sends nothing: " in wrong.stderr  # one colon
    french = CliRunner().invoke(cli, ["--lang", "fr", "send", "1", "--partners", "partners.csv", "--send"], input="non\n")
    assert french.exit_code == 1
    assert "toute autre réponse n’envoie rien\u202f: " in french.stderr and "rien:" not in french.stderr
    assert server.handler.received == []
    right = CliRunner().invoke(cli, ["send", "1", "--partners", "partners.csv", "--send"], input="1\n")
    assert right.exit_code == 0, right.output
    summary = [line for line in right.stderr.splitlines() if line.startswith("n°1 → ")]
    assert summary and summary[0].startswith("n°1 → 1 partner, 1 on the suppression list, attachment ")
    assert "subject \"Dossier spécial n°1" in summary[0]
    assert [m.rcpt_tos for m in server.handler.received] == [["jeanne@example.org"]]


def test_a_draft_build_keeps_its_own_record_so_the_final_pdf_stays_unchanged(mini_project: Path) -> None:
    assert run("build", "1").exit_code == 0
    final = (mini_project / "output/dossier-special-01.pdf").read_bytes()
    draft = run("build", "1", "--draft")
    assert draft.exit_code == 0 and draft.stdout.strip() == "output/dossier-special-01-brouillon.pdf"
    again = run("build", "1")
    assert "unchanged" in again.stderr and again.stdout.strip() == "output/dossier-special-01.pdf"
    assert (mini_project / "output/dossier-special-01.pdf").read_bytes() == final
