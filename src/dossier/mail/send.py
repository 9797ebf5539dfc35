"""Sending a prepared mailing: one connection, each accepted message recorded at once, resumable.

Invariants: the one-sender lock is held for the whole run and the ledger is read
again under it (a run started meanwhile has sent some); a message is recorded the
moment the server accepts it (committed while the next one goes: ``recording``), or
as uncertain when the connection was lost after its end (never sent again unless
``retry_uncertain``); the first Ctrl-C lets the message
in flight finish and be recorded, a second stops at once. However a run stops,
SendStopped says how many were sent and that the same command sends the rest; a
server that is not taking mail for now (421, unreachable, TEMPORARY_STREAK partners
in a row refused for now) pauses the run: SendPaused, its own exit code.
"""

from __future__ import annotations

import signal
import smtplib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import DossierError
from ..files import format_size
from ..i18n import _, ngettext
from ..manifest.model import email_address
from .compose import Composer, OutgoingMessage
from .delivery import InFlightInterrupt, SenderRefused, ServerUnavailable, StopFlag, Waits, deliver
from .ledger import Ledger, sending_lock
from .mailing import Mailing
from .partners import STANDARD_COLUMNS, Partner
from .recording import Recorder
from .reports import DeliveryEvent, SendReport
from .smtp import DeliveryUncertain, SmtpConfig, SmtpConnection, smtp_reply

RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)  # seconds between tries after a 4xx reply or a lost connection
# Partners in a row refused for now: the server, not their mailboxes (each after the first gets one try).
TEMPORARY_STREAK = 3
EX_TEMPFAIL = 75  # sysexits.h: a temporary failure, run again later


class SendFailures(DossierError):
    """Some partners were refused; the others were sent."""


class SendStopped(DossierError):
    """The run stopped before the end (Ctrl-C, a refused sender); the ledger has what was sent."""


class SendPaused(SendStopped):
    """The server is not taking mail for now: the run ended cleanly, the same command later sends the rest."""

    exit_code = EX_TEMPFAIL


