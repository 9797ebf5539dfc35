"""Benchmark: `dossier inbox` reading a large mbox against a ledger of many partners.

Builds, in a throw-away copy of the project, a ledger recording numéro 3 as sent to
N partners, and an mbox of M messages: DSNs (permanent and temporary) that return the
original headers with their X-Dossier-Recipient token, unsubscribe requests with a
token, and ordinary messages. Then runs read_inbox twice (the second run finds every
message already read) and prints messages per second and peak memory. Each message
is applied in its own committed transaction (fsync included), as in real use.
Target: at least 100 messages/s on the 2-core machine (a mailbox of a few hundred
replies after a numéro reads in seconds).

Run from the project folder:  .venv/bin/python bench/bench_inbox.py [--partners 4000] [--messages 2000]
"""

from __future__ import annotations

import argparse
import mailbox
import os
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=4000)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    os.environ["DOSSIER_SECRET"] = SECRET
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
