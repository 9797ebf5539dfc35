"""What WeasyPrint may read: project files and data: URLs, under a fixed base URL.

Invariant: nothing outside the project folder and nothing on the network is ever fetched; a
missing or refused file is recorded as a failure (the print stops with it).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import NoReturn

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ...i18n import _
from ...project import ASSET_TYPES, Project

# A fixed base URL mapped to the project folder: the PDF does not depend on where
# the project is checked out (WeasyPrint names images after their URL).
PROJECT_URL = "https://dossier.invalid/"

class ProjectFetcher(URLFetcher):
    """Serves project files and data: URLs; refuses everything else.

    WeasyPrint's default fetcher would read any file the process can read (an
    ``<a rel="attachment" href="/etc/passwd">`` embeds it) and reach the network.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"data"})
        self.root = root.resolve()
        self.failures: list[str] = []  # one line per refused or missing resource

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            self._fail(_("{url}: refused: only files inside the project folder (or data: URLs) can be used").format(url=url))
        if not path.is_file():
            shown = path.relative_to(self.root).as_posix()
            self._fail(_("{file}: file not found: restore it, or correct the reference to it in templates/ or styles/")
                       .format(file=shown))
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})

    def _fail(self, message: str) -> NoReturn:
        if message not in self.failures:
            self.failures.append(message)
        raise ValueError(message)

    def local_path(self, url: str) -> Path | None:
        """The project file a URL names, or None when it names anything else."""
        if url.startswith(PROJECT_URL):
            relative = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
            path = (self.root / relative).resolve()
        elif url.startswith("file:"):
            path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).resolve()
        else:
            return None
        return path if path.is_relative_to(self.root) else None


def _content_type(path: Path) -> str:
    return ASSET_TYPES.get(path.suffix.lower(), "application/octet-stream")


def base_url(project: Project, html_path: Path) -> str:
    """The URL of the draft saved at ``html_path``, under the fixed base URL."""
    return PROJECT_URL + html_path.resolve().relative_to(project.root.resolve()).as_posix()
