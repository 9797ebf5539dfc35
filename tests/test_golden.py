"""Golden HTML: a small numéro rendered to exactly the expected markup.

When a template changes on purpose, refresh the files with DOSSIER_UPDATE_GOLDEN=1 and
read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dossier.manifest.load import load_issue
from dossier.press.render import render_html
from dossier.project import Project

GOLDEN = Path(__file__).parent / "golden"

MANIFEST = """\
number: 12
subtitle: "Essai : le rendu"
date: 2021-06
edito: |
  Un *premier* paragraphe.

  Un second, avec un [lien](https://example.org/edito).
back_issues:
  - number: 11
    date: 2021-05-02
    url: https://example.org/11
practices:
  - theme: Tourisme
    colour: "#225577"
    initiatives:
      - title: Une initiative
        place: Arras
        porteurs: [Ville d'Arras, Office de tourisme]
        text: Un texte «entre guillemets» ; et **gras**.
        url: https://example.org/initiative
resources:
  - organisation: OCDE
    title: Une note
    url: https://example.org/note
readings:
  - theme: Autres
    articles:
      - source: Le Monde
        title: Un article
        date: 2021-04-20
pages: []
"""


def section(html: str, element_id: str) -> str:
    match = re.search(rf'<section class="[^"]*" id="{element_id}".*?</section>\n', html, re.S)
    assert match, element_id
    return match.group(0)


def test_golden_html(project: Path):
    (project / "issues/12").mkdir()
    (project / "issues/12/issue.yaml").write_text(MANIFEST, encoding="utf-8")
    root = Project(project)
    html = render_html(root, load_issue(root, root.manifest_for("12")))
    parts = {
        "head.html": html[: html.index("<body")],
        "cover.html": section(html, "couverture"),
        "practices.html": section(html, "bonnes-pratiques"),
        "resources.html": section(html, "ressources"),
        "readings.html": section(html, "analyse"),
        "opening.html": html[html.index('<section class="opening">') : html.index('<section class="part practices"')],
    }
    for name, text in parts.items():
        path = GOLDEN / name
        if os.environ.get("DOSSIER_UPDATE_GOLDEN") == "1":
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from tests/golden/{name}"
