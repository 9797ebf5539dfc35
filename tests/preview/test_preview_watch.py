"""The preview's watcher and what it watches, without HTTP and without a browser."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from conftest import copy_project
from dossier.preview.session import PreviewSession
from dossier.preview.watch import Watcher
from dossier.project import Project


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # a later mtime even on a coarse clock


def test_a_change_calls_back_once_and_a_save_during_the_callback_is_seen(tmp_path: Path):
    watched = tmp_path / "a.txt"
    watched.write_text("1")
    calls: list[str] = []

    def on_change() -> None:
        calls.append(watched.read_text())
        if len(calls) == 2:
            touch(watched, "3")  # saved again while the callback runs

    watcher = Watcher(lambda: [watched], on_change)
    watcher.prime()
    assert calls == ["1"] and not watcher.poll()
    touch(watched, "2")
    assert watcher.poll() and calls == ["1", "2"]
    assert watcher.poll() and calls == ["1", "2", "3"]
    assert not watcher.poll()


def test_files_listed_by_the_callback_are_watched_from_then_on(tmp_path: Path):
    listed = [tmp_path / "a.txt"]
    for path in (tmp_path / "a.txt", tmp_path / "b.txt"):
        path.write_text("x")
    watcher = Watcher(lambda: list(listed), lambda: listed.append(tmp_path / "b.txt"))
    watcher.prime()
    assert not watcher.poll()  # b.txt newly listed: its current state is the starting point
    (tmp_path / "b.txt").unlink()
    assert watcher.poll()  # a deleted file is a change


def test_a_bug_in_the_callback_is_reported_and_watching_goes_on(tmp_path: Path):
    watched = tmp_path / "a.txt"
    watched.write_text("1")
    errors: list[Exception] = []
    watcher = Watcher(lambda: [watched], lambda: 1 / 0, on_error=errors.append)
    watcher.prime()
    touch(watched, "2")
    assert watcher.poll()
    assert [type(e) for e in errors] == [ZeroDivisionError, ZeroDivisionError]


def test_the_session_watches_the_numero_sources_through_errors(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    project = Project(root)
    (root / "images").mkdir()
    Image.new("RGB", (20, 20), "blue").save(root / "images/logo.png")
    publication = root / "publication.yaml"
    publication.write_text(
        publication.read_text(encoding="utf-8").replace(
            "url: https://anmt.univ-amu.fr", "url: https://anmt.univ-amu.fr\nlogo: images/logo.png", 1
        ),
        encoding="utf-8",
    )
    manifest = project.manifest_for("3")
    session = PreviewSession(project, manifest)
    session.rebuild()
    issue_files = set(session.watched_files())
    assert root / "images/logo.png" in issue_files  # an image outside the numéro's folder
    assert {manifest, publication, root / "styles/dossier.css"} <= issue_files
    assert "images/logo.png" in session.images()

    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:", 1), encoding="utf-8")
    session.rebuild()
    assert session.current()[1] is None  # errors in place of the draft…
    assert set(session.watched_files()) == issue_files  # …and the last good draft's files still watched
    assert "images/logo.png" in session.images()

    Image.new("RGB", (20, 20), "red").save(root / "issues/03/new.png")  # not named in the manifest yet
    assert root / "issues/03/new.png" in session.watched_files()
