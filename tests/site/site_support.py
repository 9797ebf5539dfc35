"""Helpers of the site's tests: Debian's chromium for Playwright, and a project's site_url."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# As tests/test_preview.py launches it: headless, no sandbox (root in CI), nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SITE_URL = "https://example.org/dossiers/"


def find_chromium() -> str | None:
    for candidate in (os.environ.get("DOSSIER_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def set_site_url(root: Path, url: str = SITE_URL) -> None:
    with (root / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(f"site_url: {url}\n")
