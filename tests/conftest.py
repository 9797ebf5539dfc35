"""Shared fixtures: a throw-away copy of the project, the CLI runner, and English by default.

The tests assert English messages (the source strings): every test runs with DOSSIER_LANG=en
and English installed, and a test that checks French says so (``run("--lang", "fr", …)``,
the ``french`` fixture, or DOSSIER_LANG=fr for a subprocess).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dossier import i18n
from dossier.cli import cli

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("publication.yaml", "issues", "templates", "styles", "schema")


def copy_project(target: Path) -> Path:
    """Copy the publication's files (not the tool) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages in English (the source strings) unless a test asks for French."""
    monkeypatch.setenv("DOSSIER_LANG", "en")
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in French, for this test's CLI runs and library calls."""
    monkeypatch.setenv("DOSSIER_LANG", "fr")
    i18n.use("fr")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the project as the current folder, so tests may edit it freely."""
    with as_current_folder(copy_project(tmp_path / "project")) as root:
        yield root


@pytest.fixture
def mini_project(tmp_path: Path) -> Iterator[Path]:
    """A small fictional numéro (tests/fixtures/mini) with the real templates and styles, as the current folder.

    For tests of one rule: no back pages, four short pages, printed in about a third of the sample's time.
    """
    root = tmp_path / "mini"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", root)
    for name in ("templates", "styles"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    with as_current_folder(root):
        yield root


@contextmanager
def as_current_folder(root: Path) -> Iterator[Path]:
    cwd = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(cwd)


def run(*args: str) -> Result:
    """Run the CLI in the current folder; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def complete_sample(root: Path) -> None:
    """Give the sample what its seed lacks and `dossier check` asks for: a date (fictional) and the three back-page
    actions' addresses (the publisher's site, which the online check's test points at its own server). Tests of
    other findings start from there."""
    manifest = root / "issues/03/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("back_issues:", "date: 2020-05-06\nback_issues:", 1),
                        encoding="utf-8")
    publication = root / "publication.yaml"
    lines = publication.read_text(encoding="utf-8").splitlines()
    for number, line in reversed(list(enumerate(lines))):
        if line.lstrip().removeprefix("- ").startswith("label: "):
            indent = len(line) - len(line.lstrip()) + (2 if line.lstrip().startswith("- ") else 0)
            lines.insert(number + 1, " " * indent + "url: https://anmt.univ-amu.fr")
    publication.write_text("\n".join(lines) + "\n", encoding="utf-8")
