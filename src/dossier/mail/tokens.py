"""Per-message tokens and VERP addresses: who a reply or a bounce is about, without guessing.

A token is an HMAC-SHA256 of the numéro and the lower-cased address, keyed with
DOSSIER_SECRET (an environment variable: never in the repository), cut to 20 base32
characters (100 bits). It cannot be guessed without the secret, and it is only
honoured for a message the ledger records as sent: the numéro and address it was
made for. Without DOSSIER_SECRET messages carry no token (replies are then matched
by their sender's address only).

VERP: with ``mail.bounce_address`` set (bounces@example.org), the message to
jean@example.net goes with the envelope sender bounces+jean=example.net@example.org,
so a returned message says by its own address whom it is about. With DOSSIER_SECRET
the VERP address also carries a tag, an HMAC of the address (16 base32 characters,
80 bits): bounces+jean=example.net=k3…@example.org. Only a tagged address that
verifies is evidence (``signed_verp_recipient``); an untagged one is a claim anybody
can make by writing to it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Mapping

from ..errors import DossierError
from ..i18n import _

SECRET_VARIABLE = "DOSSIER_SECRET"
MIN_SECRET_LENGTH = 16
TOKEN_LENGTH = 20
UNSUBSCRIBE_PREFIX = "unsubscribe-"
MAX_LOCAL_PART = 64  # RFC 5321: a longer VERP local part would be refused
VERP_TAG_LENGTH = 16
_VERP_TAG = re.compile(f"[a-z2-7]{{{VERP_TAG_LENGTH}}}")


def secret_from_environ(environ: Mapping[str, str] | None = None) -> bytes | None:
    """DOSSIER_SECRET as bytes, None when unset; a secret too short to protect anything is an error."""
    value = (os.environ if environ is None else environ).get(SECRET_VARIABLE, "")
    if not value:
        return None
    if len(value) < MIN_SECRET_LENGTH:
        raise DossierError(
            _("{variable} is too short ({count} characters): use at least {minimum} random characters, e.g. the "
              "output of: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'").format(
                variable=SECRET_VARIABLE, count=len(value), minimum=MIN_SECRET_LENGTH)
        )
    return value.encode("utf-8")


def token(secret: bytes, issue: int, address: str) -> str:
    """The token of numéro ``issue``'s message to ``address``."""
    mac = hmac.new(secret, f"dossier\n{issue}\n{address.lower()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()[:TOKEN_LENGTH]


def token_index(secret: bytes | None, sent: list[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Every token that may be honoured, with its (numéro, address): those of the messages sent."""
    if secret is None:
        return {}
    return {token(secret, issue, address): (issue, address) for issue, address in sent}


def verp_address(bounce_address: str, recipient: str, secret: bytes | None = None) -> str:
    """The envelope sender of the message to ``recipient``: the one function the sender uses to set MAIL FROM.

    bounces@example.org and jean@example.net → bounces+jean=example.net@example.org; with a
    secret, bounces+jean=example.net=<tag>@example.org. The plain bounce address when the
    local part would be over 64 characters."""
    local, _at, domain = bounce_address.rpartition("@")
    recipient_local, _at, recipient_domain = recipient.rpartition("@")
    verp_local = f"{local}+{recipient_local}={recipient_domain}"
    if secret is not None:
        verp_local += "=" + verp_tag(secret, recipient)
    return f"{verp_local}@{domain}" if len(verp_local) <= MAX_LOCAL_PART else bounce_address


def verp_tag(secret: bytes, recipient: str) -> str:
    """The HMAC tag of ``recipient``'s VERP address (lower case: mail servers may fold the local part's case)."""
    mac = hmac.new(secret, f"dossier-verp\n{recipient.lower()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()[:VERP_TAG_LENGTH]


def verp_recipient(bounce_address: str, address: str) -> str | None:
    """The recipient an untagged VERP address names (lower-cased), None when it is not one of ``bounce_address``'s.

    A claim, not evidence: anybody can write to bounces+victim=example.net@…"""
    local, _at, domain = bounce_address.lower().rpartition("@")
    their_local, _at, their_domain = address.strip().strip("<>").lower().rpartition("@")
    if their_domain != domain or not their_local.startswith(local + "+"):
        return None
    recipient_local, equals, recipient_domain = their_local[len(local) + 1:].rpartition("=")
    if not equals or not recipient_local or "." not in recipient_domain:
        return None
    return f"{recipient_local}@{recipient_domain}"


def signed_verp_recipient(bounce_address: str, address: str, secret: bytes | None) -> str | None:
    """The recipient a tagged VERP address names (lower-cased), only when its tag verifies with ``secret``."""
    if secret is None:
        return None
    untagged, equals, tag = address.strip().strip("<>").lower().partition("@")[0].rpartition("=")
    if not equals or not _VERP_TAG.fullmatch(tag):
        return None
    recipient = verp_recipient(bounce_address, f"{untagged}@{address.strip().strip('<>').rpartition('@')[2]}")
    if recipient is None or not hmac.compare_digest(verp_tag(secret, recipient), tag):
        return None
    return recipient


RECIPIENT_HEADER = "X-Dossier-Recipient"


def recipient_header(issue: int, address: str, recipient_token: str | None) -> str:
    """X-Dossier-Recipient's value: 'jean@example.net; numero=3; token=…'."""
    value = f"{address}; numero={issue}"
    return f"{value}; token={recipient_token}" if recipient_token else value


def parse_recipient_header(value: str) -> tuple[str, int | None, str | None]:
    """(address, numéro, token) from X-Dossier-Recipient; missing parts are None."""
    address, *params = (part.strip() for part in str(value).split(";"))
    fields = dict(param.partition("=")[::2] for param in params)
    number = fields.get("numero", "")
    return address.lower(), int(number) if re.fullmatch(r"[0-9]{1,4}", number) else None, fields.get("token") or None
