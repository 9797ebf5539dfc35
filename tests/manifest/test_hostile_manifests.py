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
from hostile_images import png_bomb, use_bomb

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST = "issues/09/issue.yaml"
PLAIN = "number: 9\nsubtitle: Un numéro d'essai\nedito: Un édito.\n"
GENERATED = {
    "nul_character": PLAIN.replace("d'essai", "d'es\x00sai"),
    "bell_character": PLAIN + "practices: []  # \x07\n",
    "escape_sequence": PLAIN.replace("Un édito.", '"Un édito.\\e[2J"') + "pages: [\"\\e]0;titre\\a\"]\n",
    # Written as they are in the file, not as escapes (tests/manifest/hostile/xml_illegal.yaml has those).
    "noncharacter_in_text": PLAIN.replace("Un édito.", "Un édito\ufffe."),
    "delete_in_text": PLAIN.replace("d'essai", "d'essai\x7f"),
}
EXPECTED_GENERATED = {
    "nul_character": f"{MANIFEST}:2: invisible control character U+0000 in the text: delete it (it often comes from "
                     "a copy-paste)\n",
    "bell_character": f"{MANIFEST}:4: invisible control character U+0007 in the text: delete it (it often comes from "
                      "a copy-paste)\n",
    # Escaped in YAML, the characters never reach a field (nor the terminal: the message names their code).
    "escape_sequence": f"{MANIFEST}:3: Édito: invisible control character U+001B in the text: delete it (it often comes "
                       f"from a copy-paste)\n{MANIFEST}:4: Back page 1: invisible control character U+001B in the text: "
                       "delete it (it often comes from a copy-paste)\n",
    "noncharacter_in_text": f"{MANIFEST}:3: character U+FFFE is not text (a Unicode noncharacter or half of a surrogate "
                            "pair): delete it (it comes from a damaged file or a copy-paste)\n",
    "delete_in_text": f"{MANIFEST}:2: invisible control character U+007F in the text: delete it (it often comes from a "
                      "copy-paste)\n",
}
EXPECTED_GENERATED_FR = {
    "nul_character": f"{MANIFEST}:2: caractère de contrôle invisible U+0000 dans le texte\u202f: supprimez-le (il vient "
                     "souvent d’un copier-coller)\n",
    "bell_character": f"{MANIFEST}:4: caractère de contrôle invisible U+0007 dans le texte\u202f: supprimez-le (il vient "
                      "souvent d’un copier-coller)\n",
    "escape_sequence": f"{MANIFEST}:3: Édito\u202f: caractère de contrôle invisible U+001B dans le texte\u202f: supprimez-le (il "
                       f"vient souvent d’un copier-coller)\n{MANIFEST}:4: Page de fin 1\u202f: caractère de contrôle "
                       "invisible U+001B dans le texte\u202f: supprimez-le (il vient souvent d’un copier-coller)\n",
    "noncharacter_in_text": f"{MANIFEST}:3: le caractère U+FFFE n’est pas du texte (un non-caractère Unicode ou une moitié "
                            "de paire de substitution)\u202f: supprimez-le (il vient d’un fichier abîmé ou d’un "
                            "copier-coller)\n",
    "delete_in_text": f"{MANIFEST}:2: caractère de contrôle invisible U+007F dans le texte\u202f: supprimez-le (il vient "
                      "souvent d’un copier-coller)\n",
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
    put_hostile_images(folder)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{}</svg>'
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "hahahahahahahahahaha">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n' + SVG.format("<text>&b;</text>"))


def put_hostile_images(folder: Path) -> None:
    """The images of hostile/image_bombs.yaml: each would keep a print busy for minutes, or fill the memory."""
    import base64

    (folder / "bombe.svg").write_text(use_bomb(12, 4), encoding="utf-8")
    (folder / "bombe.png").write_bytes(png_bomb(60000, 60000))
    (folder / "immense.png").write_bytes(png_bomb(8000, 7000))
    (folder / "entites.svg").write_text(LAUGHS, encoding="utf-8")
    (folder / "boucle.svg").write_text(SVG.format('<g id="a"><rect width="1" height="1"/><use href="#a"/></g>'),
                                       encoding="utf-8")
    (folder / "lien.svg").write_text(SVG.format('<image href="../03/photo.jpg" width="10" height="10"/>'),
                                     encoding="utf-8")
    inside = base64.b64encode(png_bomb(60000, 60000)).decode()
    (folder / "embarque.svg").write_text(SVG.format(f'<image href="data:image/png;base64,{inside}"/>'),
                                         encoding="utf-8")
    (folder / "logo.svg").write_text(SVG.format('<defs><g id="p"><circle r="2"/></g></defs>'
                                                + "".join(f'<use href="#p" x="{i}"/>' for i in range(50))),
                                     encoding="utf-8")


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


def test_each_image_bomb_is_refused_in_well_under_a_second(tmp_path: Path):
    """Reading a bound, not drawing: the <use> bomb alone kept a print busy for more than 11 minutes."""
    import time

    from dossier.manifest.images import image_problem

    put_hostile_images(tmp_path)
    for image in sorted(tmp_path.iterdir()):
        started = time.perf_counter()
        problem = image_problem(image)
        seconds = time.perf_counter() - started
        assert (problem is None) == (image.name == "logo.svg"), (image.name, problem)
        assert seconds < 5, (image.name, seconds)  # about 0.02 s here: generous for a loaded machine
