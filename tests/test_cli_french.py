"""Golden CLI output in French: what an editor reads from validate, check and build.

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
