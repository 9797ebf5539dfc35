"""dossier site on the small fixture numéro: what it writes, what it keeps, what bad input gets."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, run
from dossier.manifest import load_issue
from dossier.project import Project
from dossier.weblinks import initiative_anchors, slugify
from site_support import SITE_URL, set_site_url

ATOM = "{http://www.w3.org/2005/Atom}"


def site_files(folder: Path) -> dict[str, int]:
    """Every file of the site with its inode: a kept file is the same file."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


def one_file(site: Path, pattern: str) -> Path:
    """The one file of the site matching ``pattern`` (content-hashed names)."""
    (found,) = site.glob(pattern)
    return found


def set_date(root: Path, number: int, date: str | None) -> Path:
    """Numéro ``number`` of the mini project (a copy of n°1) with ``date`` (None: no date: line)."""
    manifest = root / f"issues/{number:02d}/issue.yaml"
    text = (REPO / "tests/fixtures/mini/issues/01/issue.yaml").read_text(encoding="utf-8")
    text = text.replace("number: 1", f"number: {number}")
    manifest.parent.mkdir(exist_ok=True)
    manifest.write_text(text.replace("date: 2024-03\n", f"date: {date}\n" if date else ""), encoding="utf-8")
    return manifest


def test_site_writes_archive_edition_pdf_feed(mini_project: Path) -> None:
    set_date(mini_project, 1, "2024-03-12")
    result = run("site")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "output/site"
    site = mini_project / "output" / "site"
    for name in ("index.html", "feed.xml", "recherche.html", "01/index.html", "01/dossier-special-01.pdf",
                 "01/social.jpg", "01/cover-320.webp", "assets/fonts/LICENSE-Inter.txt", ".dossier-site.json"):
        assert (site / name).is_file(), name
    assert not (site / "sitemap.xml").exists(), "a sitemap needs site_url"
    assert (site / "01/dossier-special-01.pdf").read_bytes() == (mini_project / "output/dossier-special-01.pdf").read_bytes()
    with Image.open(site / "01/social.jpg") as social:
        assert social.size == (1200, 630)
    # Shared files carry their content's digest in their names, and the pages name them.
    css, js = one_file(site, "assets/site.*.css"), one_file(site, "assets/edition.*.js")
    font = one_file(site, "assets/fonts/inter-regular.*.woff2")
    for path in (css, js, font, one_file(site, "assets/favicon.*.png")):
        assert path.name.split(".")[-2] == hashlib.sha256(path.read_bytes()).hexdigest()[:10], path.name
    edition = (site / "01/index.html").read_text(encoding="utf-8")
    assert f'href="../assets/{css.name}"' in edition and f'src="../assets/{js.name}"' in edition
    assert '<link rel="icon" type="image/png" href="../assets/favicon.' in edition
    assert '<html lang="fr">' in edition
    assert 'id="une-premiere-initiative"' in edition and 'id="une-seconde-initiative"' in edition
    assert 'href="#une-premiere-initiative"' in edition
    assert 'rel="canonical"' not in edition and "og:image" not in edition
    assert 'href="dossier-special-01.pdf"' in edition and "12\u00a0mars 2024" in edition
    # Every address is relative, and nothing comes from another host.
    for page in (edition, (site / "index.html").read_text(encoding="utf-8")):
        assert "http://" not in page
        assert 'src="https://' not in page and "<link rel=\"stylesheet\" href=\"http" not in page
    archive = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="01/index.html"' in archive and 'href="01/dossier-special-01.pdf"' in archive
    assert 'href="./"' not in archive and 'class="bar-home" href="index.html"' in archive
    assert "Essais" in archive and "12\u00a0mars 2024" in archive
    assert f"url(fonts/{font.name})" in css.read_text(encoding="utf-8") and "//" not in css.read_text().replace("/*", "")
    feed = ET.parse(site / "feed.xml").getroot()
    (entry,) = feed.iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
    assert entry.find(f"{ATOM}link").get("href") == "01/index.html"
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert int(enclosure.get("length")) == (site / "01/dossier-special-01.pdf").stat().st_size
    assert entry.find(f"{ATOM}updated").text == "2024-03-12T00:00:00Z"


