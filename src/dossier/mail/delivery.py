"""One message to the server: retried after a temporary refusal or a lost connection, cut short by Ctrl-C.

A permanent refusal (5xx), or a temporary one that lasts, is the partner's outcome and
the batch goes on; a sender the server refuses, or a server that stays unreachable,
ends the batch (raised as SenderRefused / ConnectionLost).
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .reports import SendReport
from .smtp import SmtpConnection, smtp_reply


class ConnectionLost(Exception):
    """The server hung up and could not be reached again within the retries."""


class SenderRefused(Exception):
    """The server permanently refuses the From address: no message of the batch can go."""


class InFlightInterrupt(KeyboardInterrupt):
    """A second Ctrl-C cut a message off while the server was taking it."""


class StopFlag:
    """Set by a first Ctrl-C: stop before the next message."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested


@dataclass(frozen=True)
class Waits:
    """How a run waits: the back-off before each new try, the sleep it uses, the Ctrl-C that cuts waits short."""

    retry_delays: Sequence[float]
    sleep: Callable[[float], None]
    stop_requested: StopFlag

    def pause(self, seconds: float) -> None:
        """Wait, but not past a Ctrl-C: nothing is in flight while waiting."""
        end = time.monotonic() + seconds
        while not self.stop_requested():
            left = end - time.monotonic()
            if left <= 0:
                return
            self.sleep(min(left, 0.2))


def deliver(connection: SmtpConnection, sender: str, recipient: str, data: bytes, report: SendReport,
            waits: Waits) -> str | None:
    """Send one message; None when accepted, else the permanent (or persistent temporary) refusal."""
    attempt = 0
    while True:
        try:
            connection.send(sender, recipient, data)
            return None
        except KeyboardInterrupt:
            connection.drop()
            raise InFlightInterrupt from None
        except smtplib.SMTPSenderRefused as exc:
            if not 400 <= exc.smtp_code < 500:
                raise SenderRefused(smtp_reply(exc)) from None
            problem, lost = smtp_reply(exc), False
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (0, b""))
            reply = smtp_reply(smtplib.SMTPResponseException(code, text))
            if not 400 <= code < 500:
                return reply
            problem, lost = reply, False
        except (smtplib.SMTPConnectError, smtplib.SMTPHeloError) as exc:  # the session could not start
            connection.drop()
            problem, lost = smtp_reply(exc), True
        except smtplib.SMTPResponseException as exc:  # DATA refused, or RSET/STARTTLS answering 4xx
            # Before OSError: every SMTPException is an OSError, and a refusal is no lost connection.
            if not 400 <= exc.smtp_code < 500:
                return smtp_reply(exc)
            problem, lost = smtp_reply(exc), False
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            connection.drop()
            problem, lost = str(exc) or type(exc).__name__, True
        if attempt >= len(waits.retry_delays):
            if lost:
                raise ConnectionLost(problem)
            return f"{problem} (still refused after {attempt + 1} tries)"
        # A dropped connection is retried at once the first time: servers close idle or long sessions.
        delay = 0.0 if lost and attempt == 0 else waits.retry_delays[attempt]
        report.retries += 0 if lost else 1
        attempt += 1
        if delay:
            waits.pause(delay)
        if waits.stop_requested():
            raise KeyboardInterrupt
