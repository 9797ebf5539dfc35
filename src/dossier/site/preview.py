"""The web edition as the preview shows it: made from the numéro on each request, as ``dossier site`` makes it.

Invariant: nothing is written (no PDF, no resized image): the page shows the project's images
as they are, at their project URLs, and the fonts as styles/fonts/ has them.
"""

from __future__ import annotations

from importlib import resources

from ..manifest import Issue
from ..project import Project

PAGE = "/web"
# The edition's assets, at the URLs its page names from /web (its root "../" is "/").
_ASSETS = {"/assets/site.css": "text/css; charset=utf-8", "/assets/edition.js": "text/javascript; charset=utf-8"}


def web_preview(project: Project, issue: Issue, pages: int, url_path: str) -> tuple[bytes, str] | None:
    """The web edition's page (at ``PAGE``) or one of its assets, with its content type; None for another URL.

    ``pages`` is the printed PDF's page count, as the edition names it beside its download link.
    """
    if url_path == PAGE:
        return _page(project, issue, pages).encode("utf-8"), "text/html; charset=utf-8"
    if url_path in _ASSETS:
        return _asset(project, url_path), _ASSETS[url_path]
    return None


def _page(project: Project, issue: Issue, pages: int) -> str:
    from .edition import SiteInfo, render_edition
    from .images import WebImage
    from .state import EditionRecord

    images = {use.path: WebImage(f"/{use.path}", "", 0, 0) for use in issue.images()}
    record = EditionRecord(hash="", pdf_size=0, pages=pages)
    site = SiteInfo(issue.publication.site_url, frozenset({issue.number}))
    return render_edition(project, issue, site, record, images)


def _asset(project: Project, url_path: str) -> bytes:
    static = resources.files("dossier.site").joinpath("static")
    if url_path == "/assets/edition.js":
        return static.joinpath("edition.js").read_bytes()
    from .fonts import faces

    rules = [f'@font-face {{ font-family: "{family}"; src: url(/styles/fonts/{file.name}); '
             f"font-weight: {weight}; font-style: {style}; }}"
             for family, file, weight, style in faces(project.styles_dir / "fonts")]
    return ("\n".join(rules) + "\n" + static.joinpath("web.css").read_text(encoding="utf-8")).encode("utf-8")
