"""The SMTP side of mailing: server settings (``server.smtp_config`` merges publication.yaml's and the
environment's), and one reusable connection.

The password comes from DOSSIER_SMTP_PASSWORD or the keyring, never a file, and is never
printed: it is left out of reprs and of every message.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import DossierError
from ..i18n import _
from ..net import is_loopback, port_setting

SMTP_TIMEOUT = 60.0
Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpConfig:
    """The SMTP server, from DOSSIER_SMTP_* environment variables (the password never from a file)."""

    host: str
    port: int
    security: Security
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None  # a CA certificate to trust besides the system's (DOSSIER_SMTP_CAFILE)
    timeout: float = SMTP_TIMEOUT

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SmtpConfig:
        env = os.environ if environ is None else environ
        host = env.get("DOSSIER_SMTP_HOST", "").strip()
        if not host:
            raise DossierError(_(
                "no SMTP server: to send, write it in publication.yaml under mail.smtp (`host: smtp.example.org`, "
                "`user: chaire@example.org`), and give the password in DOSSIER_SMTP_PASSWORD or the keyring "
                "(without --send or --test nothing is sent and no server is needed)"
            ))
        security = env.get("DOSSIER_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
        if security not in DEFAULT_PORTS:
            raise DossierError(_(
                "mail.smtp.security (or DOSSIER_SMTP_SECURITY) is {security}: not a security mode: use starttls "
                "(port 587), ssl (465) or none (a relay on this machine only)"
            ).format(security=security))
        port = port_setting(env, "DOSSIER_SMTP_PORT", example=587) or DEFAULT_PORTS[security]
        user = env.get("DOSSIER_SMTP_USER", "").strip() or None
        password = env.get("DOSSIER_SMTP_PASSWORD") or None
        if user and not password:
            raise DossierError(_("no password for {user} at {host}: set DOSSIER_SMTP_PASSWORD, or keep it in the "
                                 "system's keyring (keyring set dossier-smtp:{host} {user})").format(user=user, host=host))
        if password and not user:
            raise DossierError(_("DOSSIER_SMTP_PASSWORD is set but no user: set mail.smtp.user in publication.yaml "
                                 "(or DOSSIER_SMTP_USER), or unset the password"))
        if user and security == "none" and not is_loopback(host):
            raise DossierError(_("mail.smtp.security none would send the password unencrypted to {host}: "
                                 "use starttls or ssl").format(host=host))
        cafile = env.get("DOSSIER_SMTP_CAFILE", "").strip() or None
        if cafile and not Path(cafile).is_file():
            raise DossierError(_("mail.smtp.cafile (or DOSSIER_SMTP_CAFILE) {file}: no such file: give the CA "
                                 "certificate (PEM) to trust").format(file=cafile))
        return cls(host, port, security, user, password, cafile)  # type: ignore[arg-type]

    def __str__(self) -> str:
        who = _(" as {user}").format(user=self.user) if self.user else ""
        security = _("unencrypted") if self.security == "none" else self.security
        return f"{self.host}:{self.port} ({security}{who})"


class DeliveryUncertain(Exception):
    """The whole message went, then the connection was lost before the server's reply: it may have been stored."""


_BARE_LINE_END = re.compile(rb"\r\n|\r|\n")


class _DataOurWay:
    """smtplib's DATA, with the dot-stuffing done by bytes.replace and the end of DATA told apart.

    smtplib escapes leading dots with a multi-line regex that costs more than composing
    the message (2 ms for 400 KB); our messages end lines with CRLF, where replace is
    exact (others are normalised first, as smtplib does). A connection lost while waiting
    for the reply to the final dot is not a lost connection like the others: the server
    had the whole message and may have stored it (DeliveryUncertain).
    """

    def data(self, msg: bytes | str) -> tuple[int, bytes]:  # type: ignore[override]
        if isinstance(msg, str):
            msg = msg.encode("ascii")
        if msg.count(b"\n") != msg.count(b"\r\n") or msg.count(b"\r") != msg.count(b"\n"):
            msg = _BARE_LINE_END.sub(b"\r\n", msg)
        self.putcmd("data")  # type: ignore[attr-defined]
        code, reply = self.getreply()  # type: ignore[attr-defined]
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        stuffed = (b"." if msg.startswith(b".") else b"") + msg.replace(b"\r\n.", b"\r\n..")
        if not stuffed.endswith(b"\r\n"):
            stuffed += b"\r\n"
        self.send(stuffed)  # type: ignore[attr-defined]
        # The previous message's record reaches the disk while this one went; it must be there before this one
        # can be accepted (a failure raises here, and the server never gets the end of this message).
        before_end = getattr(self, "before_end_of_data", None)
        if before_end is not None:
            before_end()
        self.send(b".\r\n")  # type: ignore[attr-defined]
        try:
            return self.getreply()  # type: ignore[attr-defined]
        except OSError as exc:  # SMTPServerDisconnected (a timeout included) is one
            raise DeliveryUncertain(str(exc) or type(exc).__name__) from None


