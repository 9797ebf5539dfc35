"""dossier preview, driven by a real headless browser (Debian's chromium through Playwright).

Each test serves a throw-away copy of the project on a free loopback port, edits its
files on disk and watches the open tab follow without ever reloading it by hand.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from browser import chromium_browser  # noqa: F401 - the browser fixture
from conftest import REPO, copy_project
from dossier.errors import DossierError
from dossier.preview import PreviewServer
from dossier.project import Project

SUBTITLE = "Territoires, gestion de crise & résilience | COVID-19"
SUBTITLE_LINE = f'subtitle: "{SUBTITLE}"'  # the subtitle is in a comment too
# Upper bounds only, generous so that a loaded machine passes too: on an idle one a change
# shows in well under a second and a print takes about 3 s.
TIMEOUT_MS = 60_000
PRINT_TIMEOUT_MS = 120_000
TIMEOUT_S = TIMEOUT_MS / 1000
expect.set_options(timeout=TIMEOUT_MS)
SCREENSHOT = REPO / "docs" / "preview.png"




@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def reports() -> list[str]:
    return []


@pytest.fixture
def server(root: Path, reports: list[str]) -> Iterator[PreviewServer]:
    project = Project(root)
    preview = PreviewServer(project, project.manifest_for("3"), port=0, report=reports.append, poll_seconds=0.1)
    preview.start()
    yield preview
    preview.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    """One server for the tests that only read from it."""
    project = Project(copy_project(tmp_path_factory.mktemp("shared") / "project"))
    with PreviewServer(project, project.manifest_for("3"), port=0) as preview:
        yield preview


@pytest.fixture
def page(browser: Browser, server: PreviewServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=server.url)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def wait_for_state(server: PreviewServer, wanted: Callable[[dict[str, Any]], bool], timeout: float = 120) -> dict:
    """The server's state (what browsers are sent) once ``wanted`` holds."""
    seen, state = server.wait_for_change(-1, timeout)
    while state is None or not wanted(state):
        seen, newer = server.wait_for_change(seen, timeout)
        if newer is None:
            raise AssertionError(f"state never became as wanted; last: {state}")
        state = newer
    return state


def panel(page: Page):  # noqa: ANN201 - a Playwright Locator
    # Playwright's CSS selectors pierce the panel's open shadow root.
    return page.locator("dossier-preview aside")


def test_a_saved_change_shows_without_reloading_by_hand(page: Page, root: Path):
    page.goto("/")
    expect(page.locator("h1.cover-theme")).to_have_text(SUBTITLE)
    first_draft = page.locator("dossier-preview").get_attribute("data-draft")

    edit(root / "issues/03/issue.yaml", SUBTITLE_LINE, "subtitle: Territoires en mouvement")

    expect(page.locator("h1.cover-theme")).to_have_text("Territoires en mouvement", timeout=TIMEOUT_MS)
    expect(page.locator("dossier-preview")).not_to_have_attribute("data-draft", first_draft or "")


def test_the_reloaded_draft_keeps_its_scroll_position(page: Page, root: Path):
    page.goto("/")
    page.locator(".opening").first.evaluate("el => window.scrollTo(0, el.offsetTop)")
    scrolled = page.evaluate("scrollY")
    assert scrolled > 500

    edit(root / "issues/03/issue.yaml", SUBTITLE_LINE, "subtitle: Territoires en mouvement")

    expect(page.locator("h1.cover-theme")).to_have_text("Territoires en mouvement", timeout=TIMEOUT_MS)
    # The reader stays on what they were reading: the cover above may have changed height (a shorter
    # subtitle, one line less on the column cover), and the browser keeps the opening at the top.
    page.wait_for_function("() => Math.abs(scrollY - document.querySelector('.opening').offsetTop) < 2 && scrollY > 500",
                           timeout=TIMEOUT_MS)


def test_a_style_change_reloads_the_draft_too(page: Page, root: Path):
    page.goto("/")
    cover = page.locator("h1.cover-theme")
    expect(cover).to_be_visible()
    with (root / "styles/dossier.css").open("a", encoding="utf-8") as css:
        css.write("\n@media screen { .cover-theme { color: rgb(1, 2, 3); } }\n")

    expect(cover).to_have_css("color", "rgb(1, 2, 3)", timeout=TIMEOUT_MS)


