"""The message bytes assembled by hand (mail/wire.py) read back by the email package exactly as written."""

from __future__ import annotations

import email
import email.policy
from email.headerregistry import Address

import pytest

from dossier.mail.wire import assemble, header

SUBJECT = "Dossier spécial n°3\u202f: un sujet" + " long" * 20
TEXTS = [
    "Bonjour Andrée,\n\nVoici le n°3\u202f: « Territoires » — résilience.\n",
    ".\n.. a line of dots\nFrom the start\n=equals= and trailing spaces   \n\ttab\n",
    "x" * 500 + "\n" + "é" * 300,  # no space to break at, no final line break
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("attachment", [None, b"attached"])
def test_parts_round_trip_with_crlf_lines_of_at_most_78(text: str, attachment: bytes | None) -> None:
    part = None
    if attachment is not None:
        part = (b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                b'Content-Disposition: attachment; filename="a.pdf"\r\n\r\nYXR0YWNoZWQ=\r\n')
    data = assemble(header("Subject", SUBJECT) + header("To", "a@example.org"),
                    text, f"<p>{text}</p>", part)
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78  # quoted-printable's are 76 at most
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["Subject"] == SUBJECT
    expected = text.replace("\r\n", "\n") if text.endswith("\n") else text + "\n"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == expected
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == f"<p>{text}</p>\n"
    attachments = list(message.iter_attachments())
    assert [a.get_content() for a in attachments] == ([attachment] if attachment else [])


@pytest.mark.parametrize("name", ["Dupont, Jean", "Andrée Dupont", 'Le "Chef"', "", "A" * 90])
def test_addresses_keep_their_name_whole(name: str) -> None:
    line = header("To", str(Address(name, addr_spec="jean@example.org")))
    assert all(len(part) <= (998 if len(name) > 70 else 78) for part in line.split(b"\r\n"))
    parsed = email.message_from_bytes(line + b"\r\n", policy=email.policy.default)["To"]
    (address,) = parsed.addresses
    assert (address.display_name, address.addr_spec) == (name, "jean@example.org")
