"""The site of the sample n°3 (and a generated n°9 with photos) and its newsletter in a real browser (Debian's
chromium through Playwright), and the Nu HTML checker (vnu-jar, from npm, on Debian's Java) on every page.

At 375, 768, 1280 and 1920 px, light and dark: nothing scrolls sideways, the archive's text uses the width,
the sommaire is within reach after scrolling (the bar's drawer on phones, the side column on wide screens),
« Haut de page » is in view, and axe-core finds no violation of any impact. Search finds an initiative of
n°3 by a word of its text and lands on its anchor, served over http and opened from disk. The site works
served from a sub-folder. DOSSIER_UPDATE_SCREENSHOT=1 refreshes the README's pictures (docs/site-*.png).
"""

from __future__ import annotations

import email
import email.policy
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page

from browser import chromium_browser  # noqa: F401 - the browser fixture
from conftest import REPO, copy_project, run
from dossier.site.search import fold
from numeros import CardSpec, NumeroSpec, manifest
from site_support import set_site_url

VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
WIDTHS = (375, 768, 1280, 1920)
SIDE_COLUMN = 1100  # px: from this width the sommaire is a side column (web.css), below it a drawer in the bar
SCREENSHOTS = {"phone": REPO / "docs" / "site-phone.png", "desktop": REPO / "docs" / "site-desktop.png"}
INITIATIVES = 30
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
COVER_CREDIT = "Photo : Agence Fictive"


