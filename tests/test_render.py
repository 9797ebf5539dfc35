"""Rendering: escaping, template errors, images, the URL fetcher's limits, warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import run
from dossier.manifest.load import load_issue
from dossier.manifest.typography import french, render_markdown
from dossier.press.render import render_html
from dossier.project import Project


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def draft(project: Path) -> str:
    root = Project(project)
    return render_html(root, load_issue(root, root.manifest_for("3")))


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("Porteur: Ville", "Porteur\u202f: Ville"),
        ("Pour qui ?", "Pour qui\u202f?"),
        ("modèle «en donut» qui", "modèle «\u202fen donut\u202f» qui"),
        ("« label »", "«\u202flabel\u202f»"),
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("10:30", "10:30"),
        ("dans un rayon de 200 kms", "dans un rayon de 200\u00a0kms"),
        ("+33(0)4 13 94 21 73", "+33(0)4\u00a013\u00a094\u00a021\u00a073"),
        ("Banco Ciudad - Buenos Aires", "Banco Ciudad\u00a0– Buenos Aires"),  # a typed hyphen: the en dash
        ("pour les TPE - PME", "pour les TPE\u00a0– PME"),
        ("prioritaires - 20 avril 2020", "prioritaires\u00a0– 20\u00a0avril\u00a02020"),
        ("une incise — la voici — ici", "une incise\u00a0— la voici\u00a0— ici"),  # an em dash stays
        ("Aix-Marseille, peut-être", "Aix-Marseille, peut-être"),  # a compound's hyphen stays
    ],
)

def test_french_spacing(text: str, typeset: str):
    assert french(text) == typeset


def test_markdown_allows_emphasis_bold_links_and_nothing_else():
    html = render_markdown("Un *mot*, un **gras**, un [lien](https://example.org).\n\n# pas un titre <b>x</b>")
    assert html == (
        '<p>Un <em>mot</em>, un <strong>gras</strong>, un <a href="https://example.org">lien</a>.</p>\n'
        "<p># pas un titre &lt;b&gt;x&lt;/b&gt;</p>"
    )


def test_manifest_text_cannot_inject_html(project: Path):
    manifest = project / "issues/03/issue.yaml"
    edit(manifest, "title: Aide financière", "title: <script>alert(1)</script> Aide financière")
    edit(manifest, "Afin de soutenir", "<img src=x onerror=alert(1)> Afin de soutenir")
    html = draft(project)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Aide financière" in html
    assert "&lt;img src=x onerror=alert(1)&gt; Afin de soutenir" in html


def test_undefined_name_in_a_template_is_located(project: Path):
    edit(project / "templates/cover.html.j2", "{{ issue.subtitle }}", "{{ issue.subtitel }}")
    line = next(n for n, text in enumerate((project / "templates/cover.html.j2").read_text().splitlines(), 1)
                if "issue.subtitel" in text)
    result = run("build", "3")
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"templates/cover\.html\.j2:{line}: template error: '.*Issue.*' has no attribute 'subtitel'\n", errors_of(result)
    ), errors_of(result)
    assert not (project / "output").exists()


def test_template_syntax_error_is_located(project: Path):
    edit(project / "templates/resources.html.j2", "{% endfor %}", "{% endfro %}")
    result = run("build", "3")
    assert result.exit_code == 1
    assert errors_of(result).startswith(
        "templates/resources.html.j2:13: template syntax error: Encountered unknown tag 'endfro'.")


def test_missing_font_is_an_error(project: Path):
    (project / "styles/fonts/Inter-Bold.otf").unlink()
    result = run("build", "3")
    assert result.exit_code == 1
    assert errors_of(result) == (
        "styles/fonts/Inter-Bold.otf: file not found: restore it, or correct the reference to it in templates/ or styles/\n"
    )


def test_templates_cannot_reach_outside_the_project(project: Path):
    edit(
        project / "templates/dossier.html.j2",
        "<body",
        '<a rel="attachment" href="file:///etc/passwd">x</a><img src="http://127.0.0.1:9/x.png">'
        '<img src="file:///etc/hostname.png"><a rel="attachment" href="../../../../../../../../etc/passwd">y</a><body',
    )
    result = run("build", "3")
    assert result.exit_code == 1
    assert sorted(errors_of(result).splitlines()) == [
        "etc/passwd: file not found: restore it, or correct the reference to it in templates/ or styles/",
        "file:///etc/hostname.png: refused: only files inside the project folder (or data: URLs) can be used",
        "file:///etc/passwd: refused: only files inside the project folder (or data: URLs) can be used",
        "http://127.0.0.1:9/x.png: refused: only files inside the project folder (or data: URLs) can be used",
    ]
    assert not (project / "output/dossier-special-03.pdf").exists()


def test_warnings_are_shown_and_strict_makes_them_errors(project: Path):
    with (project / "styles/dossier.css").open("a", encoding="utf-8") as css:
        css.write("\n.card { colour: red; }\n")
    result = run("build", "3")
    assert result.exit_code == 0
    assert "warning: Ignored `colour: red` at " in result.stderr
    strict = run("build", "3", "--strict")
    assert strict.exit_code == 1
    assert "WeasyPrint: Ignored `colour: red` at " in strict.stderr
    assert strict.stderr.rstrip().endswith("(--strict makes warnings errors)")


def make_photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    image = Image.new("RGB", size, colour)
    # Stripes so the picture is not flat: a cropping or scaling bug shows in the render.
    for x in range(0, size[0], 40):
        for y in range(size[1]):
            image.putpixel((x, y), (255, 255, 255))
    image.save(path, quality=85)


def test_initiatives_with_images(project: Path):
    manifest = project / "issues/03/issue.yaml"
    make_photo(project / "issues/03/montreal.jpg", (900, 600), (30, 90, 160))
    make_photo(project / "issues/03/amsterdam.png", (600, 900), (160, 60, 30))  # portrait: cropped to 3:2
    edit(
        manifest,
        "        place: Montréal\n",
        "        place: Montréal\n        image: montreal.jpg\n        alt: Rue commerçante\n",
    )
    edit(
        manifest, "        place: Amsterdam\n", "        place: Amsterdam\n        image: amsterdam.png\n        alt: Un canal\n"
    )
    Image.new("RGB", (400, 120), (200, 200, 255)).save(project / "issues/03/ocde.png")
    edit(manifest, "  - organisation: OCDE\n", "  - organisation: OCDE\n    logo: ocde.png\n")
    result = run("build", "3")
    assert result.exit_code == 0, result.output
    html = (project / "output/dossier-special-03.html").read_text(encoding="utf-8")
    assert '<img class="tile-logo" src="../issues/03/ocde.png" alt="OCDE">' in html
    assert '<img class="card-image" src="../issues/03/montreal.jpg" alt="Rue commerçante">' in html
    assert '<img class="card-image" src="../issues/03/amsterdam.png" alt="Un canal">' in html
    reader = PdfReader(project / "output/dossier-special-03.pdf")
    third = reader.pages[2]
    images = set()  # pages may share one resource dictionary: count each image once
    for page in reader.pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            if ref.get_object()["/Subtype"] == "/Image":
                images.add(ref.idnum)
    assert len(images) == 3  # two photos and the logo
    # Both cards still fit on their page with their text.
    text = third.extract_text()
    assert "Ville de Montréal" in text and "Ville d’Amsterdam" in text


def errors_of(result) -> str:  # noqa: ANN001 - click's Result
    """Standard error without the content warnings shown first (the sample's actions without url)."""
    return "".join(line for line in result.stderr.splitlines(True) if not line.startswith("warning: publication.yaml:"))
