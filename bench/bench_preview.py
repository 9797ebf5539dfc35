"""Benchmark: from saving the manifest to seeing the change in `dossier preview`.

Serves a copy of the sample numéro, opens it in headless chromium (Playwright), then saves
a changed subtitle several times and measures, from the moment the file is written:
- the updated HTML draft in the browser (its first contentful paint after the reload);
- the updated printed pages in the panel (every page image of the new draft loaded).
Before each save it times a plain build of the same numéro (load, render, print, write),
so the comparison is made under the same load on the machine.
Targets: the HTML within 0.5 s of the save; the pages within the build time + 0.5 s.

Run from the project folder:  .venv/bin/python bench/bench_preview.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from chromium import CHROMIUM, CHROMIUM_ARGS  # bench/chromium.py
from dossier.press import build_issue
from dossier.preview import PreviewServer
from dossier.project import Project
from sample import copy_sample  # bench/sample.py

SUBTITLE_LINE = 'subtitle: "Territoires, gestion de crise & résilience | COVID-19"'

# When the reloaded draft was first painted (wall clock, ms); DOMContentLoaded if no paint entry.
HTML_SHOWN_JS = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""
# Wall clock (ms) at the first frame where every page image of the current draft is loaded.
PAGES_SHOWN_JS = """() => {
  const host = document.querySelector("dossier-preview");
  const panel = host && host.shadowRoot.querySelector("aside");
  if (!panel || panel.dataset.state !== "ready" || panel.dataset.pagesDraft !== host.dataset.draft) return false;
  const images = [...panel.querySelectorAll("img")];
  return images.length > 0 && images.every(img => img.complete && img.naturalWidth > 0) && Date.now();
}"""


def copy_project(target: Path) -> Project:
    return Project(copy_sample(target))


def save_subtitle(manifest: Path, original: str, subtitle: str) -> float:
    """Write the manifest with a new subtitle; the wall-clock time the save completed."""
    manifest.write_text(original.replace(SUBTITLE_LINE, f"subtitle: {subtitle}"), encoding="utf-8")
    return time.time()


def measure_once(page: Page, server: PreviewServer, manifest: Path, original: str, subtitle: str) -> tuple[float, ...]:
    with page.expect_navigation(wait_until="load", timeout=10_000):
        saved = save_subtitle(manifest, original, subtitle)
    if subtitle not in (page.locator("h1.cover-theme").text_content(timeout=10_000) or ""):
        raise SystemExit(f"the reloaded draft does not show {subtitle!r}")
    html_shown = page.evaluate(HTML_SHOWN_JS) / 1000
    pages_shown = page.wait_for_function(PAGES_SHOWN_JS, polling="raf", timeout=60_000).json_value() / 1000
    state = server.wait_for_change(-1, 1)[1] or {}
    return html_shown - saved, pages_shown - saved, state["pages"]["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        project = copy_project(Path(tmp))
        manifest = project.manifest_for("3")
        original = manifest.read_text(encoding="utf-8")

        build_issue(project, "3", force=True)  # warm-up: imports, fonts, caches
        builds = []

        html_latencies, pages_latencies, print_times = [], [], []
        with PreviewServer(project, manifest, port=0) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(server.url)
            page.wait_for_function(PAGES_SHOWN_JS, timeout=60_000)  # the first print, before any change
            for run in range(args.runs + 1):
                # A build right before each save, so both see the same load on the machine.
                build_seconds = build_issue(project, "3", force=True).seconds
                html_latency, pages_latency, print_time = measure_once(
                    page, server, manifest, original, f"Mesure numéro {run}"
                )
                if run:  # the first change warms the browser's and the server's caches
                    html_latencies.append(html_latency)
                    pages_latencies.append(pages_latency)
                    print_times.append(print_time)
                    builds.append(build_seconds)
            browser.close()

    def figures(values: list[float]) -> str:
        return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"

    build = statistics.median(builds)
    html = statistics.median(html_latencies)
    pages = statistics.median(pages_latencies)
    print(f"runs: {args.runs}, 2 cores; each timed from the end of the manifest's save")
    print(f"build (load + render + print):  {figures(builds)}")
    print(f"preview's print + page images:  {figures(print_times)}")
    print(f"save -> updated HTML draft:     {figures(html_latencies)}   target <= 0.500 s: "
          f"{'met' if html <= 0.5 else 'MISSED'}")
    print(f"save -> updated page images:    {figures(pages_latencies)}   target <= build + 0.5 = "
          f"{build + 0.5:.3f} s: {'met' if pages <= build + 0.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
