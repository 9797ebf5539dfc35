"""No work when nothing changed: a build is skipped only when every input's CONTENT is the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jinja2

from conftest import run
from dossier.press import is_up_to_date
from dossier.press.cache import CACHE_FILE
from dossier.project import Project

PDF = "output/dossier-special-03.pdf"
DRAFT = "output/dossier-special-03-brouillon.pdf"


def build(*options: str) -> tuple[bool, str]:
    """Run `dossier build 3`; whether it said unchanged, and the path it printed last."""
    result = run("build", "3", *options)
    assert result.exit_code == 0, result.stderr
    return "unchanged" in result.stderr, result.stdout.splitlines()[-1]


def test_an_unchanged_build_prints_nothing_and_force_prints_anyway(project: Path):
    assert build() == (False, PDF)
    printed = (project / PDF).stat().st_mtime_ns
    assert build() == (True, PDF)
    assert (project / PDF).stat().st_mtime_ns == printed
    assert build("--force") == (False, PDF)


def test_an_unchanged_build_imports_no_weasyprint(project: Path):
    assert build() == (False, PDF)
    probe = ("import sys; from dossier.cli import cli; cli.main(['build', '3'], standalone_mode=False); "
             "print('weasyprint' in sys.modules, 'pydantic' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "unchanged" in done.stderr
    assert done.stderr.splitlines()[-1] == "False False"
    assert done.stdout.splitlines()[-1] == PDF


def test_content_counts_not_file_times(project: Path):
    build()
    for path in (project / "issues/03/issue.yaml", project / "styles/fonts/Inter-Bold.otf"):
        os.utime(path, (1, 1))
        assert build() == (True, PDF)
    css = project / "styles/dossier.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert build() == (False, PDF)
    (project / "styles/extra.css").write_text("/* a new layout file */\n", encoding="utf-8")
    assert build() == (False, PDF)
    assert build() == (True, PDF)


def test_outputs_must_still_be_those_recorded(project: Path):
    build()
    pdf = project / PDF
    pdf.write_bytes(pdf.read_bytes() + b"\n% edited")
    assert build() == (False, PDF)
    (project / "output/dossier-special-03.html").unlink()
    assert build() == (False, PDF)
    pdf.unlink()
    assert build() == (False, PDF)


def test_a_corrupt_cache_is_ignored(project: Path):
    build()
    cache = project / CACHE_FILE
    entries = json.loads(cache.read_text(encoding="utf-8"))
    for entry in entries["builds"].values():
        entry["pages"] = "ten"
    cache.write_text(json.dumps(entries), encoding="utf-8")
    assert build() == (False, PDF)
    cache.write_text('{"format": 1, "builds": {', encoding="utf-8")
    assert build() == (False, PDF)
    cache.write_bytes(b"\xff\xfe")
    assert build() == (False, PDF)
    assert build() == (True, PDF)


def test_options_are_part_of_what_is_built(project: Path):
    build()
    assert build("--draft") == (False, DRAFT)  # the marked PDF has its own file, beside the plain one
    assert build("--draft") == (True, DRAFT)  # same day: same date printed
    assert build() == (True, PDF)  # the plain one untouched, still the current one
    assert build("--strict") == (True, PDF)  # the plain build had no warnings
    assert build("--pdf-a") == (False, "output/dossier-special-03-pdfa.pdf")
    assert build() == (True, PDF)


def test_is_up_to_date_is_the_staleness_test_for_send(project: Path):
    root = Project(project)
    assert not is_up_to_date(root, "3", project / PDF)
    build()
    assert is_up_to_date(root, "3", project / PDF)
    assert not is_up_to_date(root, "3", project / "output/other.pdf")
    build("--draft")
    assert not is_up_to_date(root, "3", project / DRAFT)  # a draft is never the PDF to send…
    assert is_up_to_date(root, "3", project / PDF)  # …and the PDF to send is still the current one
    build()
    manifest = project / "issues/03/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Dossier spécial n°3", "n°3"), encoding="utf-8")
    assert not is_up_to_date(root, "3", project / PDF)


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(project: Path):
    (project / ".dossier").write_text("a file where the cache folder should be", encoding="utf-8")
    assert build() == (False, PDF)
    assert build() == (False, PDF)  # nothing remembered: it prints again


def test_a_manifest_outside_the_project_is_cached_by_its_full_path(project: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    manifest = elsewhere / "issue.yaml"
    text = (project / "issues/03/issue.yaml").read_text(encoding="utf-8").replace("\nnumber: 3\n", "\nnumber: 7\n")
    manifest.write_text(text, encoding="utf-8")
    for unchanged in (False, True):
        result = run("build", str(manifest))
        assert result.exit_code == 0, result.stderr
        assert ("unchanged" in result.stderr) is unchanged


def test_a_change_to_dossiers_own_code_prints_again(project: Path, tmp_path: Path, monkeypatch):
    """A constant changed in src/dossier/ (the long-card limit) changes the key: `send` never mails an old PDF."""
    import dossier
    from dossier.press import cache

    package = tmp_path / "dossier"
    subprocess.run(["cp", "-r", str(Path(dossier.__file__).parent), str(package)], check=True)
    monkeypatch.setattr(dossier, "__file__", str(package / "__init__.py"))
    before = cache._code_digest.__wrapped__()
    monkeypatch.setattr(cache, "tool_digest", cache.tool_digest.__wrapped__)  # computed anew at each build
    render = package / "press" / "render.py"
    render.write_text(render.read_text(encoding="utf-8").replace("WIDE_CARD_CHARS = 900", "WIDE_CARD_CHARS = 901"),
                      encoding="utf-8")
    assert cache._code_digest.__wrapped__() != before
    assert build() == (False, PDF)
    assert build() == (True, PDF)
    monkeypatch.setattr(cache, "_code_digest", lambda: "another dossier")
    assert build() == (False, PDF)
    assert build() == (True, PDF)


def test_an_upgraded_library_prints_again(project: Path, monkeypatch):
    from dossier.press import cache

    assert any(name.startswith("pydyf-") for name in cache._installed_distributions())
    assert build() == (False, PDF)
    upgraded = [name.replace("pydyf-", "pydyf-9") for name in cache._installed_distributions()]
    monkeypatch.setattr(cache, "tool_digest", cache.tool_digest.__wrapped__)
    monkeypatch.setattr(cache, "_installed_distributions", lambda: upgraded)
    assert build() == (False, PDF)
    assert build() == (True, PDF)


def test_a_foreign_template_cache_in_the_project_is_never_loaded(project: Path, tmp_path: Path):
    """A `.dossier/templates/*.cache` from a copied folder (a pickle that runs code) is not read at all."""
    marker = tmp_path / "ran"
    folder = project / ".dossier" / "templates"
    folder.mkdir(parents=True)

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    import pickle

    for name in ("__jinja2_0123.cache", "truncated.cache"):
        (folder / name).write_bytes(pickle.dumps(Payload()))
    (folder / "truncated.cache").write_bytes(b"j2\x00\x00")
    # The very names Jinja2's FileSystemBytecodeCache gave the print's templates there.
    templates = project / "templates"
    for template in templates.rglob("*.j2"):
        name = template.relative_to(templates).as_posix()
        key = jinja2.BytecodeCache().get_cache_key(name, os.path.normpath(str(template)))
        (folder / f"__jinja2_{key}.cache").write_bytes(jinja2.bccache.bc_magic + pickle.dumps(Payload()))
    assert build() == (False, PDF)
    assert not marker.exists()
