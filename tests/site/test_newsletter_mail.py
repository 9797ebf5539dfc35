"""The newsletter (the HTML part of dossier send) and send --web, through the dry run's .eml files."""

from __future__ import annotations

import email
import email.policy
import os
import re
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import run
from site_support import SITE_URL, set_site_url

EDITION = f"{SITE_URL}03/"
FIRST_ANCHOR = "aide-financiere-et-accompagnement-des-commercants-a-l-adaptation-numerique"


@pytest.fixture
def mail_project(project: Path) -> Path:
    with (project / "publication.yaml").open("a", encoding="utf-8") as out:
        out.write("mail:\n  from_address: chaire@example.org\n  reply_to: contact@example.org\n")
    (project / "fake-partners.csv").write_text("email;name\njean@example.org;Jean Dupont\n", encoding="utf-8")
    pdf = project / "output" / "dossier-special-03.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(20_000) + b"\n%%EOF\n")
    later = time.time() + 60  # newer than its sources: no test waits for a real build
    os.utime(pdf, (later, later))
    return project


def message(project: Path) -> EmailMessage:
    (eml,) = (project / "output" / "mail-03").glob("*.eml")
    return email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)  # type: ignore[return-value]


def part(msg: EmailMessage, kind: str) -> str:
    return msg.get_body((kind,)).get_content().replace("\r\n", "\n")


def test_newsletter_links_to_the_web_edition(mail_project: Path) -> None:
    set_site_url(mail_project)
    manifest = mail_project / "issues/03/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    # The second initiative of the second theme is highlighted instead of the first.
    marked = text.replace("      - title: Solidarité pour les personnes âgées, fragiles et isolées\n",
                          "      - title: Solidarité pour les personnes âgées, fragiles et isolées\n        highlight: true\n")
    manifest.write_text(marked, encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 0, result.output
    msg = message(mail_project)
    html, plain = part(msg, "html"), part(msg, "plain")
    assert [p.get_filename() for p in msg.iter_attachments()] == ["dossier-special-03.pdf"]

    # Styles come from newsletter.css, inlined; only the @media rules stay in <style>.
    assert re.search(r'<td class="banner" style="[^"]*background: #123a5a', html)
    style = re.search(r"<style>(.*?)</style>", html, re.S)[1]
    assert "prefers-color-scheme: dark" in style
    assert re.sub(r"/\*.*?\*/|@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style, flags=re.S).strip() == ""
    sheet = re.search(r'<table [^>]*class="sheet"[^>]*>', html)[0]
    assert 'width="600"' in sheet and "max-width: 600px" in sheet and 'role="presentation"' in sheet

    for anchor in ("edito", "bonnes-pratiques", "theme-1", "ressources", "analyse", "page-1", FIRST_ANCHOR):
        assert f'href="{EDITION}#{anchor}"' in html, anchor
    assert f'href="{EDITION}#solidarite-pour-les-personnes-agees-fragiles-et-isolees"' in html
    assert "#plateforme-numerique-d-entraide" not in html, "a marked initiative replaces the theme's first"
    assert f'<a class="button" href="{EDITION}"' in html and "Lire le dossier" in html
    assert "La crise sanitaire semble maîtrisée" in html

    assert f"Lire la suite\u202f: {EDITION}#edito" in plain
    assert f"Lire\u202f: {EDITION}#{FIRST_ANCHOR}" in plain
    assert f"Lire le dossier en ligne\u202f: {EDITION}" in plain
    assert "Le PDF est en pièce jointe (dossier-special-03.pdf" in plain


def test_send_web_attaches_nothing_and_links_the_sites_pdf(mail_project: Path) -> None:
    set_site_url(mail_project)
    result = run("send", "3", "--partners", "fake-partners.csv", "--web")
    assert result.exit_code == 0, result.output
    msg = message(mail_project)
    assert list(msg.iter_attachments()) == []
    assert f"{EDITION}dossier-special-03.pdf" in part(msg, "plain")
    assert f'href="{EDITION}dossier-special-03.pdf"' in part(msg, "html")


def test_send_web_without_site_url_names_the_key(mail_project: Path) -> None:
    result = run("send", "3", "--partners", "fake-partners.csv", "--web")
    assert result.exit_code == 1
    assert result.stderr.startswith("publication.yaml: site_url: missing: --web links to the web edition")
    assert "Traceback" not in result.output
    assert not (mail_project / "output" / "mail-03").exists()


def test_send_web_and_link_together_is_a_usage_error(mail_project: Path) -> None:
    result = run("send", "3", "--partners", "fake-partners.csv", "--web", "--link", "https://example.org/d.pdf")
    assert result.exit_code == 2
    assert "--web" in result.output and "--link" in result.output
