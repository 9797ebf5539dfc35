"""net.py: the port settings of the SMTP and IMAP servers, read once for both."""

from __future__ import annotations

import pytest

from dossier.errors import DossierError
from dossier.mail.inbox.imap import ImapConfig
from dossier.mail.smtp import SmtpConfig
from dossier.net import port_setting


@pytest.mark.parametrize(("text", "port"), [("", None), ("  ", None), ("587", 587), (" 2525 ", 2525), ("65535", 65535)])
def test_a_port_or_nothing(text: str, port: int | None) -> None:
    assert port_setting({"DOSSIER_SMTP_PORT": text}, "DOSSIER_SMTP_PORT", example=587) == port


@pytest.mark.parametrize("text", ["0", "65536", "-1", "1e3", "587a", "²", "¹²³"])  # ² is a digit to str.isdigit
def test_anything_else_is_a_one_line_error(text: str) -> None:
    with pytest.raises(DossierError) as error:
        port_setting({"DOSSIER_SMTP_PORT": text}, "DOSSIER_SMTP_PORT", example=587)
    assert error.value.format_message() == f"DOSSIER_SMTP_PORT={text}: not a port number: use e.g. 587"


def test_smtp_and_imap_read_their_own_variable_with_their_own_example() -> None:
    smtp = {"DOSSIER_SMTP_HOST": "smtp.example.org", "DOSSIER_SMTP_PORT": "x"}
    imap = {"DOSSIER_IMAP_HOST": "imap.example.org", "DOSSIER_IMAP_PORT": "x", "DOSSIER_IMAP_USER": "u",
            "DOSSIER_IMAP_PASSWORD": "p"}
    with pytest.raises(DossierError, match=r"^DOSSIER_SMTP_PORT=x: not a port number: use e\.g\. 587$"):
        SmtpConfig.from_environ(smtp)
    with pytest.raises(DossierError, match=r"^DOSSIER_IMAP_PORT=x: not a port number: use e\.g\. 993$"):
        ImapConfig.from_environ(imap)
    assert SmtpConfig.from_environ({**smtp, "DOSSIER_SMTP_PORT": ""}).port == 587  # starttls's default
    assert ImapConfig.from_environ({**imap, "DOSSIER_IMAP_PORT": "1143"}).port == 1143
