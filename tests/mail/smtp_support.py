"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), with faults on demand.

The handler records what it accepts and can refuse recipients (4xx/5xx), drop
connections after N messages, require STARTTLS and AUTH.
"""

from __future__ import annotations

import email
import email.policy
import os
import socket
import ssl
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    user: str | None

    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class FaultyHandler:
    """aiosmtpd handler: accepts mail, except where told to refuse or hang up."""

    received: list[Received] = field(default_factory=list)
    rcpt_attempts: Counter = field(default_factory=Counter)
    refuse: dict[str, str] = field(default_factory=dict)  # address → reply given every time
    refuse_first: dict[str, list[str]] = field(default_factory=dict)  # address → replies given once each, in turn
    refuse_data: dict[str, str] = field(default_factory=dict)  # address → reply to the message's DATA
    drop_after: int | None = None  # hang up at MAIL once this many messages were accepted…
    drop_times: int = 1  # …this many times (a large number: the server stays unusable)
    drops: int = 0
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: ANN001, ANN201
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, ANN201
        if self.drop_after is not None and len(self.received) >= self.drop_after and self.drops < self.drop_times:
            self.drops += 1
            server.transport.close()
            return "421 4.3.2 going away"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        self.rcpt_attempts[address] += 1
        if address in self.refuse:
            return self.refuse[address]
        queue = self.refuse_first.get(address)
        if queue:
            return queue.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        for address in envelope.rcpt_tos:
            if address in self.refuse_data:
                return self.refuse_data[address]
        user = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, tls, user))
        return "250 2.0.0 queued"

    def to(self) -> list[str]:
        """Every accepted recipient, in order (a duplicate delivery shows twice)."""
        return [rcpt for message in self.received for rcpt in message.rcpt_tos]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


class SmtpTestServer:
    """A running loopback server; ``env()`` gives the DOSSIER_SMTP_* variables to reach it."""

    def __init__(self, handler: FaultyHandler | None = None, *, security: str = "none",
                 cert: tuple[Path, Path] | None = None, users: dict[str, str] | None = None) -> None:
        self.handler = handler or FaultyHandler()
        self.security = security
        self.port = free_port()
        self.users = users or {}
        kwargs: dict = {}
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*cert)
            if security == "ssl":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        if users:
            kwargs.update(authenticator=self._authenticate, auth_required=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001
        ok = isinstance(auth_data, LoginPassword) and self.users.get(auth_data.login.decode()) == \
            auth_data.password.decode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def start(self) -> SmtpTestServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def env(self, **extra: str) -> dict[str, str]:
        return {"DOSSIER_SMTP_HOST": "127.0.0.1", "DOSSIER_SMTP_PORT": str(self.port),
                "DOSSIER_SMTP_SECURITY": self.security, **extra}


MAIL_SETTINGS = """
mail:
  from_name: Chaire A&NMT
  from_address: chaire@example.org
  reply_to: contact@example.org
"""


def configure_mail(root: Path, settings: str = MAIL_SETTINGS) -> None:
    """Give a copy of the project the mail settings the sample's publication.yaml leaves out."""
    with (root / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write(settings)


def fake_pdf(root: Path, size: int = 40_000) -> bytes:
    """Put a PDF in output/ that the build cache takes for the print of n°3's current sources.

    So no test waits for a real build; call it after the last change to the sources.
    """
    from dossier.manifest import load_issue
    from dossier.press.cache import hash_inputs, record_build
    from dossier.project import Project

    data = b"%PDF-1.7\n" + os.urandom(size) + b"\n%%EOF\n"
    project = Project(root)
    manifest = project.manifest_for("3")
    issue = load_issue(project, manifest)
    html_path, pdf_path = project.output_paths(issue.slug)
    html = b"<!DOCTYPE html><title>fake</title>\n"
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_bytes(html)
    pdf_path.write_bytes(data)
    inputs = hash_inputs(project, project.sources(issue), draft_date=None, archive=False)
    record_build(project, manifest, inputs, {html_path: html, pdf_path: data}, pages=1, warnings=[], archive=False)
    return data


@contextmanager
def keyring_holding(store: dict[tuple[str, str], str]) -> Iterator[None]:
    """The real ``keyring`` library over an in-memory backend holding ``store`` ((service, user) → password)."""
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