def test_errors_replace_the_draft_and_the_next_good_save_brings_it_back(page: Page, root: Path):
    manifest = root / "issues/03/issue.yaml"
    page.goto("/")
    expect(page.locator("h1.cover-theme")).to_have_text(SUBTITLE)
    line = line_of(manifest, "subtitle:")

    edit(manifest, "subtitle:", "subtitel:")

    problems = page.locator("ul.problems")
    expect(problems).to_contain_text(f"issues/03/issue.yaml:{line}", timeout=TIMEOUT_MS)
    expect(problems).to_contain_text("did you mean 'subtitle'?")
    expect(page.locator("h1.cover-theme")).to_have_count(0)

    edit(manifest, "subtitel:", "subtitle:")

    expect(page.locator("h1.cover-theme")).to_have_text(SUBTITLE, timeout=TIMEOUT_MS)
    expect(problems).to_have_count(0)


def test_a_yaml_syntax_error_is_shown_with_its_line(page: Page, root: Path):
    manifest = root / "issues/03/issue.yaml"
    page.goto("/")
    line = line_of(manifest, "subtitle:")

    edit(manifest, SUBTITLE_LINE, SUBTITLE_LINE[:-1])

    problems = page.locator("ul.problems")
    expect(problems).to_contain_text("issues/03/issue.yaml:", timeout=TIMEOUT_MS)
    expect(problems).to_contain_text("a quoted text is not closed")
    shown_line = int(problems.locator("code").first.inner_text().rsplit(":", 1)[1])
    assert shown_line == line  # the line where the quote opens, not where YAML noticed it


def test_printed_pages_follow_the_draft_with_their_count(page: Page, root: Path):
    page.goto("/")
    pages_panel = panel(page)
    expect(pages_panel).to_have_attribute("data-state", "ready", timeout=PRINT_TIMEOUT_MS)
    images = pages_panel.locator("img")
    count = images.count()
    assert count > 1
    expect(pages_panel.locator(".count")).to_have_text(f"{count} pages")
    expect(pages_panel.locator(".status")).to_contain_text("Printed in")

    # The images are the printed A4 pages.
    response = page.request.get(images.first.get_attribute("src") or "")
    assert response.headers["content-type"] == "image/jpeg"
    assert response.body().startswith(b"\xff\xd8\xff")
    width, height = page.evaluate(
        "img => [img.naturalWidth, img.naturalHeight]", images.first.element_handle()
    )
    assert abs(height / width - 297 / 210) < 0.01

    edit(root / "issues/03/issue.yaml", SUBTITLE_LINE, "subtitle: Territoires en mouvement")

    expect(page.locator("h1.cover-theme")).to_have_text("Territoires en mouvement", timeout=TIMEOUT_MS)
    new_draft = page.locator("dossier-preview").get_attribute("data-draft") or ""
    expect(pages_panel).to_have_attribute("data-pages-draft", new_draft, timeout=PRINT_TIMEOUT_MS)
    expect(pages_panel).to_have_attribute("data-state", "ready")


def test_a_newer_change_supersedes_a_stale_print(page: Page, root: Path, server: PreviewServer):
    manifest = root / "issues/03/issue.yaml"
    published: list[str] = []  # drafts whose pages the server ever sent to browsers
    done = threading.Event()

    def listen() -> None:
        seen = -1
        while not done.is_set():
            seen, state = server.wait_for_change(seen, 0.2)
            if state is not None and state["pages"]:
                published.append(state["pages"]["draft"])

    listener = threading.Thread(target=listen)
    listener.start()
    try:
        start = wait_for_state(server, lambda state: True)
        edit(manifest, SUBTITLE_LINE, "subtitle: Premier essai")
        first = wait_for_state(server, lambda state: state["draft"] != start["draft"])
        assert first["printing"]
        # Saved again while the first change is still printing (a print takes seconds).
        edit(manifest, "Premier essai", "Second essai")
        second = wait_for_state(server, lambda state: state["draft"] != first["draft"])

        page.goto("/")
        expect(page.locator("h1.cover-theme")).to_have_text("Second essai")
        expect(panel(page)).to_have_attribute("data-pages-draft", second["draft"], timeout=PRINT_TIMEOUT_MS)
    finally:
        done.set()
        listener.join()
    assert first["draft"] not in published
    assert published[-1] == second["draft"]


