"""DKIM signatures verified by dkimpy against a real DNS server on loopback, List-Id, the key kept out of the
project, and `dossier doctor` reading SPF, DKIM and DMARC from that DNS server (dnslib on 127.0.0.1)."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import dkim
import pytest

from conftest import run
from dns_support import dns_server, resolving_through
from smtp_support import MAIL_SETTINGS, SmtpTestServer, configure_mail, fake_pdf

SECRET = "dkim-tests-secret-0123456789abcdef"
URL_SETTING = '  unsubscribe_url: "https://example.org/desabonnement?t={{ unsubscribe_token }}"\n'


def rsa_key(folder: Path, name: str = "dkim.pem") -> tuple[Path, str]:
    """A new 2048-bit key (openssl) and its public key as DNS publishes it (p=, base64 DER)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(key)],
                   check=True, capture_output=True)
    der = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-outform", "DER"], check=True,
                         capture_output=True).stdout
    return key, base64.b64encode(der).decode("ascii")


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return rsa_key(tmp_path_factory.mktemp("keys"))


def zone(public: str) -> dict[str, list[str]]:
    return {
        "example.org": ["v=spf1 ip4:127.0.0.1 -all", "google-site-verification=not-spf"],
        "sel1._domainkey.example.org": [f"v=DKIM1; k=rsa; p={public}"],
        "_dmarc.example.org": ["v=DMARC1; p=reject; rua=mailto:dmarc@example.org"],
    }


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_SECRET", "DOSSIER_DKIM")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)


def dkim_settings(key_file: Path | str) -> str:
    return f"  dkim:\n    selector: sel1\n    domain: example.org\n    key_file: {key_file}\n"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpTestServer]:
    server = SmtpTestServer().start()
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


def send_one(project: Path) -> None:
    (project / "fake-partners.csv").write_text("email,name\njean@example.net,Jean Dupont\n", encoding="utf-8")
    fake_pdf(project)
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    assert result.exit_code == 0, result.output


def test_a_sent_message_is_signed_and_verifies_against_the_dns(project: Path, key: tuple[Path, str],
                                                                smtp: SmtpTestServer) -> None:
    configure_mail(project, MAIL_SETTINGS + URL_SETTING + dkim_settings(key[0]))
    send_one(project)
    (received,) = smtp.handler.received
    data = received.data
    message = received.parsed()
    assert message["List-Id"] == "Dossier spécial <dossier-special.example.org>"
    signature = message["DKIM-Signature"]
    tags = dict(part.strip().partition("=")[::2] for part in "".join(str(signature).split()).split(";"))
    assert (tags["d"], tags["s"], tags["c"], tags["a"]) == ("example.org", "sel1", "relaxed/simple", "rsa-sha256")
    signed = tags["h"].lower().split(":")
    for header in ("from", "to", "subject", "date", "message-id", "list-id", "list-unsubscribe",
                   "list-unsubscribe-post"):
        assert header in signed, header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    with dns_server(zone(key[1])) as (dns_zone, port), resolving_through(port):
        assert dkim.verify(data), "dkimpy verifies the signature with the key it looked up"
        assert "sel1._domainkey.example.org" in dns_zone.queries, "the key came from the loopback DNS server"
        tampered = data.replace(b"Subject: ", b"Subject: [changed] ", 1)
        assert not dkim.verify(tampered)
        added = data.replace(b"\r\n\r\n", b"\r\nList-Unsubscribe: <https://evil.example/x>\r\n\r\n", 1)
        assert not dkim.verify(added), "a second unsubscribe link cannot be added on the way"


