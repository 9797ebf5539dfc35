# ruff: noqa: F811 - test_send's fixtures (pdf, start_server, clean_smtp_environment) are imported, then asked for by name
"""Sending that says what happened: a message the server may have stored, and a server not taking mail for now.

Against real servers on loopback: aiosmtpd behind a proxy that swallows the server's reply
to the end of DATA (the message is stored, the client never hears it), aiosmtpd answering
421 or 451 to every recipient, and a relay whose greeting is 421.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import run
from mail_servers import DroppingProxy
from smtp_support import FaultyHandler, SmtpTestServer
from test_send import PARTNERS, clean_smtp_environment, ledger_records, pdf, start_server, write_partners  # noqa: F401

SEND = ("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")


@pytest.fixture
def behind_proxy(start_server: Callable, monkeypatch: pytest.MonkeyPatch
                 ) -> Iterator[Callable[..., tuple[SmtpTestServer, DroppingProxy]]]:
    """aiosmtpd behind a proxy that cuts the given connections right after the server accepted a message."""
    proxies = []

    def start(cuts: list[int]) -> tuple[SmtpTestServer, DroppingProxy]:
        server = start_server()
        proxy = DroppingProxy(server.port, cuts, cut_on=b"250 2.0.0 queued", keep=0)
        proxies.append(proxy)
        monkeypatch.setenv("DOSSIER_SMTP_PORT", str(proxy.port))
        return server, proxy

    yield start
    for proxy in proxies:
        proxy.close()


def test_a_connection_lost_after_the_end_of_data_is_uncertain_and_not_sent_again(
    project: Path, pdf: bytes, behind_proxy: Callable
) -> None:
    server, proxy = behind_proxy([1])  # the first connection is cut once the server has stored the first message
    first = run(*SEND)
    assert first.exit_code == 0, first.output
    assert proxy.cut == 1
    assert server.handler.to() == [e for e, _ in PARTNERS[:3]], "the server stored all three"
    lines = first.stdout.splitlines()
    assert lines[0].startswith("sent 2 of 3 pending messages")
    assert lines[1] == ("  1 message uncertain: the connection was lost after the whole message was sent, so the server "
                        "may have stored it; not sent again: jean.dupont@example.org")
    assert lines[2] == "  to send them again anyway (a partner may get it twice): --send --retry-uncertain"
    records = ledger_records(project)
    assert records["jean.dupont@example.org"].status == "uncertain"
    assert [records[e].status for e, _ in PARTNERS[1:3]] == ["sent", "sent"]

    again = run(*SEND)  # the rerun that used to deliver it a second time
    assert again.exit_code == 0, again.output
    assert server.handler.to() == [e for e, _ in PARTNERS[:3]], "nobody was sent it twice"
    assert again.stdout.splitlines()[1:] == [
        "  1 partner whose message may have arrived (uncertain) was left out",
        "  to send them again anyway (a partner may get it twice): --send --retry-uncertain",
    ]
    dry = run("send", "3", "--partners", "fake-partners.csv")
    assert "  1 partner whose message may have arrived (uncertain) was left out" in dry.stdout.splitlines()
    status = run("send", "3", "--partners", "fake-partners.csv", "--status").stdout.splitlines()
    assert status[1].startswith("  uncertain jean.dupont@example.org  ")
    assert "may have arrived (Connection unexpectedly closed" in status[1]
    assert status[-1] == "2 sent, 0 failed, 1 uncertain, 0 pending"

    retried = run(*SEND, "--retry-uncertain")
    assert retried.exit_code == 0, retried.output
    assert retried.stdout.startswith("sent 1 of 1 pending message")
    assert server.handler.to().count("jean.dupont@example.org") == 2  # asked for: the only way to a second copy
    assert ledger_records(project)["jean.dupont@example.org"].status == "sent"
    assert run(*SEND, "--retry-uncertain").stdout.startswith("nothing to send")


def test_the_uncertain_message_is_said_in_french(project: Path, pdf: bytes, behind_proxy: Callable) -> None:
    behind_proxy([1])
    result = run("--lang", "fr", *SEND)
    assert result.exit_code == 0, result.output
    assert "1 message incertain\u202f: la connexion a été perdue" in result.stdout
    assert "--send --retry-uncertain" in result.stdout


def test_421_on_every_recipient_pauses_the_run_at_once_and_the_rerun_continues(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    write_partners(project / "fake-partners.csv", PARTNERS)
    addresses = [e for e, _ in PARTNERS]
    server = start_server(FaultyHandler(refuse=dict.fromkeys(addresses, "421 4.7.0 too busy, try again later")))
    result = run(*SEND)
    assert result.exit_code == 75, result.output  # EX_TEMPFAIL: distinct from a refused partner's 1
    assert result.stderr.splitlines()[-1] == (
        f"127.0.0.1:{server.port} is not taking mail for now (421 4.7.0 too busy, try again later): none of the 5 "
        "messages was sent and recorded in .dossier/deliveries.sqlite; try again later: 5 left (the same command "
        "sends them)"
    )
    # 421 on the connection just opened: one try in all, not 7 tries for each of the 5 partners.
    assert sum(server.handler.rcpt_attempts.values()) == 1
    assert ledger_records(project) == {}

    french = run("--lang", "fr", *SEND)
    assert french.exit_code == 75
    assert french.stderr.splitlines()[-1].endswith("relancez plus tard\u202f: 5 restants (la même commande les envoie)")

    server.handler.refuse.clear()  # the relay is back
    resumed = run(*SEND)
    assert resumed.exit_code == 0, resumed.output
    assert server.handler.to() == addresses


def test_temporary_refusals_for_several_partners_in_a_row_pause_the_run(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    write_partners(project / "fake-partners.csv", PARTNERS)
    addresses = [e for e, _ in PARTNERS]
    server = start_server(FaultyHandler(refuse=dict.fromkeys(addresses, "451 4.3.0 local problem, try later")))
    result = run(*SEND)
    assert result.exit_code == 75, result.output
    assert result.stderr.splitlines()[-1] == (
        f"127.0.0.1:{server.port} is not taking mail for now (451 4.3.0 local problem, try later, for 3 partners in a "
        "row): none of the 5 messages was sent and recorded in .dossier/deliveries.sqlite; try again later: 5 left "
        "(the same command sends them)"
    )
    # The first partner has its retries (1 + 3 here); the next ones one try each; the last two none.
    assert [server.handler.rcpt_attempts[a] for a in addresses] == [4, 1, 1, 0, 0]

    server.handler.refuse.clear()
    resumed = run(*SEND)
    assert resumed.exit_code == 0, resumed.output
    assert server.handler.to() == addresses


def test_one_partner_refused_for_now_does_not_pause_the_others(project: Path, pdf: bytes, start_server: Callable) -> None:
    write_partners(project / "fake-partners.csv", PARTNERS)
    server = start_server(FaultyHandler(refuse={"marie@example.net": "452 4.2.2 mailbox full"}))
    result = run(*SEND)
    assert result.exit_code == 1  # a refused partner, not a paused run
    assert server.handler.to() == [e for e, _ in PARTNERS if e != "marie@example.net"]


class Greeting421:
    """A relay that answers every connection with 421 and hangs up, as an overloaded Postfix does."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with client:
                client.sendall(b"421 4.3.2 Service not available, closing transmission channel\r\n")

    def close(self) -> None:
        self.listener.close()


def test_421_at_the_greeting_pauses_before_any_message(project: Path, pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    relay = Greeting421()
    try:
        monkeypatch.setenv("DOSSIER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("DOSSIER_SMTP_PORT", str(relay.port))
        monkeypatch.setenv("DOSSIER_SMTP_SECURITY", "none")
        result = run(*SEND)
    finally:
        relay.close()
    assert result.exit_code == 75, result.output
    assert result.stderr.splitlines()[-1] == (
        f"127.0.0.1:{relay.port} is not taking mail for now (421 4.3.2 Service not available, closing transmission "
        "channel): none of the 3 messages was sent and recorded in .dossier/deliveries.sqlite; try again later: "
        "3 left (the same command sends them)"
    )
    assert relay.connections == 1
