"""The SMTP server from publication.yaml (mail.smtp), the environment over it, the password never from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from dossier.errors import DossierError
from dossier.mail.server import server_for, smtp_config
from dossier.manifest.mail_settings import SmtpSettings
from dossier.project import Project
from smtp_support import MAIL_SETTINGS, SmtpTestServer, configure_mail, keyring_holding

SMTP_SETTINGS = MAIL_SETTINGS + "  smtp:\n    host: smtp.example.org\n    security: ssl\n    user: chaire@example.org\n"


def test_publication_yaml_gives_the_server_and_the_environment_overrides_it(project: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    configure_mail(project, SMTP_SETTINGS)
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "CAFILE"):
        monkeypatch.delenv(f"DOSSIER_SMTP_{name}", raising=False)
    monkeypatch.setenv("DOSSIER_SMTP_PASSWORD", "not-in-a-file")
    config = server_for(Project.find(), "3")
    assert (config.host, config.port, config.security, config.user) == ("smtp.example.org", 465, "ssl", "chaire@example.org")
    monkeypatch.setenv("DOSSIER_SMTP_HOST", "relay.example.net")
    monkeypatch.setenv("DOSSIER_SMTP_PORT", "2525")
    config = server_for(Project.find(), "3")
    assert (config.host, config.port, config.security) == ("relay.example.net", 2525, "ssl")


def test_the_password_comes_from_the_keyring_when_the_environment_has_none(tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []

    def keyring(host: str, user: str) -> str | None:
        asked.append((host, user))
        return "from-the-keyring"

    settings = SmtpSettings(host="smtp.example.org", user="chaire@example.org")
    config = smtp_config(settings, tmp_path, {}, password_lookup=keyring)
    assert config.password == "from-the-keyring" and asked == [("smtp.example.org", "chaire@example.org")]
    config = smtp_config(settings, tmp_path, {"DOSSIER_SMTP_PASSWORD": "from-env"}, password_lookup=keyring)
    assert config.password == "from-env" and len(asked) == 1
    with pytest.raises(DossierError, match="no password for chaire@example.org at smtp.example.org: set "
                                           "DOSSIER_SMTP_PASSWORD, or keep it in the system's keyring"):
        smtp_config(settings, tmp_path, {}, password_lookup=lambda host, user: None)


def test_the_real_keyring_library_is_asked_by_service_and_user(tmp_path: Path) -> None:
    pytest.importorskip("keyring")
    with keyring_holding({("dossier-smtp:smtp.example.org", "chaire@example.org"): "kept"}):
        config = smtp_config(SmtpSettings(host="smtp.example.org", user="chaire@example.org"), tmp_path, {})
    assert config.password == "kept"


def test_a_password_in_publication_yaml_is_refused_at_its_line(project: Path) -> None:
    configure_mail(project, SMTP_SETTINGS + "    password: hunter2\n")
    line = (project / "publication.yaml").read_text(encoding="utf-8").splitlines().index("    password: hunter2") + 1
    result = run("--lang", "fr", "validate", "3")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"publication.yaml:{line}: Envoi, smtp, password\u202f: n’écrivez jamais le mot de passe")
    assert "hunter2" not in result.output


def test_a_server_without_starttls_names_the_setting_and_none_for_a_local_relay(project: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    server = SmtpTestServer().start()  # plain SMTP, no STARTTLS offered
    try:
        configure_mail(project, MAIL_SETTINGS + f"  smtp:\n    host: 127.0.0.1\n    port: {server.port}\n")
        (project / "partners.csv").write_text("email\na@example.org\n", encoding="utf-8")
        for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD"):
            monkeypatch.delenv(f"DOSSIER_SMTP_{name}", raising=False)
        result = run("send", "3", "--partners", "partners.csv", "--test", "moi@example.org")
    finally:
        server.stop()
    assert result.exit_code == 1
    assert (f"127.0.0.1:{server.port} does not offer STARTTLS: in publication.yaml set mail.smtp.security to ssl "
            "(port 465), or to none for a relay on this machine (localhost)") in result.stderr
    assert server.handler.received == []
