"""Benchmark: `dossier inbox` reading a large mbox against a ledger of many partners.

Builds, in a throw-away copy of the project, a ledger recording numéro 3 as sent to
N partners, and an mbox of M messages: DSNs (permanent and temporary) that return the
original headers with their X-Dossier-Recipient token, unsubscribe requests with a
token, and ordinary messages. Then runs read_inbox twice (the second run finds every
message already read) and prints messages per second and peak memory. Each message
is applied in its own committed transaction (fsync included), as in real use.
Target: at least 100 messages/s on the 2-core machine (a mailbox of a few hundred
replies after a numéro reads in seconds).

Then, each in a process of its own (peak memory is per process), one message that is
85 MB (a DSN returning our headers, then an 85 MB attachment) and one of 200,000 MIME
parts: each is read by its head only. Targets: under 5 s and 150 MB each.

Run from the project folder:  .venv/bin/python bench/bench_inbox.py [--partners 4000] [--messages 2000]
                              [--only mailbox|huge|parts]
"""

from __future__ import annotations

import argparse
import mailbox
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dossier.mail.inbox import read_inbox
from dossier.mail.ledger import Ledger
from dossier.mail.tokens import recipient_header, token
from dossier.project import Project
from sample import copy_sample  # bench/sample.py

SECRET = "bench-secret-0123456789abcdef"
MAIL_SETTINGS = "\nmail:\n  from_address: chaire@example.org\n  reply_to: contact@example.org\n"
DSN = """From: MAILER-DAEMON@mx.example.net
To: chaire@example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{n}@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Your message could not be delivered to {address}.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {address}
Action: {action}
Status: {status}

--b
Content-Type: text/rfc822-headers

From: chaire@example.org
To: {address}
Message-ID: <d03-{n}@example.org>
X-Dossier-Recipient: {header}

--b--
"""


def build(folder: Path, partners: int, messages: int) -> Project:
    copy_sample(folder)
    with (folder / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(MAIL_SETTINGS)
    addresses = [f"partner{i:05d}@example.org" for i in range(partners)]
    with Ledger.open(folder / ".dossier" / "deliveries.sqlite") as book, book.db:
        book.db.executemany(
            "INSERT INTO deliveries VALUES (3, ?, 'sent', ?, '2020-05-04T08:00:00Z', NULL, 'partners.csv')",
            [(a, f"<d03-{i}@example.org>") for i, a in enumerate(addresses)])
    secret = SECRET.encode()
    box = mailbox.mbox(folder / "inbox.mbox")
    for n in range(messages):
        address = addresses[n % partners]
        kind = n % 10
        if kind < 4 or kind in (6, 7):
            action, status = ("failed", "5.1.1") if kind < 4 else ("delayed", "4.2.2")
            raw = DSN.format(n=n, address=address, action=action, status=status,
                             header=recipient_header(3, address, token(secret, 3, address)))
        elif kind < 6 or kind == 8:
            raw = (f"From: {address}\nTo: contact@example.org\nMessage-ID: <u-{n}@example.org>\n"
                   f"Subject: unsubscribe-{token(secret, 3, address)}\n\n")
        else:
            raw = f"From: {address}\nTo: chaire@example.org\nMessage-ID: <q-{n}@example.org>\nSubject: Question\n\nBonjour\n"
        box.add(raw.encode())
    box.close()
    return Project(folder)


def one_big_message(folder: Path, kind: str) -> float:
    """An mbox of one huge message about partner00000's numéro 3 message; read it, return the seconds taken."""
    copy_sample(folder)
    with (folder / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(MAIL_SETTINGS)
    with Ledger.open(folder / ".dossier" / "deliveries.sqlite") as book:
        book.record_sent(3, "partner00000@example.org", "<d03-0@example.org>", "partners.csv")
    head = DSN.format(n=0, address="partner00000@example.org", action="failed", status="5.1.1",
                      header="partner00000@example.org; numero=3").replace("\n--b--\n", "\n").encode()
    with (folder / "inbox.mbox").open("wb") as out:
        out.write(b"From MAILER-DAEMON Mon May  4 10:00:00 2020\n" + head)
        if kind == "huge":  # 85 MB of base64, in lines of 76
            out.write(b"--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
            line = b"QUJD" * 19 + b"\n"
            for _ in range(85_000_000 // len(line)):
                out.write(line)
        else:
            for _ in range(200_000):
                out.write(b"--b\nContent-Type: text/plain\n\nx\n")
        out.write(b"--b--\n")
    size = (folder / "inbox.mbox").stat().st_size
    project = Project(folder)
    os.chdir(folder)
    started = time.perf_counter()
    report = read_inbox(project, mbox=folder / "inbox.mbox")
    seconds = time.perf_counter() - started
    label = "one 85 MB message" if kind == "huge" else "one message of 200,000 MIME parts"
    print(f"{label} ({size / 1e6:.1f} MB): {seconds:.2f} s")
    print(f"  {report.lines()[0].strip()}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=4000)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--only", choices=("mailbox", "huge", "parts"))
    args = parser.parse_args()
    os.environ["DOSSIER_SECRET"] = SECRET
    if args.only is None:
        for kind in ("mailbox", "huge", "parts"):
            subprocess.run([sys.executable, __file__, "--only", kind, "--partners", str(args.partners),
                            "--messages", str(args.messages)], check=True)
        return
    if args.only != "mailbox":
        with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
            one_big_message(Path(tmp), args.only)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak resident memory {peak:.1f} MB (target: under 5 s and 150 MB)")
        return
    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
        project = build(Path(tmp), args.partners, args.messages)
        cwd = Path.cwd()
        os.chdir(project.root)
        try:
            for label in ("first run", "second run (all read before)"):
                started = time.perf_counter()
                report = read_inbox(project, mbox=project.root / "inbox.mbox")
                seconds = time.perf_counter() - started
                summary = report.lines()[-2 if report.lines()[-1].startswith("  ") else -1]
                print(f"{label}: {args.messages} messages in {seconds:.2f} s = {args.messages / seconds:.0f}/s")
                print(f"  {summary}")
        finally:
            os.chdir(cwd)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.1f} MB ({args.partners} partners in the ledger)")


if __name__ == "__main__":
    main()
