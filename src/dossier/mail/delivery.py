"""One message to the server: retried after a temporary refusal or a lost connection, cut short by Ctrl-C.

Every attempt ends in one ``Outcome``: sent; refused for good (5xx); refused for now
(4xx, after the retries); or uncertain, when the connection was lost after the whole
message had gone (the server may have stored it: never sent again on its own).
What concerns the server rather than the partner ends the batch: a sender it refuses
(SenderRefused), a server that stays unreachable, or one that says it is not taking
mail (421 on a fresh connection: ServerUnavailable); the run then pauses, to be
resumed later, instead of spending minutes on each partner.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import DossierError
from .reports import SendReport
from .smtp import DeliveryUncertain, SmtpConnection, smtp_reply

SERVICE_NOT_AVAILABLE = 421  # RFC 5321: the server closes the channel, for every message alike


class ServerUnavailable(Exception):
    """The server is not taking mail for now (421, unreachable, or refusing several partners in a row)."""


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


@dataclass(frozen=True)
class Outcome:
    kind: Literal["sent", "failed", "temporary", "uncertain"]
    detail: str = ""  # the server's refusal, or how the connection was lost


SENT = Outcome("sent")


def deliver(connection: SmtpConnection, sender: str, recipient: str, data: bytes, report: SendReport,
            waits: Waits, *, retry: bool = True) -> Outcome:
    """Send one message and say what became of it; ``retry=False``: a temporary refusal is not tried again."""
    attempt = 0
    while True:
        opened = connection.connections
        try:
            connection.send(sender, recipient, data)
            return SENT
        except KeyboardInterrupt:
            connection.drop()
            raise InFlightInterrupt from None
        except DossierError:  # e.g. the previous record could not be written, cut in the middle of DATA
            connection.drop()
            raise
        except DeliveryUncertain as exc:
            connection.drop()
            return Outcome("uncertain", str(exc))
        except smtplib.SMTPSenderRefused as exc:
            if not 400 <= exc.smtp_code < 500:
                raise SenderRefused(smtp_reply(exc)) from None
            problem, lost = smtp_reply(exc), exc.smtp_code == SERVICE_NOT_AVAILABLE
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (0, b""))
            reply = smtp_reply(smtplib.SMTPResponseException(code, text))
            if not 400 <= code < 500:
                return Outcome("failed", reply)
            problem, lost = reply, code == SERVICE_NOT_AVAILABLE
        except (smtplib.SMTPConnectError, smtplib.SMTPHeloError) as exc:  # the session could not start
            connection.drop()
            if exc.smtp_code == SERVICE_NOT_AVAILABLE:
                raise ServerUnavailable(smtp_reply(exc)) from None  # a new connection told to come back later
            problem, lost = smtp_reply(exc), True
        except smtplib.SMTPResponseException as exc:  # DATA refused, or RSET/STARTTLS answering 4xx
            # Before OSError: every SMTPException is an OSError, and a refusal is no lost connection.
            if not 400 <= exc.smtp_code < 500:
                return Outcome("failed", smtp_reply(exc))
            problem, lost = smtp_reply(exc), exc.smtp_code == SERVICE_NOT_AVAILABLE
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            problem, lost = str(exc) or type(exc).__name__, True
        if lost:
            connection.drop()
            if problem.startswith(str(SERVICE_NOT_AVAILABLE)) and connection.connections > opened:
                raise ServerUnavailable(problem)  # 421 on the connection just opened: not a stale session
        if attempt >= len(waits.retry_delays) or not (retry or lost):
            if lost:
                raise ServerUnavailable(problem)
            return Outcome("temporary", f"{problem} (still refused after {attempt + 1} tries)" if attempt else problem)
        # A dropped connection is retried at once the first time: servers close idle or long sessions.
        delay = 0.0 if lost and attempt == 0 else waits.retry_delays[attempt]
        report.retries += 0 if lost else 1
        attempt += 1
        if delay:
            waits.pause(delay)
        if waits.stop_requested():
            raise KeyboardInterrupt