def add_numero_with_photos(root: Path) -> None:
    """n°9: generated, with photos, a cover photo with its alt and credit, a date, and n°3's date in its (Re)lire."""
    data, images = manifest(NumeroSpec(themes=((CardSpec(300, True, True), CardSpec(200, True, False)),),
                                       resources=2, readings=(3,), seed=3), number=9)
    folder = root / "issues/09"
    folder.mkdir(parents=True)
    for name, content in images.items():
        (folder / name).write_bytes(content)
    Image.new("RGB", (1600, 1000), (60, 110, 90)).save(folder / "couverture.jpg", quality=80)
    data |= {"date": "2020-06-15", "cover_image": "couverture.jpg", "cover_alt": "Une place de village au soleil",
             "cover_credit": COVER_CREDIT, "back_issues": [{"number": 3, "date": "2020-05-06"}]}
    (folder / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with site_url, mail settings and n°9, its site written once, and a newsletter (.html)."""
    root = copy_project(tmp_path_factory.mktemp("site") / "project")
    set_site_url(root)
    with (root / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write("mail:\n  from_address: chaire@example.org\n  reply_to: contact@example.org\n")
    (root / "fake-partners.csv").write_text("email;name\njean@example.org;Jean Dupont\n", encoding="utf-8")
    add_numero_with_photos(root)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        assert run("site").exit_code == 0
        assert run("send", "3", "--partners", "fake-partners.csv", "--web").exit_code == 0
    finally:
        os.chdir(cwd)
    (eml,) = (root / "output" / "mail-03").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    (root / "output" / "newsletter.html").write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
    return root


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def server(published: Path) -> Iterator[str]:
    """python -m http.server's handler serving output/, so the site lives in a sub-folder: /site/."""
    handler = functools.partial(QuietHandler, directory=str(published / "output"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/site/"
    httpd.shutdown()
    httpd.server_close()


def open_page(browser: Browser, viewport: str | int, url: str, scheme: str = "light") -> Page:
    size = VIEWPORTS[viewport] if isinstance(viewport, str) else {"width": viewport, "height": 800 if viewport > 500 else 667}
    context = browser.new_context(viewport=size, color_scheme=scheme)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


def no_sideways_scroll(page: Page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page scrolls sideways: {width} px in {inner} px"


# A message is shown inside the mail client's own page, which has its landmarks: these two best-practice
# rules (a <main>, everything in a landmark) are for whole pages, not for a newsletter.
IN_A_MAIL_CLIENT = {"rules": {"region": {"enabled": False}, "landmark-one-main": {"enabled": False}},
                    "resultTypes": ["violations"]}


def violations(page: Page, options: dict | None = None) -> list[str]:
    """axe-core's violations, of every impact."""
    results = Axe().run(page, options=options or {"resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def in_view(page: Page, selector: str) -> bool:
    return page.evaluate("s => { const r = document.querySelector(s).getBoundingClientRect();"
                         " return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight; }", selector)


def lands_on(page: Page, anchor: str) -> None:
    """The address ends with #anchor and the anchor's element is in the top half of the window, under the bar."""
    page.wait_for_function("hash => location.hash === hash", arg=f"#{anchor}")
    page.wait_for_function(
        "id => { const top = document.getElementById(id).getBoundingClientRect().top;"
        " return top >= 0 && top < innerHeight / 2; }", arg=anchor, timeout=20_000,
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_web_edition_over_http_from_a_sub_folder(browser: Browser, server: str, viewport: str) -> None:
    page = open_page(browser, viewport, server + "03/")
    failed: list[str] = []
    # A request cut short by the reload is not a missing file; a 404 is.
    page.on("requestfailed", lambda request: "ERR_ABORTED" in (request.failure or "") or failed.append(request.url))
    page.on("response", lambda response: response.status < 400 or failed.append(response.url))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload(wait_until="networkidle")
    assert page.locator("article.card").count() == INITIATIVES
    no_sideways_scroll(page)
    assert failed == []
    assert all(url.startswith(server.rsplit("/site/", 1)[0]) for url in requests), "nothing from another host"
    font_size = page.evaluate("Math.min(...[...document.querySelectorAll('main p, main li, main a, main h4')].map("
                              "e => parseFloat(getComputedStyle(e).fontSize)))")
    assert font_size >= 16

    links = page.locator("nav.sommaire a[href^='#']")
    assert links.count() >= 8
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        link.click()
        lands_on(page, target[1:])
        page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")

    pdf = page.locator("a.bar-pdf").get_attribute("href")
    response = page.request.get(server + "03/" + pdf)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_width(browser: Browser, server: str, width: int, scheme: str) -> None:
    archive = open_page(browser, width, server + "index.html", scheme)
    no_sideways_scroll(archive)
    text = archive.evaluate("document.querySelector('.numero-body').getBoundingClientRect().width")
    if width < 900:
        assert text >= 0.6 * width, f"the archive's text is {text:.0f} px wide in {width}"
    assert violations(archive) == []
    archive.context.close()

    page = open_page(browser, width, server + "03/index.html", scheme)
    no_sideways_scroll(page)
    assert violations(page) == []
    page.evaluate("window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'})")
    assert in_view(page, ".to-top"), "« Haut de page » is at hand at the end too"
    if width < SIDE_COLUMN:
        page.locator(".drawer-button").click()
        page.locator(".drawer-panel a[href='#theme-3']").click()
        assert not page.evaluate("document.getElementById('drawer').open"), "the drawer closes once a link is followed"
    else:
        assert in_view(page, "nav.sommaire a[href='#theme-3']"), "the side column stays in view"
        page.locator("nav.sommaire a[href='#theme-3']").click()
    lands_on(page, "theme-3")
    page.locator(".to-top").click()
    page.wait_for_function("() => scrollY < 200", timeout=20_000)
    page.context.close()


def search_word(published: Path) -> tuple[str, str]:
    """A word with an accent found in the text of one initiative of n°3 only, and that initiative's anchor."""
    from dossier.manifest import load_issue
    from dossier.project import Project
    from dossier.weblinks import initiative_anchors

    project = Project(published)
    issue = load_issue(project, project.manifest_for("3"))
    anchors = initiative_anchors(issue)
    cards = [(card.text, anchors[t][i]) for t, theme in enumerate(issue.practices) for i, card in enumerate(theme.initiatives)]
    for word in sorted({w for text, _ in cards for w in re.findall(r"\w{9,}", text) if fold(w) != w.lower()}):
        holders = [anchor for text, anchor in cards if fold(word) in fold(text)]
        if len(holders) == 1:
            return word, holders[0]
    raise AssertionError("no word of one initiative only")


@pytest.mark.parametrize("served", ["http", "file"])
def test_search_finds_an_initiative_and_lands_on_it(browser: Browser, server: str, published: Path, served: str) -> None:
    word, anchor = search_word(published)
    base = server if served == "http" else (published / "output/site").as_uri() + "/"
    page = open_page(browser, "phone", base + "03/index.html")
    page.locator("a.bar-search").click()
    page.wait_for_load_state("load")
    assert page.url.startswith(base + "recherche.html")
    page.locator("#search-input").fill(fold(word).upper())  # no accents, upper case: folded as the index is
    result = page.locator(f"#search-results a[href='03/index.html#{anchor}']")
    result.wait_for()
    assert "Dossier spécial n°3 · " in result.locator("xpath=ancestor::li").inner_text()
    assert violations(page) == []
    result.click()
    page.wait_for_load_state("load")
    lands_on(page, anchor)
    # n°9's porteurs are searched too, and the box is filled from ?q=.
    page.goto(base + "recherche.html?q=Commune%20d%27Essai%201-2")
    page.locator("#search-results a[href^='09/index.html#']").first.wait_for()
    page.context.close()


@pytest.mark.skipif(not os.environ.get("DOSSIER_UPDATE_SCREENSHOT"), reason="DOSSIER_UPDATE_SCREENSHOT=1 refreshes them")
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_update_screenshot(browser: Browser, server: str, viewport: str) -> None:
    """The README's pictures: the top of the edition on a phone, the first cards side by side on a desktop."""
    page = open_page(browser, viewport, server + "03/")
    if viewport == "desktop":
        page.evaluate("window.scrollTo({top: document.getElementById('bonnes-pratiques').offsetTop - 30, behavior: 'instant'})")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS[viewport]))
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_archive_opened_from_disk(browser: Browser, published: Path, viewport: str) -> None:
    page = open_page(browser, viewport, (published / "output/site/index.html").as_uri())
    no_sideways_scroll(page)
    assert page.locator("li.numero").count() == 2
    assert page.locator(".numero-credit").inner_text() == COVER_CREDIT.replace(" :", "\u202f:")
    for cover in page.locator("img.numero-cover").element_handles():
        cover.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=cover)
    page.locator("a", has_text="Lire en ligne").last.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/site/03/index.html")
    assert page.locator("article.card").count() == INITIATIVES
    no_sideways_scroll(page)
    page.locator("a.bar-home").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/site/index.html"), "home names index.html: from disk a folder is only a listing"
    page.locator("a", has_text="Lire en ligne").first.click()
    page.wait_for_load_state("load")
    photo = page.locator(".cover-photo img")
    assert photo.get_attribute("alt") == "Une place de village au soleil"
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert page.locator(".cover-photo figcaption").inner_text() == COVER_CREDIT.replace(" :", "\u202f:")
    page.context.close()


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_newsletter(browser: Browser, published: Path, viewport: str, scheme: str) -> None:
    page = open_page(browser, viewport, (published / "output/newsletter.html").as_uri(), scheme)
    no_sideways_scroll(page)
    assert page.locator("table.sheet").get_attribute("width") == "600"
    assert page.locator("a", has_text="Lire le dossier").get_attribute("href") == "https://example.org/dossiers/03/"
    assert violations(page, IN_A_MAIL_CLIENT) == []
    colours = page.evaluate("""() => {
        const style = s => getComputedStyle(document.querySelector(s));
        return {button: style('a.button').color, cell: style('td.button-cell').backgroundColor,
                sheet: style('table.sheet').backgroundColor, pre: style('td.preheader').color,
                preBg: style('td.preheader').backgroundColor};
    }""")
    assert contrast(colours["button"], colours["cell"]) >= 4.5, colours
    assert contrast(colours["cell"], colours["sheet"]) >= 4.5, f"the button against its surface: {colours}"
    assert contrast(colours["pre"], colours["preBg"]) >= 4.5, colours
    # French spacing: no line of the excerpts starts with a colon (the narrow no-break spaces hold).
    lines = page.evaluate("""() => [...document.querySelectorAll('td.highlight p')].flatMap(p => {
        const range = document.createRange(), lines = new Map();
        for (const node of [...p.childNodes].filter(n => n.nodeType === 3)) {
          for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            const top = Math.round(range.getBoundingClientRect().top);
            if (!lines.has(top)) lines.set(top, node.data[i] === ' ' ? node.data[i + 1] : node.data[i]);
          }
        }
        return [...lines.values()];
    })""")
    assert ":" not in lines and ";" not in lines
    page.context.close()


def test_the_nu_checker_finds_no_error_on_any_page(published: Path) -> None:
    if not VNU.is_file() or shutil.which("java") is None:
        pytest.fail("vnu-jar or Java missing: scripts/test installs them (npm ci, default-jre-headless)")
    pages = sorted(str(p) for p in (published / "output/site").rglob("*.html"))
    assert len(pages) == 4  # the archive, the search page, two editions
    out = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(out.stderr or out.stdout)["messages"]
    assert messages == [], messages


def test_screenshots_are_committed() -> None:
    for path in SCREENSHOTS.values():
        assert path.is_file(), f"{path.name} missing: DOSSIER_UPDATE_SCREENSHOT=1 scripts/test -k site_browser"
