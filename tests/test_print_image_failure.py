"""An image that fails to load at print time is named, with its reason and the manifest line that names it.

``validate`` refuses such images first (tests/manifest/hostile/image_bombs.yaml); these are the
images that reach the print anyway: changed after validation, or used by styles/ or templates/.
Before, the message blamed styles/ and gave an empty reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import DossierError
from dossier.press.pdf import print_pdf
from dossier.project import Project
from hostile_images import png_bomb

MANIFEST = """number: 9
subtitle: Un numéro d'essai
edito: Un édito.
practices:
  - theme: Essais
    initiatives:
      - title: Une photo
        porteurs: [Quelqu'un]
        text: Un texte.
        image: "bombe.png"   # replaced after validation
        alt: Une photo
"""


def printed_error(project: Path, html: str) -> str:
    with pytest.raises(DossierError) as caught:
        print_pdf(Project.find(project), html, project / "output" / "draft.html")
    return str(caught.value)


def test_a_manifest_image_that_fails_to_load_gives_its_manifest_line(project: Path) -> None:
    (project / "issues/09").mkdir()
    (project / "issues/09/issue.yaml").write_text(MANIFEST, encoding="utf-8")
    (project / "issues/09/bombe.png").write_bytes(png_bomb(60000, 60000))
    message = printed_error(project, '<p>Essai</p><img src="../issues/09/bombe.png" alt="Une photo">')
    assert message.startswith("issues/09/issue.yaml:10: image 'issues/09/bombe.png' cannot be printed (Image size ")
    assert "pixels" in message and "styles/" not in message and "@font-face" not in message
    assert message.endswith("): export it again, then run 'dossier validate'")


def test_an_image_of_the_stylesheet_that_fails_to_load_is_named_with_its_reason(project: Path) -> None:
    (project / "styles/fond.png").write_bytes(png_bomb(60000, 60000))
    message = printed_error(project, '<p style="background: url(../styles/fond.png)">Essai</p>')
    assert message.startswith("styles/fond.png: this image cannot be printed (Image size ")
    assert "(): " not in message and message.endswith("correct the url() of styles/ or templates/ that uses it")
