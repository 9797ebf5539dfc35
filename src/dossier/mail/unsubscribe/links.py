"""The token of a message's one-click unsubscribe link: ``3.<partner>.<signature>``.

``<partner>`` is a keyed pseudonym of the lower-cased address (HMAC-SHA256 with
DOSSIER_SECRET, 16 base32 characters: 80 bits): the link says nothing of the address,
and only someone with the secret and the address can make or recognise it.
``<signature>`` (HMAC-SHA256 of the numéro and the pseudonym, 20 base32 characters:
100 bits) binds the two: changing the numéro or the partner breaks it. The endpoint
verifies a token with the secret alone; the import finds the partner by computing the
pseudonyms of the addresses the ledger records as sent that numéro.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

PARTNER_LENGTH = 16
SIGNATURE_LENGTH = 20
MAX_ISSUE = 9999
_SHAPE = re.compile(rf"([1-9][0-9]{{0,3}})\.([a-z2-7]{{{PARTNER_LENGTH}}})\.([a-z2-7]{{{SIGNATURE_LENGTH}}})")


@dataclass(frozen=True)
class LinkToken:
    issue: int
    partner: str  # the pseudonym of the address

    def __str__(self) -> str:
        return f"{self.issue}.{self.partner}"


def _mac(secret: bytes, text: str, length: int) -> str:
    digest = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def partner_pseudonym(secret: bytes, address: str) -> str:
    """The address as links name it: the same for every numéro, meaningless without the secret."""
    return _mac(secret, f"dossier-partner\n{address.strip().lower()}", PARTNER_LENGTH)


def _signature(secret: bytes, issue: int, partner: str) -> str:
    return _mac(secret, f"dossier-unsubscribe-link\n{issue}\n{partner}", SIGNATURE_LENGTH)


def link_token(secret: bytes, issue: int, address: str) -> str:
    """The token of numéro ``issue``'s unsubscribe link for ``address``."""
    partner = partner_pseudonym(secret, address)
    return f"{issue}.{partner}.{_signature(secret, issue, partner)}"


def parse_link_token(secret: bytes, text: str) -> LinkToken | None:
    """The numéro and partner a token was made for; None when it is malformed or its signature is wrong."""
    found = _SHAPE.fullmatch(text.strip()) if len(text) < 64 else None
    if found is None:
        return None
    issue, partner, signature = int(found[1]), found[2], found[3]
    if not hmac.compare_digest(signature, _signature(secret, issue, partner)):
        return None
    return LinkToken(issue, partner)
