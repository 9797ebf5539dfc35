"""Benchmark: the sample's build beside a bare WeasyPrint print of its HTML draft.

Prints, for each, the time spent outside WeasyPrint's layout and PDF writing (the
pipeline's own cost), the layout and writing times, whole-process times and peak memory.
Whole-process times swing with interpreter start-up and stack depth; the figure that
matters is the overhead outside layout + PDF writing, as a share of WeasyPrint's own time.
Target: the pipeline adds at most 10 % of WeasyPrint's time, with exactly one layout per build.

Run from the project folder:  .venv/bin/python bench/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

from dossier.build import build_issue
from dossier.project import Project

ROOT = Path(__file__).resolve().parent.parent


def child_peak_rss_mb(command: list[str]) -> tuple[float, float]:
    """Run ``command``; return its wall time and peak resident memory (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def count_layouts() -> list[int]:
    """Count calls of WeasyPrint's layout (HTML.render) from now on."""
    calls = [0]
    original = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    weasyprint.HTML.render = counting
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    project = Project(ROOT)
    layouts = count_layouts()

    build_issue(project, "3", force=True)  # warm-up: imports, font loading, caches
    pipeline = []
    for _ in range(args.runs):
        before = layouts[0]
        result = build_issue(project, "3", force=True)
        assert layouts[0] - before == 1, "a build must lay the document out exactly once"
        pipeline.append(result)

    bare = []
    draft = result.html_path
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bare.pdf"
        for _ in range(args.runs):
            started = time.perf_counter()
            html = weasyprint.HTML(filename=str(draft))
            parsed = time.perf_counter()
            document = html.render()
            laid_out = time.perf_counter()
            out.write_bytes(document.write_pdf())
            written = time.perf_counter()
            bare.append((parsed - started, laid_out - parsed, written - laid_out, written - started, len(document.pages)))

    def med(values) -> float:
        return statistics.median(values)

    layout = med(r.timings["layout"] for r in pipeline)
    pdf = med(r.timings["pdf"] for r in pipeline)
    total = med(r.seconds for r in pipeline)
    overhead = med(r.seconds - r.timings["layout"] - r.timings["pdf"] for r in pipeline)
    bare_layout, bare_pdf, bare_total = med(b[1] for b in bare), med(b[2] for b in bare), med(b[3] for b in bare)
    bare_overhead = med(b[3] - b[1] - b[2] for b in bare)

    print(f"sample numéro 3: {result.pages} pages (bare WeasyPrint print of the draft: {bare[-1][4]} pages)")
    print(f"runs: {args.runs}, medians in seconds")
    print(f"{'':28}{'pipeline':>10}{'bare':>10}")
    print(f"{'layout (HTML.render)':28}{layout:10.3f}{bare_layout:10.3f}")
    print(f"{'PDF writing':28}{pdf:10.3f}{bare_pdf:10.3f}")
    print(f"{'outside layout + PDF':28}{overhead:10.3f}{bare_overhead:10.3f}")
    print(f"{'total in process':28}{total:10.3f}{bare_total:10.3f}")
    for stage in ("load", "render", "print other", "write"):
        print(f"  pipeline {stage:18}{med(r.timings[stage] for r in pipeline):10.3f}")
    share = overhead / (layout + pdf) * 100
    print(f"pipeline overhead: {share:.1f} % of WeasyPrint's own time (target ≤ 10 %); layouts per build: 1")

    cli_time, cli_rss = child_peak_rss_mb([sys.executable, "-m", "dossier", "build", "3"])
    bare_cmd = [sys.executable, "-m", "weasyprint", str(draft), os.path.join(tempfile.gettempdir(), "bare-bench.pdf")]
    wp_time, wp_rss = child_peak_rss_mb(bare_cmd)
    print(f"whole process: dossier build {cli_time:.2f} s, peak {cli_rss:.0f} MB; "
          f"python -m weasyprint {wp_time:.2f} s, peak {wp_rss:.0f} MB")


if __name__ == "__main__":
    main()