def test_unchanged_numero_is_kept_and_an_edit_rebuilds_it(mini_project: Path) -> None:
    assert run("site").exit_code == 0
    site = mini_project / "output" / "site"
    before = site_files(site)
    again = run("site")
    assert again.exit_code == 0
    assert "n°1: unchanged" in again.stderr
    after = site_files(site)
    assert after.keys() == before.keys()
    kept = [name for name in before if name.startswith(("01/", "assets/"))]
    assert all(after[name] == before[name] for name in kept), "unchanged files are the same files (links)"

    # A touch is not a change: the test is on contents, not times.
    manifest = mini_project / "issues/01/issue.yaml"
    os.utime(manifest)
    assert "n°1: unchanged" in run("site").stderr

    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Un texte bref", "Un texte revu"), encoding="utf-8")
    edited = run("site")
    assert "n°1: rebuilt" in edited.stderr
    assert "Un texte revu" in (site / "01/index.html").read_text(encoding="utf-8")
    font = one_file(site, "assets/fonts/inter-regular.*.woff2").relative_to(site).as_posix()
    assert site_files(site)[font] == before[font]


def test_invalid_numero_leaves_the_previous_site_whole(mini_project: Path) -> None:
    assert run("site").exit_code == 0
    site = mini_project / "output" / "site"
    before = {name: (site / name).read_bytes() for name in site_files(site)}
    manifest = mini_project / "issues/01/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    result = run("site")
    assert result.exit_code == 1
    assert "issues/01/issue.yaml:3: subtitel: unknown field: did you mean 'subtitle'?" in result.stderr
    assert "Traceback" not in result.output
    assert {name: (site / name).read_bytes() for name in site_files(site)} == before
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site")] == [], "no staged folder left"


def test_output_folder_that_is_not_a_site_is_refused(mini_project: Path) -> None:
    folder = mini_project / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    result = run("site", "--output", "mine")
    assert result.exit_code == 1
    assert result.stderr.startswith("mine: not a site written by dossier site")
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "à garder"
    assert run("site", "--output", "elsewhere/web").exit_code == 0
    assert (mini_project / "elsewhere/web/01/index.html").is_file()


def test_same_titles_get_distinct_anchors(mini_project: Path) -> None:
    manifest = mini_project / "issues/01/issue.yaml"
    text = manifest.read_text(encoding="utf-8").replace("Une seconde initiative", "Une première initiative !")
    manifest.write_text(text.replace("place: Ville-Exemple", "place: Ville-Exemple\n        highlight: true"), encoding="utf-8")
    issue = load_issue(Project(mini_project), manifest)
    assert initiative_anchors(issue) == [["une-premiere-initiative", "une-premiere-initiative-2"]]
    assert slugify("Œuvres « en donut » : l'économie") == "oeuvres-en-donut-l-economie"
    assert slugify("Bonnes pratiques") == "bonnes-pratiques"
    assert run("site").exit_code == 0
    edition = (mini_project / "output/site/01/index.html").read_text(encoding="utf-8")
    assert 'id="une-premiere-initiative"' in edition and 'id="une-premiere-initiative-2"' in edition


