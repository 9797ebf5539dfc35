"""The Chaire's mailbox over IMAP: settings from publication.yaml's mail.imap under DOSSIER_IMAP_*
(``mail.server.imap_config``), read-only unless --mark.

Invariants: the folder is selected read-only and bodies are fetched with BODY.PEEK, so
reading flags nothing; only ``mark`` (--mark) sets \\Seen. A dropped connection is
reopened (RECONNECTS times) and reading goes on at the same UID (RECONNECTS times in a row at most); the password is never
printed.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import os
import re
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from ...errors import DossierError
from ...i18n import _
from ...net import is_loopback, port_setting
from .sources import HEAD_LIMIT, MailboxMessage

IMAP_TIMEOUT = 60.0
RECONNECTS = 3
FETCH_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
T = TypeVar("T")


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    security: str
    user: str
    password: str = field(repr=False)
    cafile: str | None = None
    timeout: float = IMAP_TIMEOUT

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ImapConfig:
        env = os.environ if environ is None else environ
        host = env.get("DOSSIER_IMAP_HOST", "").strip()
        if not host:
            raise DossierError(_("give a mailbox: --mbox FILE, --maildir DIR, or the IMAP server in publication.yaml "
                                 "under mail.imap (`host: imap.example.org`, `user: chaire@example.org`), with "
                                 "the password in DOSSIER_IMAP_PASSWORD or the keyring"))
        security = env.get("DOSSIER_IMAP_SECURITY", "ssl").strip().lower() or "ssl"
        if security not in DEFAULT_PORTS:
            raise DossierError(_("mail.imap.security (or DOSSIER_IMAP_SECURITY) is {security}: not a security mode: "
                                 "use ssl (port 993), starttls (143) or none (a server on this machine only)").format(
                security=security))
        port = port_setting(env, "DOSSIER_IMAP_PORT", example=993)
        user = env.get("DOSSIER_IMAP_USER", "").strip()
        password = env.get("DOSSIER_IMAP_PASSWORD", "")
        if not user:
            raise DossierError(_("no user for the mailbox at {host}: set mail.imap.user in publication.yaml (or "
                                 "DOSSIER_IMAP_USER)").format(host=host))
        if not password:
            raise DossierError(_("no password for {user} at {host}: set DOSSIER_IMAP_PASSWORD, or keep it in the "
                                 "system's keyring (keyring set dossier-imap:{host} {user})").format(user=user, host=host))
        if security == "none" and not is_loopback(host):
            raise DossierError(_("mail.imap.security none would send the password unencrypted to {host}: use ssl or "
                                 "starttls").format(host=host))
        cafile = env.get("DOSSIER_IMAP_CAFILE", "").strip() or None
        return cls(host, port or DEFAULT_PORTS[security], security, user, password, cafile)

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({self.security} as {self.user})"


class ImapSource:
    """One folder of an IMAP mailbox, message by message (by UID)."""

    def __init__(self, config: ImapConfig, folder: str = "INBOX", *, writable: bool = False) -> None:
        self.config = config
        self.folder = folder
        self.writable = writable
        self.name = f"{folder} on {config.host}"
        self.reconnects = 0
        self._imap: imaplib.IMAP4 | None = None
        self._validity: bytes | None = None

    def messages(self) -> Iterator[MailboxMessage]:
        uids = self._retrying(self._search)
        for uid in uids:
            fetched = self._retrying(lambda uid=uid: self._fetch(uid))
            if fetched is not None:  # None: deleted meanwhile
                raw, size = fetched
                # Only the head is fetched: a digest of all of it would need all of it; the size stands in.
                digest = hashlib.sha256(raw if size <= len(raw) else raw + b"\0%d" % size).hexdigest()
                yield MailboxMessage(f"{self.folder} uid {uid.decode()}", raw, uid.decode(), max(size, len(raw)), digest)

    def mark(self, message: MailboxMessage) -> None:
        self._retrying(lambda: self._ok(self._session().uid("STORE", message.key, "+FLAGS", r"(\Seen)")))

    def close(self) -> None:
        if self._imap is not None:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                self._imap.logout()
            self._imap = None

    def _retrying(self, action: Callable[[], T]) -> T:
        """Run ``action``; on a dropped connection, reconnect and run it again (RECONNECTS times without progress)."""
        failures = 0
        while True:
            try:
                return action()
            except (imaplib.IMAP4.abort, OSError) as exc:
                self._drop()
                failures += 1
                if failures > RECONNECTS:
                    raise DossierError(_("{server}: lost the connection to the mailbox {failures} times in a row "
                                         "({error}): what was read is recorded; run the same command again later to "
                                         "read the rest").format(server=f"{self.config.host}:{self.config.port}",
                                                                 failures=failures, error=exc or type(exc).__name__)) from None
                self.reconnects += 1

    def _session(self) -> imaplib.IMAP4:
        if self._imap is None:
            self._imap = self._connect()
        return self._imap

    def _search(self) -> list[bytes]:
        data = self._ok(self._session().uid("SEARCH", None, "ALL"))
        return data[0].split() if data and data[0] else []

    def _fetch(self, uid: bytes) -> tuple[bytes, int] | None:
        """The message's first HEAD_LIMIT bytes and its whole size (the rest is never transferred)."""
        data = self._ok(self._session().uid("FETCH", uid, f"(RFC822.SIZE BODY.PEEK[]<0.{HEAD_LIMIT}>)"))
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                size = FETCH_SIZE.search(item[0])
                return item[1], int(size.group(1)) if size else len(item[1])
        return None

    def _ok(self, reply: tuple[str, list]) -> list:
        status, data = reply
        if status != "OK":
            raise DossierError(_("{name}: the server refused: {reply}").format(name=self.name, reply=_text(data)))
        return data

    def _connect(self) -> imaplib.IMAP4:
        config = self.config
        context = ssl.create_default_context(cafile=config.cafile)
        try:
            if config.security == "ssl":
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=context,
                                                        timeout=config.timeout)
            else:
                imap = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
                if config.security == "starttls":
                    imap.starttls(ssl_context=context)
        except ssl.SSLCertVerificationError as exc:
            raise DossierError(_("{host}:{port}: the server's certificate is not trusted ({error}): set "
                                 "DOSSIER_IMAP_CAFILE to your organisation's CA").format(
                host=config.host, port=config.port, error=exc.verify_message)) from None
        except (OSError, imaplib.IMAP4.error) as exc:
            if self._validity is not None:
                raise imaplib.IMAP4.abort(str(exc)) from None  # reconnecting: retried by _retrying
            raise DossierError(_("{host}:{port}: cannot reach the mailbox ({error})").format(
                host=config.host, port=config.port, error=exc)) from None
        try:
            imap.login(config.user, config.password)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error:
            raise DossierError(_("{host}:{port}: login refused for {user}: check DOSSIER_IMAP_USER and "
                                 "DOSSIER_IMAP_PASSWORD").format(host=config.host, port=config.port, user=config.user)) from None
        self._select(imap)
        return imap

    def _select(self, imap: imaplib.IMAP4) -> None:
        status, data = imap.select(_quoted(self.folder), readonly=not self.writable)
        if status != "OK":
            raise DossierError(_("{host}: no folder '{folder}' ({reply}): check --folder").format(
                host=self.config.host, folder=self.folder, reply=_text(data)))
        validity = (imap.untagged_responses.get("UIDVALIDITY") or [b""])[0]
        if self._validity is not None and validity != self._validity:
            raise DossierError(_("{name}: the folder was recreated while reading it: run the same command again").format(
                name=self.name))
        self._validity = validity

    def _drop(self) -> None:
        if self._imap is not None:
            with contextlib.suppress(OSError):
                self._imap.shutdown()
            self._imap = None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data: list) -> str:
    return " ".join(item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item) for item in data or [])