class _SMTP(_DataOurWay, smtplib.SMTP):
    pass


class _SMTP_SSL(_DataOurWay, smtplib.SMTP_SSL):
    pass


class SmtpConnection:
    """One connection reused for the whole batch; ``send`` reconnects when it was dropped."""

    def __init__(self, config: SmtpConfig, before_end_of_data: Callable[[], None] | None = None) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        self.connections = 0
        self.before_end_of_data = before_end_of_data  # called before each message's final dot

    @property
    def is_open(self) -> bool:
        return self._smtp is not None and self._smtp.sock is not None

    def open(self) -> None:
        """Connect, secure and log in. DossierError for what retrying cannot fix; OSError otherwise."""
        config = self.config
        context = ssl.create_default_context(cafile=config.cafile)
        # local_hostname given: smtplib would otherwise look up our name (a DNS query) for EHLO.
        smtp_class = _SMTP_SSL if config.security == "ssl" else _SMTP
        kwargs = {"context": context} if config.security == "ssl" else {}
        smtp = None
        try:
            # The host goes to the constructor: smtplib checks the certificate against that name.
            smtp = smtp_class(config.host, config.port, local_hostname="localhost", timeout=config.timeout, **kwargs)
            smtp.ehlo(_address_literal(smtp))
            if config.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DossierError(_(
                        "{server} does not offer STARTTLS: in publication.yaml set mail.smtp.security to ssl (port "
                        "465), or to none for a relay on this machine (localhost), or ask for the server's submission port"
                    ).format(server=f"{config.host}:{config.port}"))
                smtp.starttls(context=context)
                smtp.ehlo(_address_literal(smtp))
            if config.user:
                smtp.login(config.user, config.password or "")
        except ssl.SSLCertVerificationError as exc:
            if smtp is not None:
                _close_quietly(smtp)
            raise DossierError(_(
                "{server}: the server's certificate is not trusted ({error}): if your organisation signs its own "
                "certificates, set DOSSIER_SMTP_CAFILE to its CA certificate"
            ).format(server=f"{config.host}:{config.port}", error=exc.verify_message)) from None
        except smtplib.SMTPAuthenticationError as exc:
            if smtp is not None:
                _close_quietly(smtp)
            raise DossierError(_(
                "{server}: login refused for user {user} ({reply}): check DOSSIER_SMTP_USER and DOSSIER_SMTP_PASSWORD"
            ).format(server=f"{config.host}:{config.port}", user=config.user, reply=smtp_reply(exc))) from None
        except smtplib.SMTPNotSupportedError:
            if smtp is not None:
                _close_quietly(smtp)
            raise DossierError(_(
                "{server} offers no login (AUTH) on this connection: unset DOSSIER_SMTP_USER and DOSSIER_SMTP_PASSWORD, "
                "or use starttls or ssl"
            ).format(server=f"{config.host}:{config.port}")) from None
        except BaseException:
            if smtp is not None:
                _close_quietly(smtp)
            raise
        self._smtp = smtp
        self.connections += 1

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        if not self.is_open:
            self.open()
        assert self._smtp is not None
        self._smtp.before_end_of_data = self.before_end_of_data  # type: ignore[attr-defined]
        self._smtp.sendmail(sender, [recipient], message)

    def drop(self) -> None:
        """Forget a connection that failed (without the QUIT it could not answer)."""
        if self._smtp is not None:
            _close_quietly(self._smtp, polite=False)
        self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            _close_quietly(self._smtp)
        self._smtp = None


def _address_literal(smtp: smtplib.SMTP) -> str:
    # EHLO with our address literal, as Thunderbird does: no host name leaked or looked up.
    try:
        ip = ipaddress.ip_address(smtp.sock.getsockname()[0])
    except (AttributeError, OSError, ValueError):
        return "localhost"
    return f"[IPv6:{ip}]" if ip.version == 6 else f"[{ip}]"


def _close_quietly(smtp: smtplib.SMTP, *, polite: bool = True) -> None:
    try:
        if polite and smtp.sock is not None:
            smtp.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        smtp.close()


def smtp_reply(exc: smtplib.SMTPResponseException) -> str:
    """A server's reply as one line: '550 5.1.1 no such mailbox'."""
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}".strip()
