"""Benchmark: dossier site on the sample n°3 with a 3000×2000 photo on each of its 30 initiatives.

Prints: the time of `dossier site` when nothing changed (target ≤ 0.5 s), after one edit of
n°3 against the time of `dossier build 3` (target ≤ the build + 1 s), and the bytes a phone
(375×667, headless chromium) loads when it opens n°3's web edition (target ≤ 2 MB).
Each command runs in its own process, as a user runs it.

Run from the project folder:  .venv/bin/python bench/bench_site.py [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench_scale import add_photos_to_sample, photo
from chromium import CHROMIUM, CHROMIUM_ARGS  # bench/chromium.py
from sample import copy_sample  # bench/sample.py


def timed(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dossier", *args], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - started


def edit(root: Path, mark: int) -> None:
    """Change one card's text (to a new mark each time: every edit really changes the manifest)."""
    manifest = root / "issues/03/issue.yaml"
    text = re.sub(r"Afin (\(édition \d+\) )?de soutenir", f"Afin (édition {mark}) de soutenir", manifest.read_text("utf-8"),
                  count=1)
    manifest.write_text(text, encoding="utf-8")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def phone_bytes(site: Path, scale: int) -> tuple[int, int]:
    """Bytes and requests of the first load of n°3's web edition on a 375×667 phone of pixel ratio ``scale``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site.parent)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=scale,
                                          is_mobile=True, has_touch=True)
            page = context.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{site.name}/03/", wait_until="networkidle")
            page.wait_for_timeout(1000)  # lazy images near the viewport start after load
            total = sum(len(response.body()) for response in responses)
            count = len(responses)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return total, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photos", type=int, default=10, help="distinct photos generated, then copied to every card")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        photos = []
        for n in range(args.photos):
            photos.append(work / f"source{n}.jpg")
            photo(photos[-1], n)
        root = copy_sample(work / "project")
        add_photos_to_sample(root, photos)
        first = timed(root, "site")
        unchanged = [timed(root, "site") for _ in range(args.runs)]
        edited, builds = [], []
        for run in range(args.runs):
            edit(root, 2 * run)
            edited.append(timed(root, "site"))
            edit(root, 2 * run + 1)
            builds.append(timed(root, "build", "3"))
        phone = {scale: phone_bytes(root / "output" / "site", scale) for scale in (1, 2, 3)}
    print(f"first dossier site (PDF, fonts, 30 photos resized): {first:.2f} s")
    print(f"unchanged:  {statistics.median(unchanged):.2f} s median of {args.runs} (target ≤ 0.5 s)")
    build, after_edit = statistics.median(builds), statistics.median(edited)
    print(f"after one edit of n°3: {after_edit:.2f} s, dossier build 3: {build:.2f} s, "
          f"difference {after_edit - build:+.2f} s (target ≤ +1 s)")
    for scale, (size, count) in phone.items():
        print(f"phone 375×667 at {scale}× pixels: {size / 1e6:.2f} MB in {count} requests (target ≤ 2 MB)")


if __name__ == "__main__":
    main()
