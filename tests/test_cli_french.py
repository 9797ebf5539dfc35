"""Golden CLI output in French: what an editor reads from validate, check, build and a send dry run.

Each golden file holds the command, its standard output and its standard error, times and
sizes replaced by placeholders. When a message changes on purpose, refresh the files with
DOSSIER_UPDATE_GOLDEN=1 and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PIL import Image

from conftest import run
from smtp_support import MAIL_SETTINGS, configure_mail, fake_pdf

GOLDEN = Path(__file__).parent / "golden" / "cli-fr"

# A numéro with something for every check to say.
FINDINGS = {
    "        text: Un texte bref qui décrit l'initiative.\n":
        "        text: Un texte bref qui décrit l'initiative, [en ligne](http://example.org/initiative).\n"
        "        image: petite.jpg\n",
    "      - title: Une seconde initiative\n": "      - title: Une première initiative\n",
    "        text: Un autre texte bref.\n": "        text: À compléter.\n",
    "    title: Un guide fictif\n": "    title: How the world will change and what you should do\n",
    "  - theme: Essais\n": "  - theme: Essais\n    colour: \"#dddddd\"\n",
}


def golden(name: str, command: list[str], stdout: str, stderr: str) -> None:
    text = f"$ dossier {' '.join(command)}\n{stdout}--- stderr ---\n{stderr}"
    text = re.sub(r"\d+,\d s\b", "… s", re.sub(r"\d+ Ko\b", "… Ko", text))
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def french_run(*command: str):
    return run("--lang", "fr", *command)


def test_validate_in_french(mini_project: Path):
    result = french_run("validate", "1")
    assert result.exit_code == 0
    golden("validate", ["validate", "1"], result.stdout, result.stderr)


def test_validate_errors_in_french(mini_project: Path):
    manifest = mini_project / "issues/01/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("subtitle:", "subtitel:").replace("date: 2024-03", "date: mars"), encoding="utf-8")
    result = french_run("validate", "1")
    assert result.exit_code == 1
    golden("validate-errors", ["validate", "1"], result.stdout, result.stderr)


def test_check_in_french(mini_project: Path):
    manifest = mini_project / "issues/01/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    for old, new in FINDINGS.items():
        assert old in text
        text = text.replace(old, new, 1)
    manifest.write_text(text, encoding="utf-8")
    Image.new("RGB", (60, 40), (40, 90, 160)).save(manifest.parent / "petite.jpg", "JPEG")
    result = french_run("check", "1")
    assert result.exit_code == 1
    golden("check", ["check", "1"], result.stdout, result.stderr)


def test_build_in_french(mini_project: Path):
    result = french_run("build", "1")
    assert result.exit_code == 0, result.stderr
    golden("build", ["build", "1"], result.stdout, result.stderr)


PARTNERS = ("email;name;organisation\njean.dupont@example.org;Jean Dupont;Ville de Test\n"
            "marie@example.net;Marie Curie;Région Sud\n")


def test_send_dry_run_in_french(project: Path):
    configure_mail(project, MAIL_SETTINGS)
    (project / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    fake_pdf(project)
    command = ["send", "3", "--partners", "partners.csv"]
    result = french_run(*command)
    assert result.exit_code == 0, result.stderr
    golden("send-dry-run", command, result.stdout, result.stderr)
    # The message itself speaks the publication's language, whatever the run's.
    message = (project / "output/mail-03/0001-jean.dupont@example.org.eml").read_text(encoding="utf-8")
    assert "Bonjour Jean Dupont," in message and "Bonne lecture," in message


def test_send_status_in_french(project: Path):
    configure_mail(project, MAIL_SETTINGS)
    (project / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    command = ["send", "3", "--partners", "partners.csv", "--status"]
    result = french_run(*command)
    assert result.exit_code == 0, result.stderr
    golden("send-status", command, result.stdout, result.stderr)


def test_send_usage_errors_in_french(project: Path):
    result = french_run("send", "3", "--send", "--yes", "--status", "--partners", "publication.yaml")
    assert result.exit_code == 2
    assert "Erreur\u202f: choisissez une seule option parmi --send, --test et --status" in result.stderr
