"""Benchmark: `dossier build 3 --force` beside Chromium (and Paged.js) printing the same HTML draft.

In one interleaved loop (so every engine meets the same load on the machine), each run times:
- dossier: the whole `dossier build 3 --force` process (interpreter, validation, layout, PDF);
- Chromium: launching Debian's headless chromium through Playwright, opening the draft
  `output/dossier-special-03.html`, printing it to PDF and closing (Playwright's driver is
  started once, before the loop: it is not Chromium's cost);
- Paged.js: the whole `npx --no-install pagedjs-cli` process, when it is installed.
It prints the medians and the ratios to dossier's time, then, for each engine's PDF, what a
reader gets: the pages, how many sommaire entries carry a page number, how many lines end
hyphenated (pdftotext). Target: dossier ≤ 1.6× Chromium, with every feature Chromium lacks.

Chromium's own time swings the most (a few runs are 20 % faster or slower), so 25 runs by
default: with 9, the ratio's median moved by ±0.1 from one run of the benchmark to the next.

Run from the project folder:  .venv/bin/python bench/bench_peers.py [--runs 25]
"""

from __future__ import annotations

import argparse
import html.parser
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Playwright, sync_playwright

from chromium import CHROMIUM, CHROMIUM_ARGS  # bench/chromium.py

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "output" / "dossier-special-03.html"
PDF = ROOT / "output" / "dossier-special-03.pdf"
DOSSIER = str(Path(sys.executable).with_name("dossier"))
PAGEDJS = ["npx", "--no-install", "pagedjs-cli"]


class SommaireEntries(html.parser.HTMLParser):
    """The link texts of the draft's `<nav class="sommaire">`: the entries that need a page number."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[str] = []
        self._in_nav = self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and "sommaire" in (dict(attrs).get("class") or ""):
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self._in_link = True
            self.entries.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_nav = self._in_nav and tag != "nav"
        self._in_link = self._in_link and tag != "a"

    def handle_data(self, data: str) -> None:
        if self._in_link:
            self.entries[-1] += data


def time_dossier() -> float:
    started = time.perf_counter()
    subprocess.run([DOSSIER, "build", "3", "--force"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def time_chromium(playwright: Playwright, out: Path) -> float:
    started = time.perf_counter()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.goto(DRAFT.as_uri(), wait_until="load")
    page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
    browser.close()
    return time.perf_counter() - started


def time_pagedjs(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*PAGEDJS, str(DRAFT), "-o", str(out)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def pagedjs_available() -> bool:
    try:
        done = subprocess.run([*PAGEDJS, "--version"], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def pdf_text(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def features(pdf: Path, entries: list[str]) -> str:
    """Pages, sommaire entries followed by a page number on their line, lines ending hyphenated."""
    pages = pdf_text(pdf).count("\f")
    laid_out = pdf_text(pdf, "-layout")
    numbered = 0
    for entry in entries:
        words = r"\W+".join(re.escape(word) for word in re.findall(r"\w+", entry))
        if re.search(words + r"[ .\u00a0\u202f]+\d{1,3}(?!\S)", laid_out, re.IGNORECASE):
            numbered += 1
    # Per line as laid out (pdftotext's plain text would join the hyphenated words again).
    last_words = re.findall(r"<word[^>]*>([^<]*)</word>\s*</line>", pdf_text(pdf, "-bbox-layout"))
    hyphenated = sum(1 for word in last_words if re.search(r"\w-$", word))
    return f"{pages} pages, sommaire numbers {numbered}/{len(entries)}, {hyphenated} lines end hyphenated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    runs = parser.parse_args().runs
    time_dossier()  # writes the draft, warms the file cache
    with_pagedjs = pagedjs_available()
    times: dict[str, list[float]] = {"dossier": [], "Chromium": [], **({"Paged.js": []} if with_pagedjs else {})}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        outputs = {"dossier": PDF, "Chromium": Path(tmp) / "chromium.pdf", "Paged.js": Path(tmp) / "pagedjs.pdf"}
        time_chromium(playwright, outputs["Chromium"])  # warm-up
        for _ in range(runs):
            times["dossier"].append(time_dossier())
            times["Chromium"].append(time_chromium(playwright, outputs["Chromium"]))
            if with_pagedjs:
                times["Paged.js"].append(time_pagedjs(outputs["Paged.js"]))
        entries = SommaireEntries()
        entries.feed(DRAFT.read_text(encoding="utf-8"))
        ours = statistics.median(times["dossier"])
        print(f"n°3, {runs} interleaved runs, medians (whole process for dossier and Paged.js; "
              "launch + print + close for Chromium)")
        for engine, values in times.items():
            median = statistics.median(values)
            low, _, high = statistics.quantiles(values, n=4)
            print(f"{engine:10} {median:6.2f} s (middle half {low:.2f}–{high:.2f} s)   dossier / {engine}: "
                  f"{ours / median:.2f}×   {features(outputs[engine], entries.entries)}")
        if not with_pagedjs:
            print("Paged.js: not measured (npx --no-install pagedjs-cli is not available)")


if __name__ == "__main__":
    main()
