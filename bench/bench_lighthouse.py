"""Benchmark: Lighthouse (npm, on Debian's chromium) on the site of the sample n°3: the archive and the edition.

The site is served over loopback by python's http.server, compressing text with gzip as web servers do.
Prints the accessibility, performance, best-practices and SEO scores, mobile (Lighthouse's default: a
Moto G Power's screen, slow 4G and a 4× slower processor, simulated), and the performance metrics
behind the score. Targets: accessibility 100, performance ≥ 95 on both pages.
Needs Lighthouse: `npm ci` (package.json's optional dependency; scripts/test leaves it out).

Run from the project folder:  .venv/bin/python bench/bench_lighthouse.py [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from chromium import CHROMIUM, CHROMIUM_ARGS
from sample import ROOT, copy_sample

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
CATEGORIES = ("accessibility", "performance", "best-practices", "seo")
TEXT = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml"}
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """python -m http.server's handler, compressing text as web servers do (nginx's and Apache's usual gzip)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_head(self):  # noqa: ANN201 - the base class's
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", TEXT[path.suffix])
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def lighthouse(url: str, out: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"],
                   check=True, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"})
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("lighthouse not installed: run npm ci")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_sample(Path(tmp) / "project")
        with (root / "publication.yaml").open("a", encoding="utf-8") as out:
            out.write("site_url: https://example.org/dossiers/\n")
        subprocess.run([sys.executable, "-m", "dossier", "site"], cwd=root, check=True, capture_output=True)
        handler = functools.partial(GzipHandler, directory=str(root / "output"))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/site/"
        try:
            for name, path in (("archive", "index.html"), ("n°3", "03/index.html")):
                reports = [lighthouse(base + path, Path(tmp) / f"report-{run}.json") for run in range(args.runs)]
                scores = {c: statistics.median(r["categories"][c]["score"] * 100 for r in reports) for c in CATEGORIES}
                metrics = {m: statistics.median(r["audits"][m]["numericValue"] for r in reports) for m in METRICS}
                print(f"{name}: " + ", ".join(f"{c} {scores[c]:.0f}" for c in CATEGORIES) + f" (median of {args.runs}, mobile)")
                print("   " + ", ".join(f"{m} {metrics[m]:.0f} ms" if m != "cumulative-layout-shift" else f"{m} {metrics[m]:.3f}"
                                        for m in METRICS))
                failed = {a["id"] for r in reports for a in r["audits"].values()
                          if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"}
                if failed:
                    print(f"   audits not passed: {', '.join(sorted(failed))}")
        finally:
            httpd.shutdown()
            httpd.server_close()


if __name__ == "__main__":
    main()