def test_the_key_may_be_named_by_the_environment(project: Path, key: tuple[Path, str], smtp: SmtpTestServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    configure_mail(project, MAIL_SETTINGS + "  dkim: {selector: sel1, domain: example.org}\n")
    monkeypatch.setenv("DOSSIER_DKIM_KEY", str(key[0]))
    send_one(project)
    with dns_server(zone(key[1])) as (_zone, port), resolving_through(port):
        assert dkim.verify(smtp.handler.received[0].data)


def test_every_message_has_a_list_id_without_dkim(project: Path) -> None:
    configure_mail(project)
    (project / "fake-partners.csv").write_text("email\njean@example.net\n", encoding="utf-8")
    fake_pdf(project)
    assert run("send", "3", "--partners", "fake-partners.csv").exit_code == 0
    (eml,) = (project / "output" / "mail-03").glob("*.eml")
    head = eml.read_bytes().split(b"\r\n\r\n")[0]
    assert b"\r\nList-Id: Dossier =?utf-8?q?sp=C3=A9cial?= <dossier-special.example.org>\r\n" in head
    assert b"DKIM-Signature" not in head


def test_a_one_click_header_cannot_be_added_to_a_message_without_one(project: Path, key: tuple[Path, str],
                                                                      smtp: SmtpTestServer) -> None:
    configure_mail(project, MAIL_SETTINGS + dkim_settings(key[0]))  # no endpoint: no List-Unsubscribe-Post
    send_one(project)
    data = smtp.handler.received[0].data
    assert b"List-Unsubscribe-Post" not in data
    with dns_server(zone(key[1])) as (_zone, port), resolving_through(port):
        assert dkim.verify(data)
        added = data.replace(b"\r\n\r\n", b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n", 1)
        assert not dkim.verify(added)


def test_a_key_in_the_project_folder_is_refused(project: Path, key: tuple[Path, str]) -> None:
    inside = project / "secrets" / "dkim.pem"
    inside.parent.mkdir()
    inside.write_bytes(key[0].read_bytes())
    configure_mail(project, MAIL_SETTINGS + dkim_settings("secrets/dkim.pem"))
    (project / "fake-partners.csv").write_text("email\njean@example.net\n", encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr == ("publication.yaml: mail.dkim.key_file: secrets/dkim.pem is in the project folder: a private "
                             "key must stay outside it (the folder is copied, shared and committed); move it, e.g. to "
                             "~/.config/dossier/dkim.pem\n")
    assert not (project / "output" / "mail-03").exists()


def test_a_key_tracked_by_git_is_refused(project: Path, key: tuple[Path, str], tmp_path: Path) -> None:
    repository = tmp_path / "dotfiles"
    repository.mkdir()
    tracked = repository / "dkim.pem"
    tracked.write_bytes(key[0].read_bytes())
    for command in (["init", "-q"], ["add", "dkim.pem"],
                    ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "keys"]):
        subprocess.run(["git", "-C", str(repository), *command], check=True, capture_output=True)
    configure_mail(project, MAIL_SETTINGS + dkim_settings(tracked))
    (project / "fake-partners.csv").write_text("email\njean@example.net\n", encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"publication.yaml: mail.dkim.key_file: {tracked} is tracked by git: a private key "
                                    "must never be in a repository")


def test_a_file_that_is_no_key_is_refused_before_sending(project: Path, tmp_path: Path) -> None:
    not_a_key = tmp_path / "elsewhere" / "dkim.pem"
    not_a_key.parent.mkdir()
    not_a_key.write_text("-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n")
    configure_mail(project, MAIL_SETTINGS + dkim_settings(not_a_key))
    (project / "fake-partners.csv").write_text("email\njean@example.net\n", encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"publication.yaml: mail.dkim.key_file: {not_a_key} is not a DKIM private key "
                                    "dkimpy can sign with (")


def test_doctor_finds_everything_published(project: Path, key: tuple[Path, str]) -> None:
    configure_mail(project, MAIL_SETTINGS + dkim_settings(key[0]))
    with dns_server(zone(key[1])) as (_zone, port), resolving_through(port):
        result = run("doctor")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "mail authentication of example.org (sender chaire@example.org):",
        "  ok       SPF of example.org: v=spf1 ip4:127.0.0.1 -all",
        "  ok       DKIM key at sel1._domainkey.example.org",
        "  ok       DMARC at _dmarc.example.org: v=DMARC1; p=reject; rua=mailto:dmarc@example.org",
        "everything large mailbox providers ask for is published",
    ]


def test_doctor_says_in_french_what_is_missing(project: Path) -> None:
    configure_mail(project)
    with dns_server({}) as (_zone, port), resolving_through(port):
        result = run("--lang", "fr", "doctor")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "authentification des messages de example.org (expéditeur chaire@example.org)\u202f:"
    assert lines[1].startswith("  manque   SPF\u202f: aucun enregistrement sur example.org")
    assert lines[2].startswith("  manque   DKIM\u202f: les messages ne sont pas signés")
    assert lines[3].startswith("  manque   DMARC\u202f: aucune politique sur _dmarc.example.org")
    assert lines[4].startswith("3 à corriger avant d’envoyer")


def test_doctor_finds_a_published_key_that_is_not_ours(project: Path, key: tuple[Path, str], tmp_path: Path) -> None:
    _other, other_public = rsa_key(tmp_path / "other")
    configure_mail(project, MAIL_SETTINGS + dkim_settings(key[0]))
    records = zone(other_public)
    records["example.org"].append("v=spf1 +all")
    with dns_server(records) as (_zone, port), resolving_through(port):
        result = run("doctor")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == "  missing  SPF: 2 records at example.org: there must be one (merge them): v=spf1 ip4:127.0.0.1 " \
                       "-all | v=spf1 +all"
    assert lines[2] == ("  missing  DKIM: the key published at sel1._domainkey.example.org is not the public key of the "
                        "private key in use: every signature would fail; publish the right one")
    assert lines[-1].startswith("2 to fix before sending")
