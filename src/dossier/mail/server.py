"""Which SMTP server sends (publication.yaml's ``mail.smtp``) and which mailbox ``dossier inbox`` reads
(``mail.imap``): the DOSSIER_SMTP_* / DOSSIER_IMAP_* variables over them, the password from
DOSSIER_SMTP_PASSWORD / DOSSIER_IMAP_PASSWORD or the system's keyring.

Invariant: the password is never read from a file of the project (the model refuses a
``password:`` key); the keyring is optional (python ``keyring``: without it, or without a
keyring on the machine, only the environment gives the password).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from ..manifest.mail_settings import ImapSettings, SmtpSettings
from ..project import Project
from .inbox.imap import ImapConfig
from .smtp import SmtpConfig

KEYRING_SERVICE = "dossier-smtp:{host}"  # the keyring entry: this service, the SMTP user as its user name
IMAP_KEYRING_SERVICE = "dossier-imap:{host}"  # the same for the mailbox dossier inbox reads


def keyring_password(host: str, user: str, service: str = KEYRING_SERVICE) -> str | None:
    """The password kept for ``user`` at ``host`` in the system's keyring; None without one."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(service.format(host=host), user)
    except Exception:  # noqa: BLE001 - a keyring backend (D-Bus, KWallet…) fails in its own ways: then there is none
        return None


def _imap_keyring_password(host: str, user: str) -> str | None:
    return keyring_password(host, user, IMAP_KEYRING_SERVICE)


def _merged(prefix: str, settings: dict[str, str], env: Mapping[str, str],
            password_lookup: Callable[[str, str], str | None]) -> dict[str, str]:
    """The file's settings under the environment's (each variable set wins), the password from the keyring if none."""
    merged = {prefix + name: value for name, value in settings.items()}
    merged |= {name: value for name, value in env.items() if name.startswith(prefix) and value.strip()}
    host, user = merged[prefix + "HOST"].strip(), merged[prefix + "USER"].strip()
    if host and user and not merged.get(prefix + "PASSWORD"):
        found = password_lookup(host, user)
        if found:
            merged[prefix + "PASSWORD"] = found
    return merged


def smtp_config(settings: SmtpSettings | None, root: Path, environ: Mapping[str, str] | None = None,
                password_lookup: Callable[[str, str], str | None] = keyring_password) -> SmtpConfig:
    """The server to send with: each DOSSIER_SMTP_* variable that is set wins over ``mail.smtp``'s setting."""
    settings = settings or SmtpSettings()
    return SmtpConfig.from_environ(_merged("DOSSIER_SMTP_", _common(settings, root), _environ(environ),
                                           password_lookup))


def imap_config(settings: ImapSettings | None, root: Path, environ: Mapping[str, str] | None = None,
                password_lookup: Callable[[str, str], str | None] = _imap_keyring_password) -> ImapConfig:
    """The mailbox ``dossier inbox`` reads: each DOSSIER_IMAP_* variable that is set wins over ``mail.imap``'s."""
    settings = settings or ImapSettings()
    return ImapConfig.from_environ(_merged("DOSSIER_IMAP_", _common(settings, root), _environ(environ),
                                           password_lookup))


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _common(settings: SmtpSettings | ImapSettings, root: Path) -> dict[str, str]:
    return {"HOST": settings.host or "", "PORT": str(settings.port or ""), "SECURITY": settings.security or "",
            "USER": settings.user or "", "CAFILE": str(root / settings.cafile) if settings.cafile else ""}


def server_for(project: Project, issue_ref: str | Path) -> SmtpConfig:
    """The server a numéro is sent with: its ``publication: mail: smtp:``, else publication.yaml's, under the environment."""
    from ..manifest.load import load_issue

    issue = load_issue(project, project.manifest_for(issue_ref))
    return smtp_config(issue.publication.mail.smtp, project.root)
