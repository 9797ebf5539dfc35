"""One-click unsubscribe end to end: the link a sent message carries, the endpoint behind a real WSGI server
(waitress on 127.0.0.1), the requests file, and `dossier import-unsubscribes` into the suppression list."""

from __future__ import annotations

import json
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress

from conftest import run
from dossier.mail.unsubscribe import link_token
from dossier.mail.unsubscribe.app import make_app
from smtp_support import MAIL_SETTINGS, SmtpTestServer, configure_mail, fake_pdf

SECRET = "endpoint-secret-0123456789abcdef"
URL_SETTING = '  unsubscribe_url: "https://example.org/desabonnement?t={{ unsubscribe_token }}"\n'
PARTNERS = ["jean@example.org", "marie@example.net", "bob@example.com"]


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_IMAP_", "DOSSIER_SECRET")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)


class Endpoint:
    """The endpoint served by waitress on 127.0.0.1, appending to ``requests``."""

    def __init__(self, requests: Path) -> None:
        self.requests = requests
        self.server = waitress.create_server(make_app(SECRET.encode(), requests), host="127.0.0.1", port=0, threads=4)
        self.base = f"http://127.0.0.1:{self.server.effective_port}/desabonnement"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def call(self, token: str, *, method: str = "POST", body: bytes | None = b"List-Unsubscribe=One-Click",
             content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str]:
        data = body if method == "POST" else None
        request = urllib.request.Request(f"{self.base}?t={token}", data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def lines(self) -> list[str]:
        return self.requests.read_text(encoding="ascii").splitlines() if self.requests.exists() else []

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[Endpoint]:
    served = Endpoint(tmp_path / "requests.jsonl")
    yield served
    served.close()


@pytest.fixture
def sent(project: Path) -> Iterator[SmtpTestServer]:
    """Numéro 3 sent for real to three partners (recorded in the ledger), with one-click links."""
    configure_mail(project, MAIL_SETTINGS + URL_SETTING)
    (project / "fake-partners.csv").write_text("email\n" + "\n".join(PARTNERS) + "\n", encoding="utf-8")
    fake_pdf(project)
    server = SmtpTestServer().start()
    try:
        os.environ.update(server.env())
        result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
        assert result.exit_code == 0, result.output
        yield server
    finally:
        for name in server.env():
            os.environ.pop(name, None)
        server.stop()


def one_click_token(server: SmtpTestServer, address: str) -> str:
    """The token of the https link in the List-Unsubscribe header of the message ``address`` received."""
    (message,) = [m.parsed() for m in server.handler.received if m.rcpt_tos == [address]]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = [part.strip().strip("<>") for part in str(message["List-Unsubscribe"]).split(",")]
    (url,) = [link for link in links if link.startswith("https://")]
    assert url.startswith("https://example.org/desabonnement?t=")
    assert address.split("@")[0] not in url, "the link carries no address"
    return url.partition("?t=")[2]


def suppressed(project: Path) -> dict[str, str]:
    rows = run("suppressed", "--csv").stdout.splitlines()[1:]
    return {row.split(",")[0]: row.split(",")[1] for row in rows}


def test_a_good_token_posted_once_suppresses_its_partner(project: Path, sent: SmtpTestServer, endpoint: Endpoint) -> None:
    token = one_click_token(sent, "jean@example.org")
    status, page = endpoint.call(token)
    assert status == 200
    assert '<html lang="fr">' in page and "<h1>Vous êtes désabonné" in page
    assert len(endpoint.lines()) == 1 and "jean" not in endpoint.lines()[0], "the file holds no address"

    imported = run("import-unsubscribes", str(endpoint.requests))
    assert imported.exit_code == 0, imported.output
    lines = imported.stdout.splitlines()
    assert re.fullmatch(re.escape(f"{endpoint.requests}:1: jean@example.org: unsubscribed (one-click link of numéro 3, ")
                        + r"\d{1,2} \w+ \d{4} at \d\d:\d\d\)", lines[0]), lines[0]  # the time as English writes it
    assert lines[-1] == f"{endpoint.requests}: 1 request read: 1 address unsubscribed"
    assert suppressed(project) == {"jean@example.org": "unsubscribed"}

    again = run("send", "3", "--partners", "fake-partners.csv", "--status")
    assert "skipped" not in again.stdout  # numéro 3 was sent to everyone; the next numéro skips jean
    dry = run("send", "3", "--partners", "fake-partners.csv")
    assert dry.exit_code == 0


def test_forged_changed_and_other_numero_tokens_change_nothing(
    project: Path, sent: SmtpTestServer, endpoint: Endpoint
) -> None:
    good = one_click_token(sent, "marie@example.net")
    issue, partner, signature = good.split(".")
    forged_signature = f"{issue}.{partner}.{'a' * 20}"
    moved_to_numero_4 = f"4.{partner}.{signature}"
    someone_else = f"{issue}.{'b' * 16}.{signature}"
    for token in (forged_signature, moved_to_numero_4, someone_else, "", "3", "x" * 5000):
        status, page = endpoint.call(token)
        assert status == 400, token
        assert "Ce lien de désabonnement n’est pas valide" in page or "Ce lien de désabonnement n'est pas valide" in page
    assert endpoint.lines() == [], "nothing recorded"

    # Rightly signed, but for messages the ledger never recorded: numéro 4 (never sent), a --test copy's address.
    never_sent = link_token(SECRET.encode(), 4, "marie@example.net")
    test_copy = link_token(SECRET.encode(), 3, "moi@example.org")
    assert endpoint.call(never_sent)[0] == 200
    assert endpoint.call(test_copy)[0] == 200
    # A line written into the file by hand, with a token of another secret.
    with endpoint.requests.open("a", encoding="ascii") as out:
        other = link_token(b"another-secret-0123456789", 3, "marie@example.net")
        record = json.dumps({"at": "2026-01-01T00:00:00Z", "token": other, "issue": 3, "partner": other.split(".")[1]})
        out.write(f"{record}\nnot json\n")
    imported = run("import-unsubscribes", str(endpoint.requests))
    assert imported.exit_code == 0, imported.output
    lines = imported.stdout.splitlines()
    shown = str(endpoint.requests)
    assert lines == [
        f"{shown}:1: the ledger records no message of numéro 4 sent to the partner of this link (a test copy, a dry "
        "run's draft, another project): ignored",
        f"{shown}:2: the ledger records no message of numéro 3 sent to the partner of this link (a test copy, a dry "
        "run's draft, another project): ignored",
        f"{shown}:3: token not valid (forged, damaged, or made with another DOSSIER_SECRET): ignored",
        f"{shown}:4: not a request record",
        f"{shown}: 4 requests read: 4 without effect",
    ]
    assert suppressed(project) == {}


def test_a_replayed_request_counts_once_even_after_a_resubscribe(
    project: Path, sent: SmtpTestServer, endpoint: Endpoint
) -> None:
    token = one_click_token(sent, "bob@example.com")
    assert [endpoint.call(token)[0] for _ in range(3)] == [200, 200, 200]
    first = run("import-unsubscribes", str(endpoint.requests)).stdout.splitlines()
    assert first[-1].endswith("3 requests read: 1 address unsubscribed, 2 already imported")
    assert first[1] == f"{endpoint.requests}:2: bob@example.com: already imported (the same link again): nothing to do"
    assert run("resubscribe", "bob@example.com").exit_code == 0
    second = run("import-unsubscribes", str(endpoint.requests)).stdout.splitlines()
    assert second[-1].endswith("3 requests read: 3 already imported")
    assert suppressed(project) == {}, "the partner's resubscribe stands"


def test_get_only_shows_a_confirmation_page_and_a_bare_post_records_nothing(sent: SmtpTestServer,
                                                                            endpoint: Endpoint) -> None:
    token = one_click_token(sent, "jean@example.org")
    status, page = endpoint.call(token, method="GET")
    assert status == 200
    assert '<html lang="fr">' in page and "<title>Ne plus recevoir les numéros</title>" in page
    assert '<form method="post" action="?t=' + token + '">' in page
    assert '<input type="hidden" name="List-Unsubscribe" value="One-Click">' in page
    assert "<button type=\"submit\">Confirmer\u202f: se désabonner</button>" in page
    assert endpoint.call(token, body=b"")[0] == 400
    assert endpoint.call(token, body=b"List-Unsubscribe=Two-Clicks")[0] == 400
    assert endpoint.call(token, method="PUT")[0] == 405
    assert endpoint.lines() == [], "a link checker's GET unsubscribes nobody"
    multipart = (b"--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n")
    assert endpoint.call(token, body=multipart, content_type="multipart/form-data; boundary=b")[0] == 200
    assert len(endpoint.lines()) == 1


def test_concurrent_requests_are_each_recorded_whole(sent: SmtpTestServer, endpoint: Endpoint) -> None:
    tokens = [one_click_token(sent, address) for address in PARTNERS] * 8
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda t=token: statuses.append(endpoint.call(t)[0])) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(tokens)
    lines = endpoint.lines()
    assert len(lines) == len(tokens)
    assert all(line.startswith('{"at":"') and line.endswith('"}') for line in lines)
    imported = run("import-unsubscribes", str(endpoint.requests)).stdout.splitlines()
    assert imported[-1].endswith("24 requests read: 3 addresses unsubscribed, 21 already imported")