def send_mailing(
    mailing: Mailing,
    smtp: SmtpConfig,
    *,
    rate: int | None = None,
    progress: Callable[[DeliveryEvent], None] | None = None,
    retry_delays: Sequence[float] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send every pending message, recording each in the ledger as soon as it is accepted.

    ``rate`` is messages per minute (default: the mail settings', else no limit); ``retry_delays``
    the waits before each new try after a temporary refusal or a lost connection (RETRY_DELAYS).
    """
    pending = mailing.pending
    report = SendReport(str(smtp), len(pending), mailing.already_sent, ledger=mailing.shown_ledger,
                        partner_list=mailing.partners.shown if mailing.partners else None, skipped=mailing.skipped,
                        uncertain_before=len(mailing.uncertain_left_out))
    if not pending:
        return report
    rate = rate or mailing.issue.publication.mail.rate
    recorder = Recorder()
    connection = SmtpConnection(smtp, before_end_of_data=recorder.wait)
    started = time.monotonic()
    with sending_lock(mailing.ledger_path, mailing.shown_ledger), Ledger.open(
        mailing.ledger_path, mailing.shown_ledger
    ) as book, _stop_on_interrupt() as stop_requested, _composed_ahead(mailing.composer, pending) as messages:
        waits = Waits(RETRY_DELAYS if retry_delays is None else retry_delays, sleep, stop_requested)
        batch = _Batch(mailing, connection, book, recorder, report, waits, 60.0 / rate if rate else 0.0, progress)
        batch.leave_out_sent_meanwhile(pending)
        try:
            try:
                batch.send_all(messages)
            finally:
                batch.recorder.close()  # the last record on disk before anything is said
        except (KeyboardInterrupt, DossierError, ServerUnavailable, SenderRefused) as exc:
            raise _stopped(exc, batch, smtp) from None
        finally:
            report.connections = connection.connections
            report.seconds = time.monotonic() - started
            connection.close()
    return report


@dataclass
class _Batch:
    """One sending run: its connection, ledger, report, waits and pace, and the partner in flight."""

    mailing: Mailing
    connection: SmtpConnection
    book: Ledger
    recorder: Recorder  # writes to ``book`` in its own thread, overlapping the next message
    report: SendReport
    waits: Waits
    interval: float  # seconds between the starts of two messages (0: no limit)
    progress: Callable[[DeliveryEvent], None] | None
    current: Partner | None = None  # whose message the server may be taking
    streak: int = 0  # partners in a row refused for now

    @property
    def list_name(self) -> str | None:
        return self.report.partner_list

    def leave_out_sent_meanwhile(self, pending: list[Partner]) -> None:
        """Another run may have sent some since the mailing was prepared: read the ledger again under the lock."""
        served = self.book.deliveries(self.mailing.issue.number)
        done = {"sent"} if self.mailing.retry_uncertain else {"sent", "uncertain"}
        pending[:] = [p for p in pending if getattr(served.get(p.key), "status", None) not in done]
        self.report.already_sent += self.report.total - len(pending)
        self.report.total = len(pending)

    def send_all(self, messages: Iterator[tuple[Partner, OutgoingMessage]]) -> None:
        next_start = time.monotonic()
        for partner, message in messages:
            self.current = partner
            wait = next_start - time.monotonic()
            if wait > 0:
                self.waits.pause(wait)
            if self.waits.stop_requested():
                raise KeyboardInterrupt
            next_start = max(next_start, time.monotonic()) + self.interval
            event = self.send_one(partner, message)
            self.current = None
            if self.progress is not None:
                self.progress(event)

    def send_one(self, partner: Partner, message: OutgoingMessage) -> DeliveryEvent:
        """Deliver one message and record its outcome in the ledger at once."""
        issue_number = self.mailing.issue.number
        sender = message.envelope_from or self.mailing.composer.sender.address  # VERP: names the recipient
        outcome = deliver(self.connection, sender, partner.email, message.data, self.report, self.waits,
                          retry=self.streak == 0)
        self.streak = self.streak + 1 if outcome.kind == "temporary" else 0
        if outcome.kind == "sent":
            self.recorder.record(self._record_sent, issue_number, partner.email, message.message_id)
            return DeliveryEvent(partner, "sent", message.message_id)
        if outcome.kind == "uncertain":
            self.recorder.record(self.book.record_uncertain, issue_number, partner.email, message.message_id,
                                 outcome.detail, self.list_name)
            self.report.uncertain.append(partner)
            return DeliveryEvent(partner, "uncertain", outcome.detail)
        self.recorder.record(self.book.record_failed, issue_number, partner.email, outcome.detail, self.list_name)
        self.report.failures.append((partner, outcome.detail))
        if self.streak >= TEMPORARY_STREAK:
            raise ServerUnavailable(_("{reply}, for {count} partners in a row").format(
                reply=outcome.detail, count=self.streak))
        return DeliveryEvent(partner, "failed", outcome.detail)

    def _record_sent(self, issue_number: int, address: str, message_id: str) -> None:
        """In the recording thread: counted as sent once on disk (the report is read after the last record)."""
        self.book.record_sent(issue_number, address, message_id, self.list_name)
        self.report.sent += 1


def _stopped(exc: BaseException, batch: _Batch, smtp: SmtpConfig) -> SendStopped:
    """Why the run stopped, how many were sent and recorded, and that the same command sends the rest."""
    report = batch.report
    done = ngettext("{sent} of {count} message sent and recorded in {ledger}",
                    "{sent} of {count} messages sent and recorded in {ledger}", report.total) if report.sent else \
        ngettext("the {count} message was not sent and recorded in {ledger}",
                 "none of the {count} messages was sent and recorded in {ledger}", report.total)
    done = done.format(sent=report.sent, count=report.total, ledger=report.ledger)
    server = f"{smtp.host}:{smtp.port}"
    if isinstance(exc, KeyboardInterrupt):
        in_flight = ""
        if isinstance(exc, InFlightInterrupt) and batch.current is not None:
            in_flight = _(" (the message to {address} was cut off while sending and may have arrived)").format(
                address=batch.current.email)
        left = report.total - report.sent - len(report.failures)
        return SendStopped(_("interrupted: {done}{in_flight}; run the same command again to send the other {left}").format(
            done=done, in_flight=in_flight, left=left))
    if isinstance(exc, DossierError):  # e.g. the login refused when reconnecting
        return SendStopped(exc.message + "\n" + _("{done}; run the same command again to send the rest").format(done=done))
    if isinstance(exc, ServerUnavailable):
        left = report.total - report.sent - len(report.uncertain)
        return SendPaused(_("{server} is not taking mail for now ({error}): {done}; try again later: {left} left "
                            "(the same command sends them)").format(server=server, error=exc, done=done, left=left))
    return SendStopped(_(
        "{server} refuses the sender {address} ({error}): check mail.from_address and that DOSSIER_SMTP_USER may send "
        "as it; {sent} of {count} sent and recorded"
    ).format(server=server, address=batch.mailing.composer.sender.address, error=exc, sent=report.sent, count=report.total))


@contextmanager
def _composed_ahead(composer: Composer, partners: list[Partner]) -> Iterator[Iterator[tuple[Partner, OutgoingMessage]]]:
    """The partners with their messages, the next one composed in a thread while the server takes this one.

    Composing is CPU work and the server's reply is a wait: overlapping them is most of
    the throughput. One message ahead at most, so memory stays flat. The list is read
    lazily: it may still be narrowed (under the sending lock) before the first message.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-compose")

    def messages() -> Iterator[tuple[Partner, OutgoingMessage]]:
        upcoming = pool.submit(composer.compose, partners[0]) if partners else None
        for index, partner in enumerate(partners):
            assert upcoming is not None
            message = upcoming.result()
            upcoming = pool.submit(composer.compose, partners[index + 1]) if index + 1 < len(partners) else None
            yield partner, message

    try:
        yield messages()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _stop_on_interrupt() -> Iterator[StopFlag]:
    """A first Ctrl-C lets the message in flight finish (and be recorded), then stops; a second stops at once."""
    flag = StopFlag()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum: int, frame: object) -> None:
        if flag.requested:
            raise KeyboardInterrupt
        flag.requested = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def send_test(mailing: Mailing, smtp: SmtpConfig, address: str) -> str:
    """Send one copy (of the first partner's message, if a list is given) to ``address`` only; not recorded."""
    try:
        address = email_address(address)
    except ValueError as exc:
        raise DossierError(f"--test: {exc}") from None  # exc: a translated message
    partner = mailing.partners.partners[0] if mailing.partners else Partner(
        address, 0, {**dict.fromkeys(STANDARD_COLUMNS, ""), "email": address}
    )
    message = mailing.composer.compose(partner, to=address, subject_prefix="[Test] ")  # understood in any language
    connection = SmtpConnection(smtp)
    try:
        connection.send(message.envelope_from or mailing.composer.sender.address, address, message.data)
    except DeliveryUncertain as exc:
        raise DossierError(_("{server}: the connection was lost after the whole test message was sent ({error}): it "
                             "may have arrived; look in {address}'s mailbox").format(
            server=f"{smtp.host}:{smtp.port}", error=exc, address=address)) from None
    except smtplib.SMTPResponseException as exc:
        raise _refused(smtp, address, smtp_reply(exc)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = exc.recipients.get(address, (0, b""))
        raise _refused(smtp, address, smtp_reply(smtplib.SMTPResponseException(code, text))) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DossierError(_("{server}: could not send the test message: {error}").format(
            server=f"{smtp.host}:{smtp.port}", error=exc)) from None
    finally:
        connection.close()
    shown = _(" (as {address} would receive it)").format(address=partner.email) if mailing.partners else ""
    return _("test message sent to {address}{shown} via {server}: {subject}, {size}").format(
        address=address, shown=shown, server=smtp, subject=message.subject, size=format_size(len(message.data)))


def _refused(smtp: SmtpConfig, address: str, reply: str) -> DossierError:
    return DossierError(_("{server}: the test message to {address} was refused: {reply}").format(
        server=f"{smtp.host}:{smtp.port}", address=address, reply=reply))
