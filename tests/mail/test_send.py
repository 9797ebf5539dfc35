"""Sending for real, to an aiosmtpd server on 127.0.0.1: delivery, faults, resumption, TLS and login."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import run
from dossier import mail
from dossier.mail import SendStopped, prepare_mailing, send_mailing
from dossier.mail import send as mail_send
from dossier.mail.ledger import Ledger, sending_lock
from dossier.mail.smtp import SmtpConfig
from dossier.project import Project
from smtp_support import FaultyHandler, SmtpTestServer, configure_mail, fake_pdf, self_signed_certificate

PARTNERS = [
    ("jean.dupont@example.org", "Jean Dupont"),
    ("marie@example.net", "Marie Curie"),
    ("bob@example.com", ""),
    ("alice@example.fr", "Alice"),
    ("omar@example.org", "Omar"),
]
PASSWORD = "pw-7f3a-never-shown"


def write_partners(path: Path, partners: list[tuple[str, str]]) -> Path:
    path.write_text("email,name\n" + "".join(f"{e},{n}\n" for e, n in partners), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def clean_smtp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DOSSIER_SMTP_"):
            monkeypatch.delenv(name)
    monkeypatch.setattr(mail_send, "RETRY_DELAYS", (0.01, 0.02, 0.05))  # the real back-off waits a minute in all


@pytest.fixture
def pdf(project: Path) -> bytes:
    configure_mail(project)
    write_partners(project / "fake-partners.csv", PARTNERS[:3])
    return fake_pdf(project)


@pytest.fixture
def start_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., SmtpTestServer]]:
    """Start a server (stopped after the test) and point DOSSIER_SMTP_* at it."""
    servers: list[SmtpTestServer] = []

    def start(handler: FaultyHandler | None = None, env: dict[str, str] | None = None, **kwargs: object) -> SmtpTestServer:
        server = SmtpTestServer(handler, **kwargs).start()  # type: ignore[arg-type]
        servers.append(server)
        for name, value in server.env(**(env or {})).items():
            monkeypatch.setenv(name, value)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def ledger_records(project: Path, issue: int = 3) -> dict:
    with Ledger.read(project / ".dossier" / "deliveries.sqlite") as book:
        return book.deliveries(issue)


def test_messages_arrive_whole_and_each_is_recorded(project: Path, pdf: bytes, start_server: Callable) -> None:
    server = start_server()
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"sent 3 of 3 pending messages via 127.0.0.1:{server.port} (unencrypted)")

    received = server.handler.received
    assert server.handler.to() == [e for e, _ in PARTNERS[:3]]
    assert server.handler.connections == 1, "one connection for the whole batch"
    records = ledger_records(project)
    for message, (address, name) in zip(received, PARTNERS[:3], strict=True):
        assert message.mail_from == "chaire@example.org"
        parsed = message.parsed()
        assert parsed["To"].addresses[0].addr_spec == address
        assert parsed["From"] == "Chaire A&NMT <chaire@example.org>"
        assert parsed["Reply-To"] == "contact@example.org"
        assert parsed["List-Unsubscribe"] == "<mailto:contact@example.org?subject=D%C3%A9sinscription>"
        assert [p.get_content_type() for p in parsed.walk()][2:4] == ["text/plain", "text/html"]
        greeting = f"Bonjour {name}," if name else "Bonjour,"
        assert parsed.get_body(("plain",)).get_content().startswith(greeting)
        (attachment,) = parsed.iter_attachments()
        assert attachment.get_content() == pdf
        assert records[address].status == "sent"
        assert records[address].message_id == parsed["Message-ID"]

    again = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert again.exit_code == 0
    assert again.stdout == "nothing to send: the 3 partners were all sent this numéro already (see --status)\n"
    assert len(server.handler.received) == 3


def test_a_renamed_reexported_list_mails_nobody_twice(project: Path, pdf: bytes, start_server: Callable) -> None:
    server = start_server()
    assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes").exit_code == 0
    # Re-exported from the spreadsheet: other file name, separator, column order and address case, one new row.
    (project / "fake-partners-2.csv").write_text(
        "Name;E-mail\nMarie;MARIE@example.NET\nNouvelle;alice@example.fr\nJean;Jean.Dupont@Example.org\n",
        encoding="utf-8",
    )
    result = run("send", "3", "--partners", "fake-partners-2.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert server.handler.to() == ["jean.dupont@example.org", "marie@example.net", "bob@example.com", "alice@example.fr"]
    assert "  2 partners already sent this numéro were left out" in result.stdout.splitlines()


def test_a_dropped_connection_is_reopened_and_nothing_is_sent_twice(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    write_partners(project / "fake-partners.csv", PARTNERS)
    server = start_server(FaultyHandler(drop_after=2, drop_times=1))
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert server.handler.drops == 1
    assert server.handler.to() == [e for e, _ in PARTNERS]
    assert "  0 temporary refusals retried, 2 connections to the server" in result.stdout.splitlines()


def test_a_run_cut_off_by_the_server_resumes_with_exactly_the_rest(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    write_partners(project / "fake-partners.csv", PARTNERS)
    server = start_server(FaultyHandler(drop_after=2, drop_times=1_000))
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    assert result.exit_code == 75  # EX_TEMPFAIL: not a failure of the list, try again later
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"127.0.0.1:{server.port} is not taking mail for now (")
    assert last.endswith("): 2 of 5 messages sent and recorded in .dossier/deliveries.sqlite; try again later: 3 left "
                         "(the same command sends them)")
    assert sorted(ledger_records(project)) == sorted(e for e, _ in PARTNERS[:2])

    server.handler.drop_times = 0  # the server is back
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("sent 3 of 3 pending messages")
    assert "  2 partners already sent this numéro were left out" in result.stdout.splitlines()
    assert server.handler.to() == [e for e, _ in PARTNERS]  # each exactly once, none skipped


def test_ctrl_c_stops_after_the_message_in_flight_and_the_rest_follows(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    server = start_server()
    mailing = prepare_mailing(Project.find(), "3", project / "fake-partners.csv")

    def press_ctrl_c(event: mail.DeliveryEvent) -> None:
        # Only with send_mailing's handler in place: the default one would stop pytest itself.
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(SendStopped) as stopped:
        send_mailing(mailing, SmtpConfig.from_environ(), progress=press_ctrl_c)
    assert stopped.value.format_message() == (
        "interrupted: 1 of 3 messages sent and recorded in .dossier/deliveries.sqlite; "
        "run the same command again to send the other 2"
    )
    assert server.handler.to() == ["jean.dupont@example.org"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler, "Ctrl-C handling is restored"

    assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes").exit_code == 0
    assert server.handler.to() == [e for e, _ in PARTNERS[:3]]


def test_a_temporary_refusal_is_retried(project: Path, pdf: bytes, start_server: Callable) -> None:
    server = start_server(FaultyHandler(refuse_first={"marie@example.net": ["451 4.7.1 greylisted, try again"]}))
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert server.handler.rcpt_attempts["marie@example.net"] == 2
    assert server.handler.to() == [e for e, _ in PARTNERS[:3]]
    assert "  1 temporary refusal retried, 1 connection to the server" in result.stdout.splitlines()


def test_a_refusal_that_lasts_is_recorded_as_a_failure(project: Path, pdf: bytes, start_server: Callable) -> None:
    server = start_server(FaultyHandler(refuse={"marie@example.net": "452 4.2.2 mailbox full"}))
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 1
    assert server.handler.rcpt_attempts["marie@example.net"] == 4  # 1 + len(RETRY_DELAYS)
    assert result.stderr.splitlines()[-2] == (
        "fake-partners.csv:3: marie@example.net: 452 4.2.2 mailbox full (still refused after 4 tries)"
    )


def test_a_permanent_refusal_is_recorded_and_the_others_are_sent(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    server = start_server(FaultyHandler(refuse={"marie@example.net": "550 5.1.1 no such mailbox"}))
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 1
    assert server.handler.to() == ["jean.dupont@example.org", "bob@example.com"]
    assert server.handler.rcpt_attempts["marie@example.net"] == 1, "a 5xx is not retried"
    assert result.stdout.startswith("sent 2 of 3 pending messages")
    assert result.stderr.splitlines()[-2:] == [
        "fake-partners.csv:3: marie@example.net: 550 5.1.1 no such mailbox",
        "1 of 3 partners could not be sent (recorded as failed; correct the addresses or wait, then run --send "
        "again to retry only them)",
    ]
    assert ledger_records(project)["marie@example.net"].reply == "550 5.1.1 no such mailbox"

    status = run("send", "3", "--partners", "fake-partners.csv", "--status")
    assert status.exit_code == 0
    lines = status.stdout.splitlines()
    assert lines[0] == "numéro 3, fake-partners.csv (3 partners), ledger .dossier/deliveries.sqlite"
    assert [line.split()[:2] for line in lines[1:4]] == [
        ["sent", "jean.dupont@example.org"], ["failed", "marie@example.net"], ["sent", "bob@example.com"]
    ]
    assert lines[2].endswith("550 5.1.1 no such mailbox")
    assert lines[-1] == "2 sent, 1 failed, 0 pending"
    everyone = run("send", "3", "--status").stdout.splitlines()  # without a list: the ledger's records
    assert everyone[0] == "numéro 3, all partner lists, ledger .dossier/deliveries.sqlite"
    assert sorted(line.split()[1] for line in everyone[1:-1]) == sorted(e for e, _ in PARTNERS[:3])
    assert everyone[-1] == "2 sent, 1 failed"

    del server.handler.refuse["marie@example.net"]  # the mailbox was created: a new --send tries only her
    assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes").exit_code == 0
    assert server.handler.to() == ["jean.dupont@example.org", "bob@example.com", "marie@example.net"]


def test_status_shows_pending_partners_and_those_of_other_lists(project: Path, pdf: bytes) -> None:
    with Ledger.open(project / ".dossier" / "deliveries.sqlite") as book:
        book.record_sent(3, "bob@example.com", "<1@example.org>", "old.csv")
        book.record_sent(3, "someone@example.org", "<2@example.org>", "old.csv")
    result = run("send", "3", "--partners", "fake-partners.csv", "--status")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["  pending  jean.dupont@example.org", "  pending  marie@example.net"]
    assert lines[-1] == (
        "1 sent, 0 failed, 2 pending; 1 more address in the ledger for this numéro is not in this list"
    )


def test_rate_limit_spaces_the_messages(project: Path, pdf: bytes, start_server: Callable) -> None:
    write_partners(project / "fake-partners.csv", PARTNERS[:4])
    start_server()
    started = time.monotonic()
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes", "--rate", "600")  # one per 0.1 s
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 0.3


def test_test_copy_goes_to_that_address_only_and_is_not_recorded(
    project: Path, pdf: bytes, start_server: Callable
) -> None:
    server = start_server()
    result = run("send", "3", "--partners", "fake-partners.csv", "--test", "me@example.org")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"test message sent to me@example.org (as jean.dupont@example.org would receive it) via 127.0.0.1:{server.port}"
    )
    (message,) = server.handler.received
    assert message.rcpt_tos == ["me@example.org"]
    parsed = message.parsed()
    assert parsed["Subject"].startswith("[Test] Dossier spécial n°3")
    assert parsed.get_body(("plain",)).get_content().startswith("Bonjour Jean Dupont,")
    assert not (project / ".dossier/deliveries.sqlite").exists()  # the build may keep its cache in .dossier/


def test_starttls_with_a_self_signed_certificate_and_login(
    project: Path, pdf: bytes, start_server: Callable, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_server(security="starttls", cert=certificate, users={"chaire": PASSWORD},
                          env={"DOSSIER_SMTP_USER": "chaire", "DOSSIER_SMTP_PASSWORD": PASSWORD})
    untrusted = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert untrusted.exit_code == 1
    assert untrusted.stderr.splitlines()[-2] == (
        f"127.0.0.1:{server.port}: the server's certificate is not trusted (self-signed certificate): if your "
        "organisation signs its own certificates, set DOSSIER_SMTP_CAFILE to its CA certificate"
    )
    assert server.handler.received == []

    monkeypatch.setenv("DOSSIER_SMTP_CAFILE", str(certificate[0]))  # trust it, as for an organisation's own CA
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert [(m.tls, m.user) for m in server.handler.received] == [(True, "chaire")] * 3
    assert f"via 127.0.0.1:{server.port} (starttls as chaire)" in result.stdout
    for text in (untrusted.output, result.output, (project / ".dossier/deliveries.sqlite").read_bytes().decode("latin-1")):
        assert PASSWORD not in text


def test_a_refused_login_names_the_variables_never_the_password(
    project: Path, pdf: bytes, start_server: Callable, certificate: tuple[Path, Path]
) -> None:
    wrong = PASSWORD + "-wrong"
    server = start_server(security="starttls", cert=certificate, users={"chaire": PASSWORD},
                          env={"DOSSIER_SMTP_USER": "chaire", "DOSSIER_SMTP_PASSWORD": wrong,
                               "DOSSIER_SMTP_CAFILE": str(certificate[0])})
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"127.0.0.1:{server.port}: login refused for user chaire (535 5.7.8 Authentication credentials invalid): "
        "check DOSSIER_SMTP_USER and DOSSIER_SMTP_PASSWORD",
        "none of the 3 messages was sent and recorded in .dossier/deliveries.sqlite; run the same command again "
        "to send the rest",
    ]
    assert wrong not in result.output and PASSWORD not in result.output
    assert server.handler.received == []
    assert PASSWORD not in repr(SmtpConfig.from_environ())


def test_implicit_tls(project: Path, pdf: bytes, start_server: Callable, certificate: tuple[Path, Path]) -> None:
    server = start_server(security="ssl", cert=certificate, env={"DOSSIER_SMTP_CAFILE": str(certificate[0])})
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 0, result.output
    assert [m.tls for m in server.handler.received] == [True] * 3


def test_one_sending_run_at_a_time(project: Path, pdf: bytes, start_server: Callable) -> None:
    server = start_server()
    ledger = project / ".dossier" / "deliveries.sqlite"
    with sending_lock(ledger, "x"):
        result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        ".dossier/deliveries.sqlite: another 'dossier send' is sending with this ledger: wait for it to finish"
    )
    assert server.handler.received == []


def test_sending_needs_the_server_settings(project: Path, pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("no SMTP server: to send, write it in publication.yaml")
    monkeypatch.setenv("DOSSIER_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("DOSSIER_SMTP_USER", "chaire")
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("no password for ")


def test_lines_starting_with_a_dot_arrive_intact(project: Path, pdf: bytes, start_server: Callable) -> None:
    # SMTP ends a message with a line holding one dot: such lines in the text must be escaped, and restored.
    with (project / "issues/03/issue.yaml").open("a", encoding="utf-8") as out:
        out.write("\npublication:\n  mail:\n    text: |\n      .\n      .. deux points\n      fin\n      .\n")
    pdf = fake_pdf(project)  # the manifest changed: this is the print of it now
    server = start_server()
    assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes", "--yes").exit_code == 0
    for message in server.handler.received:
        text = message.parsed().get_body(("plain",)).get_content()
        assert text.replace("\r\n", "\n") == ".\n.. deux points\nfin\n.\n"
        (attachment,) = message.parsed().iter_attachments()
        assert attachment.get_content() == pdf
