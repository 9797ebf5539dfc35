"""The editing view over HTTP, without a browser: who may write, what an upload may be, the three-way merge."""

from __future__ import annotations

import http.client
import io
import json
import urllib.parse
from collections.abc import Iterator

import pytest
from PIL import Image

from conftest import copy_project
from dossier.preview import PreviewServer
from dossier.preview.edit.merge import merge
from dossier.preview.edit.upload import clean_name
from dossier.project import Project


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    project = Project(copy_project(tmp_path_factory.mktemp("edit") / "project"))
    with PreviewServer(project, project.manifest_for("3"), port=0) as preview:
        yield preview


def request(server: PreviewServer, method: str, path: str, body: bytes = b"", headers: dict | None = None,
            token: bool = True, origin: str | None = "same") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    if token:
        sent["X-Dossier-Token"] = server.desk.token
    if origin == "same":
        sent["Origin"] = f"http://127.0.0.1:{server.port}"
    elif origin:
        sent["Origin"] = origin
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    answer = response.status, response.read()
    connection.close()
    return answer


def state(server: PreviewServer) -> dict:
    status, body = request(server, "GET", "/edit/state")
    assert status == 200
    return json.loads(body)


def save(server: PreviewServer, data: dict, headers: dict | None = None, **kwargs) -> tuple[int, bytes]:  # noqa: ANN003
    body = json.dumps({"base": state(server)["digest"], "ops": [], "data": data}).encode()
    return request(server, "POST", "/edit/save", body, {"Content-Type": "application/json", **(headers or {})}, **kwargs)


def test_a_write_from_another_origin_is_refused_even_with_the_token(server: PreviewServer):
    manifest = server.session.manifest
    before = manifest.read_bytes()
    data = state(server)["data"]
    data["subtitle"] = "Écrit par une autre page"
    assert save(server, data, origin="http://evil.example")[0] == 403
    assert save(server, data, origin="http://localhost.evil.example:1234")[0] == 403
    assert save(server, data, origin=None)[0] == 403  # a POST without Origin is no browser's same-origin request
    assert save(server, data, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert save(server, data, token=False)[0] == 403
    status, _ = request(server, "POST", "/edit/save", json.dumps({"data": data}).encode(),
                        {"Content-Type": "text/plain"})  # what a plain HTML form can send
    assert status == 403
    assert manifest.read_bytes() == before
    status, page = request(server, "GET", "/edit", token=False)  # the page needs the token in its link
    assert status == 403 and b"dossier-edit-words" not in page  # not the editing view itself...
    assert f'href="/edit?token={server.desk.token}"'.encode() in page  # ...but one click to this session's
    status, page = request(server, "GET", "/edit?token=from-an-earlier-session", token=False)
    assert status == 403 and server.desk.token.encode() in page
    assert request(server, "GET", "/edit/state", token=False)[0] == 403
    assert request(server, "POST", "/pages", b"", origin="same")[0] == 404  # no other route takes a POST


def test_no_other_site_may_frame_the_preview(server: PreviewServer):
    """Clickjacking: a page elsewhere cannot lay the editing view's buttons under its own."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    for path in ("/", "/edit?token=" + server.desk.token, "/pages"):
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{server.port}"})
        response = connection.getresponse()
        response.read()
        assert response.getheader("Content-Security-Policy") == "frame-ancestors 'self'", path
        assert response.getheader("X-Frame-Options") == "SAMEORIGIN", path
    connection.close()


def jpeg(width: int = 1200, height: int = 800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def upload(server: PreviewServer, name: str, data: bytes) -> tuple[int, dict]:
    status, body = request(server, "POST", "/edit/upload?name=" + urllib.parse.quote(name), data,
                           {"Content-Type": "application/octet-stream"})
    return status, json.loads(body) if body.startswith(b"{") else {}


def test_an_upload_is_checked_and_lands_in_the_numeros_folder_under_a_clean_name(server: PreviewServer):
    folder = server.session.issue_dir
    status, answer = upload(server, "../../../Photo été (2).JPG", jpeg())
    assert status == 200 and answer["name"] == "photo-ete-2.jpg" and answer["width"] == 1200
    assert (folder / "photo-ete-2.jpg").read_bytes() == jpeg()
    assert upload(server, "autre.jpg", jpeg())[1]["name"] == "autre.jpg"
    assert upload(server, "Photo été (2).png", jpeg(600, 400))[1]["name"] == "photo-ete-2-2.jpg"  # typed by content
    assert upload(server, "page.jpg", b"<!DOCTYPE html><html>Not found</html>")[0] == 400
    assert upload(server, "coupee.jpg", jpeg()[:3000])[0] == 400
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert upload(server, "logo.svg", svg)[0] == 400
    huge = io.BytesIO()
    Image.new("1", (12000, 8000)).save(huge, "PNG")  # 96 megapixels in a few kilobytes
    status, answer = upload(server, "bombe.png", huge.getvalue())
    assert status == 400 and "megapixels" in answer["error"]
    assert sorted(path.name for path in folder.iterdir() if path.suffix != ".yaml") == [
        "autre.jpg", "photo-ete-2-2.jpg", "photo-ete-2.jpg"]
    assert not list(folder.parent.glob("*.jpg")) and not list(server.session.root.glob("*.jpg"))


def test_an_oversized_body_is_refused_before_it_is_read(server: PreviewServer):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.putrequest("POST", "/edit/upload?name=x.jpg")
    for name, value in {"Host": f"127.0.0.1:{server.port}", "Origin": f"http://127.0.0.1:{server.port}",
                        "X-Dossier-Token": server.desk.token, "Content-Length": str(40 * 2**20)}.items():
        connection.putheader(name, value)
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


def test_clean_names():
    assert clean_name("Façade de l'Hôtel de Ville.jpeg") == "facade-de-l-hotel-de-ville"
    assert clean_name("..\\..\\windows\\photo.jpg") == "photo"
    assert clean_name("???.jpg") == "photo"


def test_the_merge_keeps_both_sides_changes_unless_they_touch():
    base = "a\nb\nc\nd\ne\n"
    assert merge(base, "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n") == "A\nb\nc\nd\nE\n"
    assert merge(base, "A\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n") is None  # adjacent lines: both shown instead
    assert merge(base, "A\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n") == "A\nb\nc\nd\ne\n"
    assert merge(base, base, "x\n") == "x\n"


def test_after_a_conflict_keeping_ones_version_writes_it_and_keeps_the_other_in_the_history(server: PreviewServer):
    manifest = server.session.manifest
    loaded = state(server)
    data = loaded["data"]
    data["subtitle"] = "Le nôtre"
    theirs = manifest.read_text(encoding="utf-8").replace('subtitle: "', 'subtitle: "Le leur — ', 1)
    manifest.write_text(theirs, encoding="utf-8")
    body = json.dumps({"base": loaded["digest"], "ops": [], "data": data}).encode()
    status, answer = request(server, "POST", "/edit/save", body, {"Content-Type": "application/json"})
    assert status == 409 and manifest.read_text(encoding="utf-8") == theirs
    conflict = json.loads(answer)
    body = json.dumps({"base": conflict["digest"], "text": conflict["ours"]}).encode()
    status, _ = request(server, "POST", "/edit/save", body, {"Content-Type": "application/json"})
    assert status == 200 and manifest.read_text(encoding="utf-8") == conflict["ours"]
    history = server.session.project.root / ".dossier/history/03"
    assert any(path.read_text(encoding="utf-8") == theirs for path in history.glob("*.yaml"))
