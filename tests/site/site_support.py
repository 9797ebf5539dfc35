"""Helpers of the site's tests: a project's site_url."""

from __future__ import annotations

from pathlib import Path

SITE_URL = "https://example.org/dossiers/"



def set_site_url(root: Path, url: str = SITE_URL) -> None:
    with (root / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(f"site_url: {url}\n")
