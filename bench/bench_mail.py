"""Benchmark: mailing 1,000 partners a 300 KB PDF through a loopback SMTP server.

Runs `dossier send`'s library path (prepare_mailing, then send_mailing with the
ledger written per message, fsync included) against aiosmtpd's Sink handler in
another process, in a throw-away copy of the project. Prints messages per second
and memory as the batch goes: resident memory and, in a second run under
tracemalloc, the Python heap at 250 / 500 / 750 / 1,000 messages, and the peaks.
Targets: at least 50 messages/s; memory flat as the list grows (nothing kept per message).

Run from the project folder:  .venv/bin/python bench/bench_mail.py [--partners 1000] [--pdf-kb 300]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from dossier.mail import DeliveryEvent, prepare_mailing, send_mailing
from dossier.mail.smtp import SmtpConfig
from dossier.project import Project
from sample import copy_sample  # bench/sample.py

MAIL_SETTINGS = "\nmail:\n  from_address: chaire@example.org\n  reply_to: contact@example.org\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sink(port: int) -> subprocess.Popen:
    """aiosmtpd discarding every message, in its own process (its CPU is not ours)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the aiosmtpd server did not start")


def make_project(folder: Path, partners: int, pdf_kb: int) -> Path:
    copy_sample(folder)
    with (folder / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(MAIL_SETTINGS)
    pdf = folder / "output" / "dossier-special-03.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(pdf_kb * 1024))  # random: as incompressible as a real PDF
    later = time.time() + 3600
    os.utime(pdf, (later, later))  # newer than the sources: no build
    rows = "".join(f"partner{i:05d}@example.org,Partenaire {i},Organisation {i}\n" for i in range(partners))
    (folder / "fake-partners.csv").write_text("email,name,organisation\n" + rows, encoding="utf-8")
    return folder


def rss_mb() -> float:
    """Current resident memory of this process."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def run_once(root: Path, smtp: SmtpConfig, partners: int, *, traced: bool) -> dict:
    (root / ".dossier").exists() and shutil.rmtree(root / ".dossier")
    checkpoints = sorted({partners // 4, partners // 2, 3 * partners // 4, partners} - {0})
    samples: dict[int, float] = {}
    sent = [0]
    if traced:
        tracemalloc.start()

    def measure() -> float:
        return tracemalloc.get_traced_memory()[0] / 1024 / 1024 if traced else rss_mb()

    def progress(event: DeliveryEvent) -> None:
        sent[0] += 1
        if sent[0] in checkpoints:
            samples[sent[0]] = measure()

    started = time.perf_counter()
    mailing = prepare_mailing(Project(root), "3", root / "fake-partners.csv")
    prepared = time.perf_counter()
    samples[0] = measure()
    cpu = time.process_time()
    report = send_mailing(mailing, smtp, progress=progress)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if traced else None
    if traced:
        tracemalloc.stop()
    if report.sent != partners or report.failures:
        raise SystemExit(f"only {report.sent} of {partners} sent: {report.failures[:3]}")
    return {"prepare": prepared - started, "send": finished - prepared, "samples": samples, "peak": peak,
            "connections": report.connections, "cpu": cpu, "message": mailing.composer.compose(mailing.partners.partners[0])}


def server_ceiling(smtp: SmtpConfig, data: bytes, count: int) -> float:
    """Messages/s of plain smtplib sending one prepared message over and over: what the server allows."""
    with smtplib.SMTP(smtp.host, smtp.port, local_hostname="localhost") as client:
        started = time.perf_counter()
        for _ in range(count):
            client.sendmail("chaire@example.org", ["partner@example.org"], data)
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--pdf-kb", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    server = start_sink(port)
    smtp = SmtpConfig("127.0.0.1", port, "none")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-mail-") as tmp:
            root = make_project(Path(tmp), args.partners, args.pdf_kb)
            os.chdir(root)
            timed = run_once(root, smtp, args.partners, traced=False)
            traced = run_once(root, smtp, args.partners, traced=True)
            ceiling = server_ceiling(smtp, timed["message"].data, min(200, args.partners))
    finally:
        server.terminate()
        server.wait()

    n = args.partners
    print(f"{n} partners, {args.pdf_kb} KB attachment, loopback aiosmtpd (Sink) in another process")
    print(f"  prepare (load, check, render all {n} messages once): {timed['prepare']:.2f} s")
    print(f"  send: {timed['send']:.2f} s = {n / timed['send']:.0f} messages/s "
          f"(target >= 50), {timed['connections']} connection(s), ledger fsync per message")
    print(f"  our CPU: {timed['cpu'] / n * 1000:.1f} ms per message (both threads); the server alone, fed one "
          f"prepared {len(timed['message'].data) // 1024} KB message by plain smtplib: {ceiling:.0f} messages/s")
    print("  resident memory (MB) after N messages: "
          + ", ".join(f"{k}: {v:.1f}" for k, v in sorted(timed["samples"].items())))
    print("  Python heap under tracemalloc (MB):    "
          + ", ".join(f"{k}: {v:.2f}" for k, v in sorted(traced["samples"].items())))
    first, last = min(k for k in traced["samples"] if k), max(traced["samples"])
    growth = (traced["samples"][last] - traced["samples"][first]) * 1024
    print(f"  heap growth from {first} to {last} messages: {growth:+.0f} KB; "
          f"peak heap {traced['peak']:.1f} MB; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
