"""Debian's chromium for the tests that drive a real browser (the preview, the site), through Playwright.

Headless, without a sandbox (CI runs as root), and fetching nothing in the background: this
machine's network is closed, and Chromium's own requests would only be refused.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from chromium import CHROMIUM_ARGS  # bench/chromium.py: one launch for the benchmarks and the tests


def find_chromium() -> str | None:
    for candidate in (os.environ.get("DOSSIER_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module", name="browser")
def chromium_browser() -> Iterator[Browser]:
    """The ``browser`` fixture: a test module imports this function to have it."""
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium not found: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