def test_site_url_gives_canonical_open_graph_sitemap_and_relire_links(mini_project: Path) -> None:
    set_site_url(mini_project, "https://example.org/dossiers")  # the trailing slash is added
    second = mini_project / "issues/02"
    second.mkdir()
    text = (mini_project / "issues/01/issue.yaml").read_text(encoding="utf-8").replace("number: 1", "number: 2")
    relire = "date: 2024-05-06\nback_issues:\n  - number: 1\n  - number: 7"
    (second / "issue.yaml").write_text(text.replace("date: 2024-03", relire), encoding="utf-8")
    result = run("site")
    assert result.exit_code == 0, result.output
    site = mini_project / "output/site"
    edition = (site / "02/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}02/">' in edition
    assert f'<meta property="og:image" content="{SITE_URL}02/social.jpg">' in edition
    assert '<meta name="twitter:card" content="summary_large_image">' in edition
    assert '<a href="../01/index.html">Le numéro 1</a>' in edition, "a numéro of the site: a relative link"
    assert "Le numéro 7" in edition and 'href="../07/' not in edition
    archive = (site / "index.html").read_text(encoding="utf-8")
    assert archive.index('href="02/index.html"') < archive.index('href="01/index.html"'), "newest first"
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == [SITE_URL, f"{SITE_URL}02/", f"{SITE_URL}01/"]
    lastmods = [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod")]
    assert lastmods == ["2024-05-06", "2024-05-06", "2024-03"], "a month is a W3C date"
    feed = ET.parse(site / "feed.xml").getroot()
    # Atom needs an instant: n°1, dated to the month only, is not an entry (no day is made up).
    assert [e.find(f"{ATOM}id").text for e in feed.iter(f"{ATOM}entry")] == [f"{SITE_URL}02/"]
    left_out = [line for line in result.stderr.splitlines() if "feed.xml" in line]
    assert len(left_out) == 1 and left_out[0].startswith("n°1"), result.stderr
    # The print links "(Re)lire" to the web edition of a numéro in issues/ too.
    draft = (mini_project / "output/dossier-special-02.html").read_text(encoding="utf-8")
    assert f'<a href="{SITE_URL}01/">Le numéro 1</a>' in draft
    assert "Le numéro 7" in draft and f"{SITE_URL}07/" not in draft
    state = json.loads((site / ".dossier-site.json").read_text(encoding="utf-8"))
    assert sorted(state["editions"]) == ["1", "2"]


def test_publishing_some_numeros(mini_project: Path) -> None:
    second = mini_project / "issues/02"
    second.mkdir()
    text = (mini_project / "issues/01/issue.yaml").read_text(encoding="utf-8").replace("number: 1", "number: 2")
    (second / "issue.yaml").write_text(text, encoding="utf-8")
    assert run("site", "1").exit_code == 0
    site = mini_project / "output/site"
    assert (site / "01/index.html").is_file() and not (site / "02").exists()


@pytest.mark.parametrize("value", ["http://example.org/", "https://example.org/?x=1", "#"])
def test_site_url_must_be_an_https_folder(mini_project: Path, value: str) -> None:
    set_site_url(mini_project, f'"{value}"')
    result = run("site")
    assert result.exit_code == 1
    assert "Web site of the dossiers" in result.stderr and "Traceback" not in result.output  # site_url, in the editor's words


def test_font_subsets_are_cached_and_a_damaged_cache_is_made_again(mini_project: Path) -> None:
    assert run("site").exit_code == 0
    (cache,) = (mini_project / ".dossier/web-fonts").iterdir()
    font = next(cache.glob("inter-regular.*.woff2"))
    good = font.read_bytes()
    shutil.rmtree(mini_project / "output/site")
    assert run("site").exit_code == 0
    site = mini_project / "output/site"
    assert one_file(site, "assets/fonts/inter-regular.*.woff2").stat().st_ino == font.stat().st_ino, "from the cache"

    font.unlink()
    font.write_bytes(b"damaged")  # a new file: the site's copy (a hard link) keeps the good bytes
    shutil.rmtree(site)
    assert run("site").exit_code == 0
    assert font.read_bytes() == good, "a cached folder with a file not of its digest is made again"
    assert one_file(site, "assets/fonts/inter-regular.*.woff2").read_bytes() == good


def test_a_new_version_of_the_tool_rebuilds_every_numero(mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our code or a library (Pillow's WebP, fontTools' subsets) changed: the site's record no longer vouches."""
    from dossier.press import cache

    assert run("site").exit_code == 0
    assert "n°1: unchanged" in run("site").stderr
    monkeypatch.setattr(cache, "tool_digest", lambda: "another dossier")
    assert "n°1: rebuilt" in run("site").stderr
