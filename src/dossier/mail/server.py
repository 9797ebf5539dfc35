"""Which SMTP server sends: publication.yaml's ``mail: smtp:``, the DOSSIER_SMTP_* variables over it,
the password from DOSSIER_SMTP_PASSWORD or the system's keyring.

Invariant: the password is never read from a file of the project (the model refuses a
``password:`` key); the keyring is optional (python ``keyring``: without it, or without a
keyring on the machine, only the environment gives the password).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from ..manifest.mail_settings import SmtpSettings
from ..project import Project
from .smtp import SmtpConfig

KEYRING_SERVICE = "dossier-smtp:{host}"  # the keyring entry: this service, the SMTP user as its user name


def keyring_password(host: str, user: str) -> str | None:
    """The password kept for ``user`` at ``host`` in the system's keyring; None without one."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE.format(host=host), user)
    except Exception:  # noqa: BLE001 - a keyring backend (D-Bus, KWallet…) fails in its own ways: then there is none
        return None


def smtp_config(settings: SmtpSettings | None, root: Path, environ: Mapping[str, str] | None = None,
                password_lookup: Callable[[str, str], str | None] = keyring_password) -> SmtpConfig:
    """The server to send with: each DOSSIER_SMTP_* variable that is set wins over ``mail.smtp``'s setting."""
    env = os.environ if environ is None else environ
    settings = settings or SmtpSettings()
    merged = {
        "DOSSIER_SMTP_HOST": settings.host or "",
        "DOSSIER_SMTP_PORT": str(settings.port or ""),
        "DOSSIER_SMTP_SECURITY": settings.security or "",
        "DOSSIER_SMTP_USER": settings.user or "",
        "DOSSIER_SMTP_CAFILE": str(root / settings.cafile) if settings.cafile else "",
    }
    merged |= {name: value for name, value in env.items() if name.startswith("DOSSIER_SMTP_") and value.strip()}
    host, user = merged["DOSSIER_SMTP_HOST"].strip(), merged["DOSSIER_SMTP_USER"].strip()
    if host and user and not merged.get("DOSSIER_SMTP_PASSWORD"):
        found = password_lookup(host, user)
        if found:
            merged["DOSSIER_SMTP_PASSWORD"] = found
    return SmtpConfig.from_environ(merged)


def server_for(project: Project, issue_ref: str | Path) -> SmtpConfig:
    """The server a numéro is sent with: its ``publication: mail: smtp:``, else publication.yaml's, under the environment."""
    from ..manifest.load import load_issue

    issue = load_issue(project, project.manifest_for(issue_ref))
    return smtp_config(issue.publication.mail.smtp, project.root)
