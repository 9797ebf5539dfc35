"""What a browser may get from a preview session: its documents, page images and assets.

The asset allow-list: files of ``styles/`` and of the numéro's folder with an asset type,
and the images the numéro prints (``Issue.images()``, the publisher's logo included,
wherever they are in the project). Dot segments, hidden files, empty segments and
anything resolving (through symlinks too) outside those are refused; so are the
manifest, publication.yaml and the templates (not asset types).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from ..errors import DossierError
from ..files import display_path
from ..project import ASSET_TYPES
from . import documents
from .session import PreviewSession


class PreviewSite:
    """The read side of a session, as the HTTP handler asks for it (``http.Site``)."""

    def __init__(self, session: PreviewSession) -> None:
        self.session = session
        self.root = session.root
        self.allowed_dirs = (session.project.styles_dir.resolve(), session.issue_dir)

    def draft_document(self) -> bytes:
        """The draft (or the page of errors) with the live-reload script and panel."""
        draft, draft_html, problems = self.session.current()
        if draft_html is None:
            return documents.error_document(problems, draft).encode("utf-8")
        return documents.draft_document(draft_html, draft).encode("utf-8")

    def edition_document(self, kind: str) -> bytes:
        """The newsletter (``mail``) or the web edition (``web``) of the last good numéro, live-reloaded.

        While the manifest has errors, its errors stand in for them, as for the draft.
        """
        draft, draft_html, problems = self.session.current()
        issue = self.session.last_good()
        if draft_html is None or issue is None:
            return documents.error_document(problems, draft).encode("utf-8")
        try:
            if kind == "mail":
                from ..mail.preview import newsletter_preview

                page = newsletter_preview(self.session.project, issue)
            else:
                from ..site.preview import PAGE, web_preview

                page = web_preview(self.session.project, issue, self.session.printed_pages(), PAGE)[0].decode("utf-8")
        except DossierError as exc:
            return documents.error_document(exc.format_message().splitlines(), draft).encode("utf-8")
        return documents.inject(page, documents.client(kind, draft)).encode("utf-8")

    def web_asset(self, url_path: str) -> tuple[bytes, str] | None:
        """The web edition's stylesheet or script, with its content type (fonts from /styles/fonts/)."""
        from ..site.preview import PAGE, web_preview

        issue = self.session.last_good()
        if url_path == PAGE or issue is None:
            return None
        return web_preview(self.session.project, issue, 0, url_path)

    def pages_document(self) -> bytes:
        draft = self.session.current()[0]
        return documents.pages_document(display_path(self.session.manifest, self.root), draft).encode("utf-8")

    def page_image(self, draft: str, number: int) -> bytes | None:
        return self.session.page_image(draft, number)

    def wait_for_change(self, seen: int, timeout: float) -> tuple[int, dict[str, Any] | None]:
        return self.session.wait_for_change(seen, timeout)

    @property
    def stopping(self) -> bool:
        return self.session.stopping

    def asset_file(self, url_path: str) -> Path | None:
        """The project file a URL path names, if it is one the draft may load; None otherwise."""
        parts = urllib.parse.unquote(url_path).split("/")[1:]
        if not parts or any(not part or part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        try:
            path = (self.root / Path(*parts)).resolve()
            if not path.is_relative_to(self.root) or path.suffix.lower() not in ASSET_TYPES or not path.is_file():
                return None
        except OSError:  # a name too long for the system, a loop of links: not something it serves
            return None
        if any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            return path
        if path.relative_to(self.root).as_posix() in self.session.images():
            return path
        return None
