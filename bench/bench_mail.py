"""Benchmark: mailing 1,000 partners a 300 KB PDF through a loopback SMTP server, against the server's ceiling.

Runs `dossier send`'s library path (prepare_mailing, then send_mailing with the ledger
written per message, fsync included) against aiosmtpd's Sink handler in another process,
in a throw-away copy of the project whose PDF is a 300 KB random file recorded as the
build's (so the attachment really is that file: checked). The ceiling is plain smtplib
sending the same composed messages on one connection; the two alternate in rounds of one
interleaved run, so a machine busy elsewhere slows both alike. Prints messages per second,
the ratio (target >= 0.85), CPU per message, and memory as the batch goes: resident memory
and, in a second run under tracemalloc, the Python heap at 250 / 500 / 750 / 1,000 messages.

Run from the project folder:  .venv/bin/python bench/bench_mail.py [--partners 1000] [--pdf-kb 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
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
from dossier.manifest import load_issue
from dossier.press.cache import hash_inputs, record_build
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


def make_project(folder: Path, partners: int, pdf_kb: int) -> bytes:
    """The sample with mail settings, a partner list, and a random PDF the build cache takes for n°3's print."""
    copy_sample(folder)
    with (folder / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(MAIL_SETTINGS)
    project = Project(folder)
    manifest = project.manifest_for("3")
    html_path, pdf_path = project.output_paths(load_issue(project, manifest).slug)
    pdf = b"%PDF-1.7\n" + os.urandom(pdf_kb * 1024) + b"\n%%EOF\n"  # random: as incompressible as a real PDF
    html = b"<!DOCTYPE html><title>bench</title>\n"
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.write_bytes(pdf)
    html_path.write_bytes(html)
    inputs = hash_inputs(project, project.sources(load_issue(project, manifest)), draft_date=None, archive=False)
    record_build(project, manifest, inputs, {html_path: html, pdf_path: pdf}, pages=1, warnings=[], archive=False)
    write_partners(folder / "fake-partners.csv", range(partners))
    return pdf


def write_partners(path: Path, numbers: range) -> Path:
    rows = "".join(f"partner{i:05d}@example.org,Partenaire {i},Organisation {i}\n" for i in numbers)
    path.write_text("email,name,organisation\n" + rows, encoding="utf-8")
    return path


def rss_mb() -> float:
    """Current resident memory of this process."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def run_once(root: Path, smtp: SmtpConfig, partners: int, pdf: bytes, *, traced: bool) -> dict:
    forget_deliveries(root)
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
    check_attachment(mailing, pdf)
    prepared = time.perf_counter()
    samples[0] = measure()
    report = send_mailing(mailing, smtp, progress=progress)
    finished = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if traced else None
    if traced:
        tracemalloc.stop()
    if report.sent != partners or report.failures:
        raise SystemExit(f"only {report.sent} of {partners} sent: {report.failures[:3]}")
    return {"prepare": prepared - started, "send": finished - prepared, "samples": samples, "peak": peak}


def forget_deliveries(root: Path) -> None:
    """A fresh ledger for the next run (the build cache beside it stays: the PDF is not rebuilt)."""
    for path in (root / ".dossier").glob("deliveries.sqlite*"):
        path.unlink()


def check_attachment(mailing, pdf: bytes) -> None:  # noqa: ANN001 - a Mailing
    """The messages carry the bench's PDF, not a PDF the mailing built for itself."""
    attachment = mailing.composer.attachment
    if mailing.built is not None or attachment is None or attachment.data != pdf:
        raise SystemExit("the mailing does not attach the bench's PDF (it was rebuilt?): the figures would be wrong")


def interleaved(root: Path, smtp: SmtpConfig, partners: int, rounds: int, pdf: bytes) -> dict:
    """Our sender and plain smtplib, round after round, on the same partners' messages."""
    forget_deliveries(root)
    size = partners // rounds
    ours = ceiling = cpu = compose_cpu = plain_cpu = 0.0
    message_size = 0
    for number in range(rounds):
        listing = write_partners(root / f"round-{number}.csv", range(number * size, (number + 1) * size))
        mailing = prepare_mailing(Project(root), "3", listing)
        check_attachment(mailing, pdf)
        started = time.process_time()
        messages = [mailing.composer.compose(partner).data for partner in mailing.pending]
        compose_cpu += time.process_time() - started
        message_size = len(messages[0])
        if message_size < len(pdf) * 4 // 3:
            raise SystemExit(f"a message of {message_size} bytes cannot hold the {len(pdf)}-byte PDF")

        # Alternate who goes first, so a machine that speeds up or slows down favours neither.
        for ours_now in (True, False) if number % 2 == 0 else (False, True):
            if ours_now:
                started, started_cpu = time.perf_counter(), time.process_time()
                report = send_mailing(mailing, smtp)
                cpu += time.process_time() - started_cpu
                ours += time.perf_counter() - started
                if report.sent != size:
                    raise SystemExit(f"only {report.sent} of {size} sent: {report.failures[:3]}")
            else:
                started_cpu = time.process_time()
                ceiling += plain_smtplib(smtp, messages)
                plain_cpu += time.process_time() - started_cpu
    total = size * rounds
    return {"ours": total / ours, "ceiling": total / ceiling, "cpu": cpu / total, "compose": compose_cpu / total,
            "plain_cpu": plain_cpu / total,
            "size": message_size, "count": total}


def plain_smtplib(smtp: SmtpConfig, messages: list[bytes]) -> float:
    """Seconds plain smtplib takes to send these messages on one connection: what the server allows."""
    with smtplib.SMTP(smtp.host, smtp.port, local_hostname="localhost") as client:
        started = time.perf_counter()
        for data in messages:
            client.sendmail("chaire@example.org", ["partner@example.org"], data)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--pdf-kb", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-memory", action="store_true", help="skip the two memory runs (a quick check)")
    args = parser.parse_args()
    port = free_port()
    server = start_sink(port)
    smtp = SmtpConfig("127.0.0.1", port, "none")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-mail-") as tmp:
            root = Path(tmp)
            pdf = make_project(root, args.partners, args.pdf_kb)
            os.chdir(root)
            compared = interleaved(root, smtp, args.partners, args.rounds, pdf)
            if not args.no_memory:
                timed = run_once(root, smtp, args.partners, pdf, traced=False)
                traced = run_once(root, smtp, args.partners, pdf, traced=True)
    finally:
        server.terminate()
        server.wait()

    n = args.partners
    ratio = compared["ours"] / compared["ceiling"]
    print(f"{n} partners, {args.pdf_kb} KB attachment (messages of {compared['size'] // 1024} KB), loopback aiosmtpd "
          "(Sink) in another process")
    print(f"  interleaved, {args.rounds} rounds of {compared['count'] // args.rounds}: dossier send "
          f"{compared['ours']:.0f} messages/s (ledger fsync per message), plain smtplib with the same composed "
          f"messages {compared['ceiling']:.0f} messages/s: {ratio:.2f}x (target >= 0.85)")
    print(f"  our CPU: {compared['cpu'] * 1000:.1f} ms per message sent (both threads, the kernel's socket copies "
          f"included), of which composing {compared['compose'] * 1000:.1f} ms; plain smtplib's: "
          f"{compared['plain_cpu'] * 1000:.1f} ms")
    if args.no_memory:
        return
    print(f"  prepare (load, check, render all {n} messages once): {timed['prepare']:.2f} s; one run of {n}: "
          f"{timed['send']:.2f} s = {n / timed['send']:.0f} messages/s")
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
