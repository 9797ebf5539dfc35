"""The mailbox dossier inbox reads, from publication.yaml (mail.imap): the environment over it, the password
from DOSSIER_IMAP_PASSWORD or the keyring, never from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from dossier.errors import DossierError
from dossier.mail.server import imap_config
from dossier.manifest.mail_settings import ImapSettings
from smtp_support import MAIL_SETTINGS, configure_mail, keyring_holding

SETTINGS = ImapSettings(host="imap.example.org", user="chaire@example.org")


def test_the_file_gives_the_mailbox_and_each_variable_set_overrides_it(tmp_path: Path) -> None:
    config = imap_config(ImapSettings(host="imap.example.org", security="starttls", user="chaire@example.org"),
                         tmp_path, {"DOSSIER_IMAP_PASSWORD": "from-env"}, password_lookup=lambda host, user: None)
    assert (config.host, config.port, config.security, config.user, config.password) == (
        "imap.example.org", 143, "starttls", "chaire@example.org", "from-env")
    config = imap_config(SETTINGS, tmp_path, {"DOSSIER_IMAP_PASSWORD": "p", "DOSSIER_IMAP_HOST": "mail.example.net",
                                              "DOSSIER_IMAP_PORT": "1993"}, password_lookup=lambda host, user: None)
    assert (config.host, config.port, config.security) == ("mail.example.net", 1993, "ssl")


def test_the_password_comes_from_the_keyring_under_its_own_service(tmp_path: Path) -> None:
    pytest.importorskip("keyring")
    with keyring_holding({("dossier-imap:imap.example.org", "chaire@example.org"): "kept",
                          ("dossier-smtp:imap.example.org", "chaire@example.org"): "the sending server's"}):
        assert imap_config(SETTINGS, tmp_path, {}).password == "kept"
        assert imap_config(SETTINGS, tmp_path, {"DOSSIER_IMAP_PASSWORD": "env wins"}).password == "env wins"


def test_missing_settings_say_where_they_go(tmp_path: Path) -> None:
    with pytest.raises(DossierError, match=r"give a mailbox: --mbox FILE, --maildir DIR, or the IMAP server in "
                                           r"publication.yaml under mail.imap"):
        imap_config(None, tmp_path, {}, password_lookup=lambda host, user: None)
    with pytest.raises(DossierError, match=r"no user for the mailbox at imap.example.org: set mail.imap.user"):
        imap_config(ImapSettings(host="imap.example.org"), tmp_path, {}, password_lookup=lambda host, user: None)
    with pytest.raises(DossierError, match=r"no password for chaire@example.org at imap.example.org: set "
                                           r"DOSSIER_IMAP_PASSWORD, or keep it in the system's keyring "
                                           r"\(keyring set dossier-imap:imap.example.org chaire@example.org\)"):
        imap_config(SETTINGS, tmp_path, {}, password_lookup=lambda host, user: None)
    with pytest.raises(DossierError, match="mail.imap.security none would send the password unencrypted"):
        imap_config(ImapSettings(host="imap.example.org", security="none", user="u"), tmp_path,
                    {"DOSSIER_IMAP_PASSWORD": "p"}, password_lookup=lambda host, user: None)


def test_a_password_in_publication_yaml_is_refused_at_its_line(project: Path) -> None:
    configure_mail(project, MAIL_SETTINGS + "  imap:\n    host: imap.example.org\n    password: hunter2\n")
    result = run("inbox")
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "password" in line]
    assert line.startswith("publication.yaml:") and "never write the password in a file of the repository: set " \
        "DOSSIER_IMAP_PASSWORD" in line and "hunter2" not in result.output