def test_the_pages_view_shows_the_pages_full_size(page: Page):
    page.goto("/pages")
    pages_panel = panel(page)
    expect(pages_panel).to_have_attribute("data-state", "ready", timeout=PRINT_TIMEOUT_MS)
    expect(pages_panel.locator("img").first).to_be_visible()
    assert pages_panel.locator("img").first.bounding_box()["width"] > 480  # type: ignore[index]
    expect(pages_panel.locator("a.other")).to_have_attribute("href", "/")


def raw_get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (a browser would normalise the dots)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT_S)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{server.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/styles/../../../etc/passwd",
        "/styles/%2e%2e/publication.yaml",
        "/publication.yaml",
        "/issues/03/issue.yaml",
        "/templates/dossier.html.j2",
        "/styles//dossier.css",
        "/src/dossier/preview.py",
    ],
)
def test_paths_outside_the_draft_assets_are_refused(shared_server: PreviewServer, path: str):
    status, body = raw_get(shared_server, path)
    assert status == 404
    assert b"root:" not in body and b"number:" not in body


def test_the_browser_cannot_climb_out_either(browser: Browser, shared_server: PreviewServer):
    page = browser.new_page(base_url=shared_server.url)
    for path in ("/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd"):
        response = page.goto(path)
        assert response is not None and response.status == 404
        expect(page.locator("body")).not_to_contain_text("root:")


def test_a_foreign_host_name_is_refused(shared_server: PreviewServer):
    assert raw_get(shared_server, "/", host="attacker.example")[0] == 403
    assert raw_get(shared_server, "/", host=f"localhost:{shared_server.port}")[0] == 200


def test_served_assets_are_typed_and_revalidated(shared_server: PreviewServer):
    status, body = raw_get(shared_server, "/styles/dossier.css")
    assert status == 200 and b"@page" in body
    connection = http.client.HTTPConnection("127.0.0.1", shared_server.port, timeout=TIMEOUT_S)
    connection.request("GET", "/styles/fonts/Inter-Regular.otf")
    response = connection.getresponse()
    response.read()
    assert response.status == 200 and response.getheader("Content-Type") == "font/otf"
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", shared_server.port, timeout=TIMEOUT_S)
    connection.request("GET", "/styles/fonts/Inter-Regular.otf", headers={"If-None-Match": response.getheader("ETag")})
    assert connection.getresponse().status == 304  # fonts are not sent again on every reload
    connection.close()


def test_the_numero_images_are_served_and_watched(page: Page, root: Path, server: PreviewServer):
    Image.new("RGB", (40, 30), "red").save(root / "issues/03/photo.png")
    (root / "images").mkdir()
    Image.new("RGB", (20, 20), "blue").save(root / "images/logo.png")
    Image.new("RGB", (20, 20), "green").save(root / "images/unused.png")
    os.symlink("/etc/passwd", root / "issues/03/escape.png")
    edit(root / "publication.yaml", "url: https://anmt.univ-amu.fr", "url: https://anmt.univ-amu.fr\nlogo: images/logo.png")
    edit(root / "issues/03/issue.yaml", "        place: Montréal\n", "        place: Montréal\n        image: photo.png\n")

    page.goto("/")
    card_image = page.locator("img.card-image").first
    expect(card_image).to_have_js_property("naturalWidth", 40, timeout=TIMEOUT_MS)
    expect(page.locator("img.cover-logo")).to_have_js_property("naturalWidth", 20)
    assert raw_get(server, "/images/unused.png")[0] == 404  # not used by the numéro
    assert raw_get(server, "/issues/03/escape.png")[0] == 404  # a symlink out of the project

    # Replacing an image (same name) is a change too.
    Image.new("RGB", (60, 30), "red").save(root / "issues/03/photo.png")
    expect(page.locator("img.card-image").first).to_have_js_property("naturalWidth", 60, timeout=TIMEOUT_MS)


