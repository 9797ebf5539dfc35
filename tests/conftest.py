"""Shared fixtures: a throw-away copy of the project, and the CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

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