def test_a_link_with_the_address_is_refused_at_its_line(project: Path) -> None:
    configure_mail(project, MAIL_SETTINGS + '  unsubscribe_url: "https://example.org/stop?email={{ partner.email }}"\n')
    line = (project / "publication.yaml").read_text(encoding="utf-8").splitlines().index(
        '  unsubscribe_url: "https://example.org/stop?email={{ partner.email }}"') + 1
    result = run("validate", "3")
    assert result.exit_code == 1
    assert f"publication.yaml:{line}: Mail, unsubscribe url: uses the partner's fields: a link must never carry an " \
           "address" in result.stderr


def test_a_link_without_the_token_gets_no_one_click_header(project: Path) -> None:
    configure_mail(project, MAIL_SETTINGS + '  unsubscribe_url: "https://example.org/desabonnement"\n')
    (project / "fake-partners.csv").write_text("email\njean@example.org\n", encoding="utf-8")
    fake_pdf(project)
    assert run("send", "3", "--partners", "fake-partners.csv").exit_code == 0
    (eml,) = (project / "output" / "mail-03").glob("*.eml")
    head = eml.read_bytes().split(b"\r\n\r\n")[0]
    assert b"<https://example.org/desabonnement>" in head
    assert b"List-Unsubscribe-Post" not in head, "no endpoint of ours behind that page: no one-click promise"


def test_a_token_link_needs_the_secret(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSSIER_SECRET")
    configure_mail(project, MAIL_SETTINGS + URL_SETTING)
    (project / "fake-partners.csv").write_text("email\njean@example.org\n", encoding="utf-8")
    fake_pdf(project)
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("publication.yaml:")
    assert "mail.unsubscribe_url: uses unsubscribe_token, which is made with DOSSIER_SECRET: set it" in result.stderr
