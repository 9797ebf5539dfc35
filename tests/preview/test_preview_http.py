"""The preview's HTTP handler, driven with a fake request (no socket), as MkDocs tests its server.

A real session of a copy of the sample numéro stands behind it: the draft is really
loaded and rendered, its pages really printed (once, for the whole module).
"""

from __future__ import annotations

import email
import io
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from conftest import copy_project
from dossier.preview.http import PreviewHttpServer, host_allowed
from dossier.preview.pages import page_url
from dossier.preview.session import PreviewSession
from dossier.preview.site import PreviewSite
from dossier.project import Project


class FakeRequest:
    """What the handler reads from and writes to in place of a socket."""

    def __init__(self, text: str) -> None:
        self.rfile = io.BytesIO(text.encode())
        self.sent = io.BytesIO()

    def makefile(self, *args: object, **kwargs: object) -> io.BytesIO:
        return self.rfile

    def sendall(self, data: bytes) -> None:
        self.sent.write(data)

    def settimeout(self, timeout: float | None) -> None:
        pass


def make_server(session: PreviewSession, host: str = "127.0.0.1") -> PreviewHttpServer:
    with mock.patch("socket.socket"):  # neither bound nor listening: requests come from FakeRequest
        return PreviewHttpServer(PreviewSite(session), host, 0, bind_and_activate=False)


def get(
    server: PreviewHttpServer, path: str, host: str = "127.0.0.1:8000", headers: dict[str, str] | None = None
) -> tuple[int, email.message.Message, bytes]:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    request = FakeRequest("\r\n".join(lines) + "\r\n\r\n")
    server.RequestHandlerClass(request, ("127.0.0.1", 0), server)
    head, _, body = request.sent.getvalue().partition(b"\r\n\r\n")
    status_line, _, header_text = head.partition(b"\r\n")
    return int(status_line.split()[1]), email.message_from_bytes(header_text), body


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("http") / "project")


@pytest.fixture(scope="module")
def session(root: Path) -> Iterator[PreviewSession]:
    project = Project(root)
    session = PreviewSession(project, project.manifest_for("3"))
    session.rebuild()
    session.print_pending()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def server(session: PreviewSession) -> PreviewHttpServer:
    return make_server(session)


def test_a_foreign_host_is_refused(server: PreviewHttpServer):
    assert get(server, "/", host="attacker.example")[0] == 403
    assert get(server, "/", host="attacker.example:8000")[0] == 403
    assert get(server, "/", host="localhost:8000")[0] == 200
    assert get(server, "/", host="[::1]:8000")[0] == 200


def test_host_names_are_checked_on_loopback_only():
    assert not host_allowed("127.0.0.1", None)
    assert not host_allowed("127.0.0.1", "127.0.0.1.example.org")
    assert host_allowed("0.0.0.0", "printer.example.org")  # opened to the network on purpose


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/styles/%2e%2e/publication.yaml",
        "/styles/.%2e/.%2e/.%2e/etc/passwd",
        "/issues/03/issue.yaml",
        "/publication.yaml",
        "/templates/dossier.html.j2",
        "/styles//dossier.css",
        "/issues/03/.hidden.png",
    ],
)
def test_traversal_and_the_manifest_are_not_found(server: PreviewHttpServer, path: str):
    status, _, body = get(server, path)
    assert status == 404
    assert b"root:" not in body and b"number:" not in body


def test_the_draft_is_served_at_the_root_with_the_client(server: PreviewHttpServer, session: PreviewSession):
    status, headers, body = get(server, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    text = body.decode()
    assert 'class="cover-theme"' in text
    assert f'data-draft="{session.current()[0]}"' in text
    # The client comes from the package's static files, just before </body>.
    assert text.index('<template id="dossier-preview-panel">') < text.index("new EventSource") < text.rindex("</body>")


def test_an_asset_is_typed_and_revalidated(server: PreviewHttpServer):
    status, headers, body = get(server, "/styles/dossier.css")
    assert status == 200 and b"@page" in body
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert get(server, "/styles/dossier.css", headers={"If-None-Match": headers["ETag"]})[0] == 304


def test_the_printed_pages_are_served_by_their_draft(server: PreviewHttpServer, session: PreviewSession):
    draft = session.current()[0]
    status, headers, body = get(server, page_url(draft, 1))
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert body.startswith(b"\xff\xd8\xff")
    assert "immutable" in headers["Cache-Control"]
    assert get(server, page_url(draft, 999))[0] == 404
    assert get(server, page_url("0000-1", 1))[0] == 404  # another draft's


def test_the_pages_view_names_the_numero(server: PreviewHttpServer):
    status, _, body = get(server, "/pages")
    assert status == 200
    assert b"Printed pages \xc2\xb7 issues/03/issue.yaml" in body
    assert b'data-mode="pages"' in body


def test_errors_are_shown_in_place_of_the_draft(tmp_path: Path):
    project = Project(copy_project(tmp_path / "project"))
    manifest = project.manifest_for("3")
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:", 1), encoding="utf-8")
    session = PreviewSession(project, manifest)
    session.rebuild()
    status, _, body = get(make_server(session), "/")
    assert status == 200
    assert b'<ul class="problems">' in body and b"did you mean &#x27;subtitle&#x27;?" in body
    assert b'data-mode="error"' in body


@pytest.mark.parametrize("host", ["[::1", "[bad]:80", "\u00e9\u00e9.example"])
def test_a_malformed_host_header_is_refused_without_a_traceback(server: PreviewHttpServer, host: str):
    assert get(server, "/", host=host)[0] == 403


def test_a_huge_page_number_is_not_found(server: PreviewHttpServer, session: PreviewSession):
    assert get(server, f"/_preview/page-0-0-{'9' * 5000}.jpg")[0] == 404
    assert get(server, f"/{'a' * 300}/{'b' * 5000}.png")[0] == 404
    assert get(server, f"/_preview/page-{'f' * 5000}-1-1.jpg")[0] == 404


class ClosedByTheBrowser(FakeRequest):
    """A connection the browser closed while the answer was being written."""

    def sendall(self, data: bytes) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def shutdown(self, how: int) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_connection_closed_by_the_browser_is_no_error(server: PreviewHttpServer, capsys: pytest.CaptureFixture,
                                                         caplog: pytest.LogCaptureFixture):
    request = ClosedByTheBrowser("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    server.process_request_thread(request, ("127.0.0.1", 0))  # as each request thread runs it
    assert capsys.readouterr().err == ""
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "WARNING"}]
