"""dossier import: a call for contributions (.xlsx) or a Google Forms export (.csv) into a numéro, comments kept."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from conftest import run
from dossier.importer import plan_import
from dossier.manifest import load_issue
from dossier.project import Project
from dossier.tables import TableError

HEADER = ["Thème", "Titre", "Lieu", "Porteur(s)", "Texte", "Lien", "Photo", "Texte alternatif", "Remarques internes"]
ROWS = [
    ["Mobilités", "Une navette à la demande", "Ville-Exemple", "Commune d'Exemple ; Région Fictive",
     "Une navette qui vient quand on l'appelle.", "https://example.org/navette", "navette.jpg", "Une navette blanche", "ok"],
    [None, "Des vélos partagés", "Bourg-Fictif", "Association Exemple\nCollectif Vélo", "Des vélos pour tous.",
     None, None, None, None],
    ["Essais", "Une troisième initiative", None, "Association Essai", "Un texte d'essai.", None, None, None, None],
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Appel"
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def manifest(root: Path) -> Path:
    return root / "issues/01/issue.yaml"


def with_comment(root: Path) -> str:
    path = manifest(root)
    text = path.read_text(encoding="utf-8").replace("practices:\n", "practices:  # the cards, by theme\n")
    path.write_text(text, encoding="utf-8")
    Image.new("RGB", (900, 600), (40, 90, 160)).save(path.parent / "navette.jpg", "JPEG")
    return text


def test_an_xlsx_call_for_contributions_is_shown_then_written_with_comments_kept(mini_project: Path) -> None:
    before = with_comment(mini_project)
    source = write_xlsx(mini_project / "appel.xlsx", [HEADER, *ROWS])
    shown = run("import", "1", "appel.xlsx")
    assert shown.exit_code == 0, shown.output
    assert "appel.xlsx:Appel" in shown.stdout and "Remarques internes" in shown.stdout
    assert "+ Mobilités — Une navette à la demande" in shown.stdout
    assert manifest(mini_project).read_text(encoding="utf-8") == before  # a dry run writes nothing

    written = run("import", "1", source.name, "--write")
    assert written.exit_code == 0, written.output
    text = manifest(mini_project).read_text(encoding="utf-8")
    assert text.startswith(before.split("practices:")[0]) and "practices:  # the cards, by theme\n" in text
    issue = load_issue(Project.find(), manifest(mini_project))
    themes = {theme.theme: theme for theme in issue.practices}
    assert [i.title for i in themes["Essais"].initiatives][-1] == "Une troisième initiative"
    navette, velos = themes["Mobilités"].initiatives
    assert navette.porteurs == ["Commune d’Exemple", "Région Fictive"]  # typeset as the manifest's text is
    assert (navette.place, str(navette.url), navette.alt) == ("Ville-Exemple", "https://example.org/navette",
                                                             "Une navette blanche")
    assert velos.porteurs == ["Association Exemple", "Collectif Vélo"]  # one per line; the theme from the row above


def test_a_google_forms_export_reads_as_it_comes(mini_project: Path) -> None:
    with_comment(mini_project)
    csv = mini_project / "Appel à initiatives (réponses).csv"
    # As Google Forms exports: commas, quoted cells, the timestamp and e-mail columns first, questions as headers.
    csv.write_text(
        'Horodateur,Adresse e-mail,Titre de votre initiative,Lieu (ville),Porteur 1,Porteur 2,Description,Thème\n'
        '2026/11/30 10:12:03 UTC+1,jeanne@example.org,Un jardin partagé,Ville-Exemple,Commune d\'Exemple,,'
        '"Un jardin, des voisins.",Essais\n'
        '2026/11/30 11:40:55 UTC+1,paul@example.org,Une fête de quartier,,Association Exemple,Comité des fêtes,'
        'Une fête.,Essais\n', encoding="utf-8")
    plan = plan_import(Project.find(), "1", csv)
    assert plan.kind == "initiatives"
    assert plan.ignored == ["Horodateur", "Adresse e-mail"]
    assert [e.data["porteurs"] for e in plan.entries] == [["Commune d'Exemple"], ["Association Exemple", "Comité des fêtes"]]
    result = run("import", "1", csv.name, "--write")
    assert result.exit_code == 0, result.output
    titles = [i.title for i in load_issue(Project.find(), manifest(mini_project)).practices[0].initiatives]
    assert titles[-2:] == ["Un jardin partagé", "Une fête de quartier"]


def test_every_bad_cell_is_located_and_nothing_is_written(mini_project: Path) -> None:
    before = with_comment(mini_project)
    rows = [HEADER, ROWS[0],
            ["Essais", "Sans texte", None, "Association Essai", None, "example.org/page", None, None, None],
            ["Essais", "Sans porteur", None, None, "Un texte.", None, "absente.jpg", None, None]]
    write_xlsx(mini_project / "appel.xlsx", rows)
    result = run("import", "1", "appel.xlsx", "--write")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "appel.xlsx:Appel:E3: Text: missing: this field is required",
        "appel.xlsx:Appel:F3: Link: 'example.org/page' is not a web address: write it in full, starting with https://",
        "appel.xlsx:Appel:D4: Porteurs: missing: this field is required",
        "appel.xlsx:Appel:G4: Image: image 'absente.jpg' not found: put the file beside the manifest or correct the name",
        "nothing was written: correct the table and run again",
    ]
    assert manifest(mini_project).read_text(encoding="utf-8") == before


def test_a_table_without_the_needed_columns_says_which(mini_project: Path) -> None:
    write_xlsx(mini_project / "liste.xlsx", [["Titre", "Commentaire"], ["Un titre", "x"]])
    with pytest.raises(TableError, match="cannot tell initiatives, resources or readings apart"):
        plan_import(Project.find(), "1", mini_project / "liste.xlsx")
    plan = plan_import(Project.find(), "1", mini_project / "liste.xlsx", kind="resources",
                       mapping={"Commentaire": "organisation"})
    assert [e.data for e in plan.entries] == [{"organisation": "x", "title": "Un titre"}]
