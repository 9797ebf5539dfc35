"""Network helpers shared by the preview server and the mail clients (SMTP, IMAP)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from .errors import DossierError
from .i18n import N_, _

NOT_A_PORT = N_("{variable}={port}: not a port number: use e.g. {example}")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def port_setting(environ: Mapping[str, str], variable: str, *, example: int) -> int | None:
    """The port an environment variable (DOSSIER_SMTP_PORT…) gives; None when it is unset or empty."""
    text = environ.get(variable, "").strip()
    if not text:
        return None
    if not (text.isdecimal() and 0 < int(text) < 65536):  # isdigit would take "²", which int refuses
        raise DossierError(_(NOT_A_PORT).format(variable=variable, port=text, example=example))
    return int(text)
