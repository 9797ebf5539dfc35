"""Benchmark: the sample's build beside a bare WeasyPrint print of its HTML draft.

Prints, for each, the time spent outside WeasyPrint's layout and PDF writing (the
pipeline's own cost), the layout and writing times, whole-process times and peak memory.
Whole-process times swing with interpreter start-up and stack depth; the figure that
matters is the overhead outside layout + PDF writing, as a share of WeasyPrint's own time.
Target: the pipeline adds at most 10 % of WeasyPrint's time, with n°3 laid out exactly twice per build
(LAYOUTS: its readings' continuation pass, press/pdf/continued.py; once before it).

Then, as an editor runs them, whole processes in turn: `dossier build 3 --force` and a bare
`python -m weasyprint` of its draft, each timed inside (layout, PDF writing, layouts counted)
by a probe that wraps WeasyPrint's HTML.render and Document.write_pdf (for the build, in its
print worker, through a sitecustomize module). What the processes spend outside layout + PDF
writing (interpreters, imports, parsing, our pipeline; for the build, its process and its
worker's together) is compared.
Target: the build spends at most 1.5× the bare print's (whose one layout has no continuation headings).
Last, `dossier build 3` with nothing changed since (it answers from .dossier/builds.json).
Target: at most 0.15× a full build, and under 1 s.

Run from the project folder:  .venv/bin/python bench/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

from dossier.press import build_issue
from dossier.project import Project

ROOT = Path(__file__).resolve().parent.parent
# Layouts per build of n°3: the first, and the one that shows « Tourisme (suite) » at the top of page 8.
LAYOUTS = 2
# Times WeasyPrint's layout and PDF writing in the process that runs it (``install``); with
# ``each``, the figures are printed after every call (for a process that ends with os._exit).
TIMING = """
import atexit, json, os, runpy, sys, time
spent = {"layout": 0.0, "pdf": 0.0, "layout cpu": 0.0, "pdf cpu": 0.0, "layouts": 0}
def report():
    print("PROBE " + json.dumps(spent), file=sys.stderr, flush=True)
def install(each=False, quick_lookup=False):
    if quick_lookup:  # as the print worker imports WeasyPrint (dossier.press.pdf's library lookup)
        import dossier.press.pdf
    import weasyprint, weasyprint.document
    def timed(function, name):
        def wrapper(*args, **kwargs):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                spent[name + " cpu"] += time.process_time() - cpu
                spent["layouts"] += name == "layout"
                if each:
                    report()
        return wrapper
    weasyprint.HTML.render = timed(weasyprint.HTML.render, "layout")
    weasyprint.document.Document.write_pdf = timed(weasyprint.document.Document.write_pdf, "pdf")
"""
# Runs a module as `python -m` would, timed inside.
PROBE = TIMING + """
install()
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""
# The build's print worker timed, by sitecustomize.py (on PYTHONPATH) in the build's process when
# it forks the worker: the build itself never imports WeasyPrint.
WORKER_PROBE = TIMING + """
if sys.orig_argv[1:3] == ["-m", "dossier"]:
    os.register_at_fork(after_in_child=lambda: install(each=True, quick_lookup=True))
"""


def child_peak_rss_mb(command: list[str]) -> tuple[float, float]:
    """Run ``command``; return its wall time and peak resident memory (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def probed_process(module: str, *args: str, probe_dir: Path) -> tuple[float, float, dict]:
    """Run ``python -m module args`` under the probe: wall and CPU time, and seconds in layout and PDF writing.

    ``dossier`` runs as itself, its print worker probed; anything else runs inside PROBE. The CPU
    time is the process's and its children's (the worker, which the build waits for).
    """
    started = time.perf_counter()
    if module == "dossier":
        command = [sys.executable, "-m", module, *args]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(probe_dir),
                                                                                  os.environ.get("PYTHONPATH")]))}
    else:
        command, environment = [sys.executable, "-c", PROBE, module, *args], None
    process = subprocess.Popen(command, cwd=ROOT, env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"python -m {module} {' '.join(args)} failed:\n{stderr}")
    line = next(line for line in reversed(stderr.splitlines()) if line.startswith("PROBE "))
    return elapsed, usage.ru_utime + usage.ru_stime, json.loads(line.removeprefix("PROBE "))


def compare_processes(draft: Path, runs: int) -> None:
    """Interleaved whole processes: a forced build, then a bare print of its draft."""
    bare_pdf = os.path.join(tempfile.gettempdir(), "bare-bench.pdf")
    outside: dict[str, list[float]] = {"dossier build": [], "weasyprint": []}
    outside_cpu: dict[str, list[float]] = {"dossier build": [], "weasyprint": []}
    totals: dict[str, list[float]] = {"dossier build": [], "weasyprint": []}
    probe_dir = Path(tempfile.mkdtemp(prefix="bench-probe-"))
    (probe_dir / "sitecustomize.py").write_text(WORKER_PROBE)
    for _ in range(runs):
        for name, command in (("dossier build", ("dossier", "build", "3", "--force")),
                              ("weasyprint", ("weasyprint", str(draft), bare_pdf))):
            elapsed, cpu, spent = probed_process(*command, probe_dir=probe_dir)
            expected = LAYOUTS if name == "dossier build" else 1
            assert spent["layouts"] == expected, f"{name}: {spent['layouts']} layouts"
            outside[name].append(elapsed - spent["layout"] - spent["pdf"])
            outside_cpu[name].append(cpu - spent["layout cpu"] - spent["pdf cpu"])
            totals[name].append(elapsed)
    med = statistics.median
    for name in outside:
        print(f"process {name:14} total {med(totals[name]):.2f} s, outside layout + PDF {med(outside[name]):.2f} s "
              f"(CPU {med(outside_cpu[name]):.2f} s)")
    ratio = med(outside["dossier build"]) / med(outside["weasyprint"])
    ratio_cpu = med(outside_cpu["dossier build"]) / med(outside_cpu["weasyprint"])
    print(f"outside layout + PDF, build / bare weasyprint: {ratio:.2f}× wall, {ratio_cpu:.2f}× CPU "
          f"(target ≤ 1.5×; CPU time does not swing with other work on the machine); layouts per build: {LAYOUTS}")
    unchanged = med(child_peak_rss_mb([sys.executable, "-m", "dossier", "build", "3"])[0] for _ in range(runs))
    full = med(totals["dossier build"])
    print(f"unchanged build: {unchanged:.2f} s, {unchanged / full:.2f}× a full build of {full:.2f} s "
          "(target ≤ 0.15× and < 1 s)")


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
        assert layouts[0] - before == LAYOUTS, f"n°3's build lays the document out {layouts[0] - before} times"
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
    print(f"pipeline overhead: {share:.1f} % of WeasyPrint's own time (target ≤ 10 %); layouts per build: {LAYOUTS}")

    compare_processes(draft, args.runs)
    cli_time, cli_rss = child_peak_rss_mb([sys.executable, "-m", "dossier", "build", "3", "--force"])
    bare_cmd = [sys.executable, "-m", "weasyprint", str(draft), os.path.join(tempfile.gettempdir(), "bare-bench.pdf")]
    wp_time, wp_rss = child_peak_rss_mb(bare_cmd)
    print(f"whole process: dossier build {cli_time:.2f} s, peak {cli_rss:.0f} MB; "
          f"python -m weasyprint {wp_time:.2f} s, peak {wp_rss:.0f} MB")


if __name__ == "__main__":
    main()
