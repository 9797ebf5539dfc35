"""dossier check: findings beyond validation, each as file:line: message."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from conftest import complete_sample, run

MANIFEST = "issues/03/issue.yaml"


@pytest.fixture
def project(project: Path) -> Path:
    """The sample with a date and its actions' addresses, so that each test sees only the findings it makes."""
    complete_sample(project)
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_sample_has_no_findings(project: Path):
    result = run("check", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "no findings\n"


def test_findings_are_located_and_explained(project: Path):
    manifest = project / MANIFEST
    Image.new("RGB", (300, 200), (20, 120, 60)).save(project / "issues/03/petite.jpg")
    Image.new("RGB", (1800, 1200), (20, 60, 120)).save(project / "issues/03/grande.jpg")
    edit(
        manifest,
        "        place: Montréal\n",
        "        place: Montréal\n        image: petite.jpg\n        alt: Une rue\n        url: http://montreal.example.org/aide\n",
    )
    edit(manifest, "        place: Amsterdam\n", "        place: Amsterdam\n        image: grande.jpg\n")
    long_text = " ".join(["Une phrase assez longue pour remplir la carte, puis la page, et plus encore."] * 120)
    edit(
        manifest,
        "      - title: La Banco Ciudad au secours des PME\n",
        "      - title: L'économie  circulaire pour relancer l'économie !\n        porteurs: [Quelqu'un]\n"
        "        text: Autre texte.\n"
        f"      - title: Une carte trop longue\n        porteurs: [Quelqu'un]\n        text: {long_text}\n"
        "      - title: La Banco Ciudad au secours des PME\n",
    )
    result = run("check", "3")
    assert result.exit_code == 1
    lines = {
        "image": line_of(manifest, "image: petite.jpg"),
        "http": line_of(manifest, "url: http://montreal"),
        "no_alt": line_of(manifest, "image: grande.jpg"),
        "duplicate": line_of(manifest, "L'économie  circulaire"),
        "long": line_of(manifest, "text: Une phrase assez longue"),
    }
    assert result.stdout.splitlines() == [
        f"{MANIFEST}:{lines['image']}: petite.jpg: 300×200 px print at 95 dpi (81×52 mm): "
        "under 150 dpi, it will look blurred; use a larger image",
        f"{MANIFEST}:{lines['http']}: http://montreal.example.org/aide: "
        "insecure http:// link: use https:// if the site offers it",
        f"{MANIFEST}:{lines['no_alt']}: image without alt text: describe it in 'alt' "
        "(what a reader who cannot see it should know)",
        f"{MANIFEST}:{lines['duplicate']}: the same initiative as «\u202fL’économie circulaire pour relancer l’économie\u202f» "
        "in Développement économique: keep one",
        f"{MANIFEST}:{lines['long']}: card too long to fit on one page (printed on pages 4–5): shorten the text",
    ]
    # Only the image without alt text keeps the numéro from going out (the gate's rule).
    assert result.stderr == "5 findings, 1 of them blocking: build, site and send refuse the numéro while it remains\n"


def test_invalid_manifest_is_reported_as_by_validate(project: Path):
    edit(project / MANIFEST, "subtitle:", "subtitel:")
    result = run("check", "3")
    assert result.exit_code == 1
    assert "issues/03/issue.yaml:7: subtitel: unknown field: did you mean 'subtitle'?" in result.stderr.splitlines()


class LinkServer(http.server.ThreadingHTTPServer):
    hits: Counter

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), LinkHandler)
        self.hits = Counter()
        self.stopping = threading.Event()
        self.trickle_ended = threading.Event()


