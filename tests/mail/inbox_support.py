"""Mailboxes for the inbox tests: mbox files written with the standard library, the bounce corpus."""

from __future__ import annotations

import mailbox
from pathlib import Path

BOUNCES = Path(__file__).parent / "fixtures" / "bounces"


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    """An mbox file holding ``messages`` (raw bytes, as a mail client would export them)."""
    box = mailbox.mbox(path)
    box.lock()
    try:
        for raw in messages:
            box.add(raw)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return path


def corpus(name: str, **replace: str) -> bytes:
    """A message of tests/mail/fixtures/bounces/, with placeholders replaced (e.g. the Message-ID sent)."""
    text = (BOUNCES / name).read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.replace("\r\n", "\n").encode("utf-8")


def headers_of(raw: bytes) -> str:
    """The header block of a message as sent (what a DSN returns in text/rfc822-headers)."""
    return raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("utf-8")


def dsn(original: bytes, recipient: str, *, to: str, message_id: str, status: str = "5.1.1",
        action: str = "failed") -> bytes:
    """A delivery status notification (RFC 3464) as a receiving server returns it, to the envelope sender ``to``."""
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: {to}
Delivered-To: {to}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 4 May 2020 10:00:00 +0200
Message-ID: {message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="=_report"

--=_report
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.
I'm sorry to have to inform you that your message could not be delivered to {recipient}.

--=_report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 4 May 2020 09:59:58 +0200

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {'550' if status.startswith('5') else '450'} {status} refused

--=_report
Content-Type: text/rfc822-headers

{headers_of(original)}

--=_report--
""".encode()


def reply(sender: str, to: str, subject: str, body: str = "", *, message_id: str, extra: str = "") -> bytes:
    """A plain message as a partner's mail client sends it (the subject may carry encoded words)."""
    return (f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: Tue, 5 May 2020 08:00:00 +0200\n"
            f"Message-ID: {message_id}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            f"Content-Transfer-Encoding: 8bit\n{extra.rstrip(chr(10)) + chr(10) if extra else ''}\n{body}\n").encode()
