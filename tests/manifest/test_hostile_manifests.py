"""Hostile and careless manifests: every one gets its one-line messages and exit code 1 from validate,
build and new alike, in well under a second, with nothing written and no traceback.

Each case is ``hostile/NAME.yaml`` with its expected standard error in ``hostile/NAME.expected``
(and in French, ``hostile/NAME.fr.expected``);
cases that cannot be kept as text (control characters) are generated here. The numéro is put in
issues/09 of a copy of the project, beside n°3.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import run

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST = "issues/09/issue.yaml"
PLAIN = "number: 9\nsubtitle: Un numéro d'essai\nedito: Un édito.\n"
GENERATED = {
    "nul_character": PLAIN.replace("d'essai", "d'es\x00sai"),
    "bell_character": PLAIN + "practices: []  # \x07\n",
    "escape_sequence": PLAIN.replace("Un édito.", '"Un édito.\\e[2J"') + "pages: [\"\\e]0;titre\\a\"]\n",
}
EXPECTED_GENERATED = {
    "nul_character": f"{MANIFEST}:2: invisible control character U+0000 in the text: delete it (it often comes from "
                     "a copy-paste)\n",
    "bell_character": f"{MANIFEST}:4: invisible control character U+0007 in the text: delete it (it often comes from "
                      "a copy-paste)\n",
    # Escaped in YAML, the characters reach the message: the terminal sees them escaped, never acted on.
    "escape_sequence": f"{MANIFEST}:4: Back page 1: no page '\\x1b]0;titre\\x07' in publication.yaml: use one of chaire, "
                       "master2\n",
}
EXPECTED_GENERATED_FR = {
    "nul_character": f"{MANIFEST}:2: caractère de contrôle invisible U+0000 dans le texte\u202f: supprimez-le (il vient "
                     "souvent d’un copier-coller)\n",
    "bell_character": f"{MANIFEST}:4: caractère de contrôle invisible U+0007 dans le texte\u202f: supprimez-le (il vient "
                      "souvent d’un copier-coller)\n",
    "escape_sequence": f"{MANIFEST}:4: Page de fin 1\u202f: pas de page «\u202f\\x1b]0;titre\\x07\u202f» dans "
                       "publication.yaml\u202f: utilisez l’une de chaire, master2\n",
}
CASES = sorted([path.stem for path in HOSTILE.glob("*.yaml")] + list(GENERATED))


def put_numero(project: Path, case: str) -> None:
    folder = project / "issues/09"
    folder.mkdir()
    if case in GENERATED:
        (folder / "issue.yaml").write_bytes(GENERATED[case].encode("utf-8"))
        return
    shutil.copy(HOSTILE / f"{case}.yaml", folder / "issue.yaml")
    photo = io.BytesIO()
    Image.new("RGB", (600, 400), (40, 90, 160)).save(photo, "JPEG")
    (folder / "page.jpg").write_text("<!DOCTYPE html><html><body>Page introuvable</body></html>\n", encoding="utf-8")
    (folder / "coupee.jpg").write_bytes(photo.getvalue()[: len(photo.getvalue()) // 2])
    (folder / "vide.png").write_bytes(b"")


def expected(case: str, language: str = "en") -> str:
    if case in EXPECTED_GENERATED:
        return (EXPECTED_GENERATED_FR if language == "fr" else EXPECTED_GENERATED)[case]
    return (HOSTILE / f"{case}{'.fr' if language == 'fr' else ''}.expected").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("command", [["validate", "9"], ["build", "9"], ["new"]])
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_manifest_gets_its_messages_and_nothing_is_written(project: Path, case: str, command: list[str],
                                                                     language: str):
    put_numero(project, case)
    result = run("--lang", language, *command)
    assert result.exit_code == 1
    assert result.stderr == expected(case, language)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not (project / "output").exists() or not list((project / "output").glob("dossier-special-09*"))
    assert not (project / "issues/10").exists()
    assert (project / "issues/03/issue.yaml").is_file()