class LinkHandler(http.server.BaseHTTPRequestHandler):
    server: LinkServer

    def _answer(self, body: bool) -> None:
        self.server.hits[(self.command, self.path)] += 1
        if self.path == "/trickle":
            self._trickle()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in {"/ok", "/no-head", "/slow"}:
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle(self) -> None:
        """A success status, then a header line every 0.2 s for a minute: each read is quick, the whole is not."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(300):
                if self.server.stopping.wait(0.2):
                    return
                self.wfile.write(b"X-Slow: yes\r\n")
                self.wfile.flush()
        except OSError:
            pass
        finally:
            self.server.trickle_ended.set()

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    server = LinkServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()


def test_online_checks_every_link_once_and_caches_good_ones(project: Path, link_server: LinkServer):
    base = f"http://127.0.0.1:{link_server.server_address[1]}"
    manifest = project / MANIFEST
    urls = {"Montréal": "/ok", "Amsterdam": "/missing", "Buenos Aires": "/moved", "Région Sud": "/no-head", "Nice": "/slow"}
    for place, path in urls.items():
        edit(manifest, f"        place: {place}\n", f"        place: {place}\n        url: {base}{path}\n")
    edit(manifest, "Ce troisième dossier spécial", f"Ce [troisième]({base}/ok) dossier spécial")
    # No network here: the publication's own address points to the test server too.
    publication = project / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace("https://anmt.univ-amu.fr", f"{base}/ok"), "utf-8")
    result = run("check", "3", "--online", "--timeout", "0.5")
    assert result.exit_code == 1
    broken = [line for line in result.stdout.splitlines() if "insecure" not in line]
    assert broken == [
        f"{MANIFEST}:{line_of(manifest, '/missing')}: {base}/missing: broken link: the server answers 404 Not Found",
        f"{MANIFEST}:{line_of(manifest, '/slow')}: {base}/slow: no answer within 0.5 s",
    ]
    assert link_server.hits[("HEAD", "/ok")] == 1  # the édito's copy of the same address is not fetched again
    assert link_server.hits[("GET", "/ok")] == 1  # the redirect from /moved, followed
    assert link_server.hits[("GET", "/no-head")] == 1
    cached = (project / ".dossier/links.json").read_text(encoding="utf-8")
    assert f"{base}/ok" in cached and f"{base}/missing" not in cached

    link_server.hits.clear()
    again = run("check", "3", "--online", "--timeout", "0.5")
    assert again.stdout == result.stdout
    assert link_server.hits[("HEAD", "/ok")] == 0  # answered from the cache
    assert link_server.hits[("HEAD", "/missing")] == 1  # failures are checked again


def test_placeholders_left_by_dossier_new_are_findings(project: Path):
    assert run("new").exit_code == 0
    manifest = project / "issues/04/issue.yaml"
    result = run("check", "4")
    assert result.exit_code == 1
    message = "still «\u202fÀ compléter\u202f» from 'dossier new': write the text, or remove the entry"
    expected_lines = [line_of(manifest, "subtitle:"), line_of(manifest, "edito:")]
    text = manifest.read_text(encoding="utf-8").splitlines()
    expected_lines += [n for n, line in enumerate(text, 1) if line.strip() == "- title: À compléter"]
    findings = result.stdout.splitlines()
    undated = [line for line in findings if ": no date: add `date: YYYY-MM-DD`" in line]
    assert len(undated) == 1, "a new numéro has no date yet: check asks for it"
    findings.remove(undated[0])
    assert findings == [f"{MANIFEST.replace('03', '04')}:{n}: {message}" for n in sorted(expected_lines)]


def test_colours_too_light_for_text(project: Path):
    manifest = project / MANIFEST
    edit(manifest, "  - theme: Tourisme\n", '  - theme: Tourisme\n    colour: "#ffcc00"\n')
    result = run("check", "3")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{MANIFEST}:{line_of(manifest, 'colour: ')}: colour #ffcc00 is too light for text on white "
        "(1.5:1, at least 4.5:1 is needed): choose a darker shade\n"
    )


def test_images_of_back_pages_and_the_logo_are_checked_like_cards(project: Path):
    # What a numéro prints comes from Issue.images(): publication.yaml's images are not forgotten.
    Image.new("RGB", (60, 40), (20, 120, 60)).save(project / "vignette.png")
    Image.new("RGB", (60, 40), (120, 20, 60)).save(project / "logo.png")
    publication = project / "publication.yaml"
    edit(publication, "  chaire:\n", "  chaire:\n    image: vignette.png\n")
    text = publication.read_text(encoding="utf-8")
    publication.write_text("logo: logo.png\n" + text, encoding="utf-8")
    result = run("check", "3")
    assert result.exit_code == 1
    page_line = line_of(publication, "image: vignette.png")
    logo_line = line_of(publication, "logo: logo.png")
    out = result.stdout.splitlines()
    assert f"publication.yaml:{page_line}: image without alt text: describe it in 'alt' " \
           "(what a reader who cannot see it should know)" in out
    assert any(line.startswith(f"publication.yaml:{page_line}: vignette.png: 60×40 px print at ") for line in out), out
    assert any(line.startswith(f"publication.yaml:{logo_line}: logo.png: 60×40 px print at ") for line in out), out


def test_online_timeout_bounds_the_whole_request(project: Path, link_server: LinkServer):
    # A server that trickles its headers answers every read in time; only a bound on the whole
    # request stops it, and what did not answer in time is not cached as good.
    url = f"http://127.0.0.1:{link_server.server_address[1]}/trickle"
    manifest = project / MANIFEST
    edit(manifest, "        place: Montréal\n", f"        place: Montréal\n        url: {url}\n")
    result = run("check", "3", "--online", "--timeout", "1")
    assert not link_server.trickle_ended.is_set()  # the check did not wait for the minute of headers
    assert f"{MANIFEST}:{line_of(manifest, '/trickle')}: {url}: no answer within 1 s" in result.stdout.splitlines()
    assert url not in (project / ".dossier/links.json").read_text(encoding="utf-8")
