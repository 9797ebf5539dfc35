"""dossier preview's /mail and /web: the newsletter and the web edition, live, through the HTTP handler."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from dossier.preview.session import PreviewSession
from dossier.project import Project

sys.path.insert(0, str(REPO / "tests" / "preview"))
from test_preview_http import get, make_server  # noqa: E402 - the preview's fake-request helpers


@pytest.fixture
def session(tmp_path: Path) -> Iterator[PreviewSession]:
    project = Project(copy_project(tmp_path / "project"))
    session = PreviewSession(project, project.manifest_for("3"))
    session.rebuild()
    yield session
    session.stop()


def test_mail_and_web_follow_the_draft(session: PreviewSession) -> None:
    server = make_server(session)
    status, headers, body = get(server, "/mail")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    mail = body.decode()
    assert "Au sommaire" in mail and 'class="banner" style="' in mail, "the newsletter, styles inlined"
    assert 'id="dossier-preview-script" data-mode="mail"' in mail
    status, _, body = get(server, "/web")
    web = body.decode()
    assert status == 200 and web.count('<article class="card"') == 30
    assert 'data-mode="web"' in web and '<link rel="stylesheet" href="../assets/site.css">' in web
    status, headers, css = get(server, "/assets/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert b"url(/styles/fonts/Inter-Regular.otf)" in css
    assert get(server, "/styles/fonts/Inter-Regular.otf")[0] == 200
    assert get(server, "/assets/edition.js")[0] == 200

    manifest = session.manifest
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Plateforme numérique d'entraide",
                                                                     "Plateforme d'entraide revue"), encoding="utf-8")
    session.rebuild()
    assert "Plateforme d&#39;entraide revue" in get(server, "/web")[2].decode()
    assert "Plateforme d'entraide revue" in get(server, "/mail")[2].decode()

    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    session.rebuild()
    for path in ("/mail", "/web"):
        assert "subtitel: unknown field" in get(server, path)[2].decode()