def test_stop_joins_every_thread_and_the_tab_notices(page: Page, server: PreviewServer):
    page.goto("/")
    live = page.locator("dossier-preview .live")
    expect(live).to_have_text("live")

    ours = f"dossier-preview-{server.port}-"
    assert [t.name for t in threading.enumerate() if t.name.startswith(ours)]

    server.stop()

    assert not [t.name for t in threading.enumerate() if t.name.startswith(ours)]
    expect(live).to_have_text("disconnected", timeout=TIMEOUT_MS)


def test_a_port_in_use_is_a_one_line_error(root: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        project = Project(root)
        with pytest.raises(DossierError) as raised:
            PreviewServer(project, project.manifest_for("3"), port=port)
    assert raised.value.format_message() == (
        f"127.0.0.1:{port}: port already in use: stop the other server or pass another --port (0 picks a free one)"
    )


def test_the_command_opens_the_browser_and_stops_cleanly_on_ctrl_c(root: Path, tmp_path: Path):
    opened = tmp_path / "opened.txt"
    # webbrowser runs the program named by $BROWSER with the URL: here, one that notes it.
    browser_command = tmp_path / "browser"
    browser_command.write_text(f'#!/bin/sh\nprintf %s "$1" > {opened}.tmp && mv {opened}.tmp {opened}\n')
    browser_command.chmod(0o755)
    command = [sys.executable, "-c", "from dossier.cli import main; main()", "preview", "3", "--port", "0", "--open"]
    process = subprocess.Popen(
        command, cwd=root, stderr=subprocess.PIPE, text=True, env={**os.environ, "BROWSER": str(browser_command)}
    )
    try:
        first_line = process.stderr.readline()  # type: ignore[union-attr]
        assert first_line.startswith("previewing issues/03/issue.yaml at http://127.0.0.1:")
        url = first_line.split(" at ")[1].split()[0]
        assert urllib.request.urlopen(url, timeout=TIMEOUT_S).status == 200
        events = urllib.request.urlopen(url + "events", timeout=TIMEOUT_S)  # an open event stream must not hold it up
        assert events.readline() == b"retry: 500\n"
        deadline = time.monotonic() + TIMEOUT_S
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # until the browser was opened, not a timing assertion
        assert opened.read_text() == url

        process.send_signal(signal.SIGINT)
        said = []
        while (line := process.stderr.readline()) not in ("stopping…\n", ""):  # type: ignore[union-attr]
            said.append(line)
        process.send_signal(signal.SIGINT)  # impatient: again, while the first print finishes
        # It stops once the print in progress (if any) is done: wait for that, however long a
        # loaded machine takes, up to a bound far above it.
        _, rest = process.communicate(timeout=180)
        rest = "".join(said) + rest
        events.close()
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0
    assert "Traceback" not in rest
    assert rest.rstrip().endswith("stopped")


def test_screenshot_for_the_readme(page: Page, tmp_path: Path):
    """The README's picture of the preview, taken by this suite's browser.

    It is written to docs/preview.png only when DOSSIER_UPDATE_SCREENSHOT=1, so that
    an ordinary test run leaves the committed picture alone.
    """
    target = SCREENSHOT if os.environ.get("DOSSIER_UPDATE_SCREENSHOT") == "1" else tmp_path / "preview.png"
    page.goto("/")
    pages_panel = panel(page)
    expect(pages_panel).to_have_attribute("data-state", "ready", timeout=PRINT_TIMEOUT_MS)
    page.wait_for_function(
        "() => [...document.querySelector('dossier-preview').shadowRoot.querySelectorAll('img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    # Side by side: the draft's sommaire and the printed one, with its page numbers.
    page.locator(".opening").first.evaluate("el => window.scrollTo(0, el.offsetTop - 16)")
    pages_panel.evaluate(
        "aside => aside.scrollTop = aside.querySelectorAll('img')[1].offsetTop - aside.querySelector('.top').offsetHeight"
    )
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=target)
    with Image.open(target) as shot:
        assert shot.size == (1400, 900)
