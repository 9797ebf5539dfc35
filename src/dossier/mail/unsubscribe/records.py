"""The endpoint's file of unsubscribe requests: append-only, one JSON line each.

Invariants: a line is only ever appended, never rewritten; each is written whole by one
``write`` on a file opened with O_APPEND, under an operating-system lock (filelock) on
a file beside it, and flushed to disk before the endpoint answers; so several threads
or server processes may record at once. A line holds the token as received (checked),
the numéro, the partner's pseudonym and the time: no address, no IP address.
A reader takes every well-formed line and reports the others with their line number.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from ...i18n import N_
from .links import LinkToken

MAX_LINE = 512  # a record is about 120 bytes; anything longer was not written by the endpoint
LOCK_TIMEOUT = 30.0


@dataclass(frozen=True)
class Request:
    line: int
    token: str
    issue: int
    partner: str
    at: str


def append_request(path: Path, token: str, parsed: LinkToken) -> None:
    """Record one checked request, on disk before returning."""
    record = {"at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "token": token, "issue": parsed.issue,
              "partner": parsed.partner}
    line = (json.dumps(record, separators=(",", ":")) + "\n").encode("ascii")
    with FileLock(path.with_name(path.name + ".lock"), timeout=LOCK_TIMEOUT, mode=0o600):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)


def read_requests(path: Path) -> Iterator[Request | tuple[int, str]]:
    """Every request in the file, in order; a damaged line comes as (line number, what is wrong, untranslated)."""
    with path.open("rb") as lines:
        number = 0
        while raw := lines.readline(MAX_LINE + 1):
            number += 1
            if len(raw) > MAX_LINE:
                while raw and not raw.endswith(b"\n"):  # the rest of the long line, never held whole
                    raw = lines.readline(MAX_LINE + 1)
                yield number, N_("too long for a request record")
                continue
            try:
                record = json.loads(raw)
                yield Request(number, str(record["token"]), int(record["issue"]), str(record["partner"]),
                              str(record["at"]))
            except (ValueError, KeyError, TypeError):
                if raw.strip():
                    yield number, N_("not a request record")
