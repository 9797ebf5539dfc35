"""The messages themselves, seen through the dry run's .eml files: headers, parts, personalisation, settings."""

from __future__ import annotations

import email
import email.policy
import email.utils
import os
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image

from conftest import run
from dossier.mail import MAX_ATTACHMENT, prepare_mailing, tokens
from dossier.mail.ledger import Ledger
from dossier.mail.unsubscribe import link_token
from dossier.project import Project
from smtp_support import MAIL_SETTINGS, configure_mail, fake_pdf

PARTNERS = (
    "email;name;organisation\n"
    "jean.dupont@example.org;Jean Dupont;Ville de Test\n"
    "marie@example.net;Marie Curie;Région Sud\n"
    "bob@example.com;;\n"
)
THEMES = ["Développement économique", "Attractivité, hospitalité & solidarité", "Tourisme"]


SECRET = "test-secret-0123456789abcdef"


@pytest.fixture
def mail_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOSSIER_SECRET", SECRET)  # the one-click link's token is made with it
    configure_mail(project, MAIL_SETTINGS + '  unsubscribe_url: "https://example.org/stop?t={{ unsubscribe_token }}"\n')
    (project / "fake-partners.csv").write_text(PARTNERS, encoding="utf-8")
    return project


def eml_files(project: Path) -> list[Path]:
    return sorted((project / "output" / "mail-03").glob("*.eml"))


def parse(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[return-value]


def body(message: EmailMessage, kind: str) -> str:
    """A part's text as a mail client shows it (on the wire, lines end with CRLF)."""
    return message.get_body((kind,)).get_content().replace("\r\n", "\n")


def test_dry_run_writes_one_whole_message_per_partner(mail_project: Path) -> None:
    pdf = fake_pdf(mail_project)
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 0, result.output
    files = eml_files(mail_project)
    assert [f.name for f in files] == [
        "0001-jean.dupont@example.org.eml", "0002-marie@example.net.eml", "0003-bob@example.com.eml"
    ]
    lines = result.stdout.splitlines()
    assert lines[0] == "dry run: 3 messages written to output/mail-03/ (nothing sent)"
    assert lines[1].startswith("  jean.dupont@example.org  ")
    assert lines[1].endswith("Dossier spécial n°3\u202f: Territoires, gestion de crise & résilience | COVID-19")
    assert lines[-1] == "to send them: add --send (or --test ADDRESS for one copy to yourself)"
    assert not (mail_project / ".dossier/deliveries.sqlite").exists(), "a dry run must not create the ledger"

    jean = parse(files[0])
    assert jean["From"] == "Chaire A&NMT <chaire@example.org>"
    assert jean["From"].addresses[0].display_name == "Chaire A&NMT"
    assert jean["To"] == "Jean Dupont <jean.dupont@example.org>"
    assert jean["Reply-To"] == "contact@example.org"
    assert jean["Subject"] == "Dossier spécial n°3\u202f: Territoires, gestion de crise & résilience | COVID-19"
    assert re.fullmatch(r"<[^<>@\s]+@example\.org>", jean["Message-ID"])
    assert email.utils.parsedate_to_datetime(jean["Date"]).tzinfo is not None
    token = link_token(SECRET.encode(), 3, "jean.dupont@example.org")
    assert re.fullmatch(r"3\.[a-z2-7]{16}\.[a-z2-7]{20}", token)
    assert jean["List-Unsubscribe"].strip() == (
        f"<mailto:contact@example.org?subject=unsubscribe-{tokens.token(SECRET.encode(), 3, 'jean.dupont@example.org')}>, "
        f"<https://example.org/stop?t={token}>"
    )
    assert "jean" not in jean["List-Unsubscribe"], "no address in a link"
    assert jean["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len({parse(f)["Message-ID"] for f in files}) == 3

    assert [part.get_content_type() for part in jean.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"
    ]
    text = body(jean, "plain")
    html = body(jean, "html")
    assert text.startswith("Bonjour Jean Dupont,\n")
    assert "<p>Bonjour Jean Dupont,</p>" in html
    for theme in THEMES:
        assert f"– {theme}\n" in text
        assert f"<li>{theme.replace('&', '&amp;')}</li>" in html
    for part in ["Bonnes pratiques", "S’informer & s’outiller", "Analyse & prospective", "La Chaire A&NMT"]:
        assert f"  • {part}\n" in text
    assert "Dossier spécial n°3" in text and "Dossier spécial n°3" in html
    (attachment,) = jean.iter_attachments()
    assert attachment.get_filename() == "dossier-special-03.pdf"
    assert attachment.get_content() == pdf

    bob = parse(files[2])
    assert bob["To"] == "bob@example.com"
    assert body(bob, "plain").startswith("Bonjour,\n")


def test_link_instead_of_attachment_needs_no_pdf(mail_project: Path) -> None:
    result = run("send", "3", "--partners", "fake-partners.csv", "--link", "https://example.org/dossier-3.pdf")
    assert result.exit_code == 0, result.output
    message = parse(eml_files(mail_project)[0])
    assert message.get_content_type() == "multipart/alternative"
    assert list(message.iter_attachments()) == []
    assert "https://example.org/dossier-3.pdf" in body(message, "plain")
    assert 'href="https://example.org/dossier-3.pdf"' in body(message, "html")
    assert not (mail_project / "output" / "dossier-special-03.pdf").exists(), "no build is needed for a link"


def test_a_pdf_too_large_to_attach_is_refused_with_the_way_out(mail_project: Path) -> None:
    fake_pdf(mail_project, size=MAX_ATTACHMENT)
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "output/dossier-special-03.pdf: 7.0 MB is too large to attach (limit 7 MB: once encoded, more than many "
        "mail servers accept): put the PDF online and send its address with --link URL\n"
    )
    assert eml_files(mail_project) == []


def test_without_an_unsubscribe_url_only_mailto_and_no_one_click(project: Path) -> None:
    configure_mail(project)
    (project / "fake-partners.csv").write_text(PARTNERS, encoding="utf-8")
    fake_pdf(project)
    assert run("send", "3", "--partners", "fake-partners.csv").exit_code == 0
    message = parse(eml_files(project)[0])
    assert message["List-Unsubscribe"] == "<mailto:contact@example.org?subject=D%C3%A9sinscription>"
    assert message["List-Unsubscribe-Post"] is None


def test_a_numero_overrides_the_templates_with_partner_columns(mail_project: Path) -> None:
    fake_pdf(mail_project)
    with (mail_project / "issues/03/issue.yaml").open("a", encoding="utf-8") as out:
        out.write(
            "\npublication:\n  mail:\n"
            "    subject: 'Pour {{ partner.organisation }} : n°{{ issue.number }}'\n"
            "    text: |\n      Chère {{ partner.organisation }},\n      {{ sommaire | map(attribute='title') | join(' / ') }}\n"
            "    html: '<p>{{ partner.organisation }}</p>'\n"
        )
    assert run("send", "3", "--partners", "fake-partners.csv").exit_code == 0
    marie = parse(eml_files(mail_project)[1])
    assert marie["Subject"] == "Pour Région Sud : n°3"
    assert body(marie, "plain") == (
        "Chère Région Sud,\nBonnes pratiques / S’informer & s’outiller / Analyse & prospective / La Chaire A&NMT\n"
    )
    assert body(marie, "html") == "<p>Région Sud</p>\n"
    assert marie["From"] == "Chaire A&NMT <chaire@example.org>", "the rest of publication.yaml's mail settings stay"


def test_template_mistakes_point_at_the_line_before_anything_is_written(mail_project: Path) -> None:
    fake_pdf(mail_project)
    manifest = mail_project / "issues/03/issue.yaml"
    lines_before = len(manifest.read_text(encoding="utf-8").splitlines())
    with manifest.open("a", encoding="utf-8") as out:
        out.write("publication:\n  mail:\n    text: |\n      Bonjour,\n      {{ partner.prenom }}\n")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        f"issues/03/issue.yaml:{lines_before + 5}: mail.text: template error: no column 'prenom' in "
        "fake-partners.csv (its columns: email, name, organisation, first_name, last_name, title): add the column or "
        "correct the template\n"
    )
    assert eml_files(mail_project) == []

    manifest.write_text(manifest.read_text(encoding="utf-8").replace("{{ partner.prenom }}", "{% if x %}"))
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"issues/03/issue.yaml:{lines_before + 3}: Publication, mail, text: template syntax error on its line 2: "
    )


def test_settings_mistakes_are_reported(project: Path) -> None:
    (project / "fake-partners.csv").write_text(PARTNERS, encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "publication.yaml: mail.from_address: missing: the address messages are sent from; add it under `mail:`, "
        "e.g. `mail: {from_address: chaire@example.org, reply_to: contact@example.org}`\n"
    )
    configure_mail(project, MAIL_SETTINGS + "  ledger: output/deliveries.sqlite\n  reply_to_: x@example.org\n")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert "Mail, reply_to_: unknown field: did you mean 'reply_to'?" in result.stderr

    text = (project / "publication.yaml").read_text(encoding="utf-8").replace("  reply_to_: x@example.org\n", "")
    (project / "publication.yaml").write_text(text, encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "output/deliveries.sqlite: the delivery ledger must not be under output/ (cleaning output/ would forget "
        "who was sent what): use e.g. .dossier/deliveries.sqlite\n"
    )


def test_dry_run_leaves_out_partners_the_ledger_lists_as_sent(mail_project: Path) -> None:
    fake_pdf(mail_project)
    with Ledger.open(mail_project / ".dossier" / "deliveries.sqlite") as book:
        book.record_sent(3, "Marie@Example.net", "<x@example.org>", "old-list.csv")
        book.record_sent(2, "bob@example.com", "<y@example.org>", "old-list.csv")  # another numéro
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 0
    assert [f.name for f in eml_files(mail_project)] == ["0001-jean.dupont@example.org.eml", "0002-bob@example.com.eml"]
    assert "  1 partner already sent this numéro is left out (see --status)" in result.stdout.splitlines()  # a real plural


def test_a_missing_or_stale_pdf_is_built_first(mail_project: Path) -> None:
    pdf_path = mail_project / "output" / "dossier-special-03.pdf"
    fake_pdf(mail_project)
    manifest = mail_project / "issues/03/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# edited after the build\n", encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 0, result.output
    assert "built output/dossier-special-03.pdf (missing, or not the print of its current sources)\n" in result.stderr
    built = pdf_path.read_bytes()
    assert built.startswith(b"%PDF-") and len(built) > 50_000
    (attachment,) = parse(eml_files(mail_project)[0]).iter_attachments()
    assert attachment.get_content() == built


def test_a_pdf_older_than_the_publication_logo_is_rebuilt(mail_project: Path) -> None:
    # The logo is outside the numéro's folder: staleness must follow every file the build reads.
    logo = mail_project / "logo.png"
    Image.new("RGB", (400, 200), "blue").save(logo)
    text = (mail_project / "publication.yaml").read_text(encoding="utf-8")
    (mail_project / "publication.yaml").write_text(text.replace("\nurl: ", "\nlogo: logo.png\nurl: ", 1), encoding="utf-8")
    assert run("build", "3").exit_code == 0
    pdf_path = mail_project / "output" / "dossier-special-03.pdf"
    assert prepare_mailing(Project(mail_project), "3", None).built is None, "up to date right after the build"

    Image.new("RGB", (400, 200), "red").save(logo)  # a new logo, after the build
    later = pdf_path.stat().st_mtime + 60
    os.utime(logo, (later, later))
    mailing = prepare_mailing(Project(mail_project), "3", None)
    assert mailing.built is not None
    assert mailing.composer.attachment is not None
    assert mailing.composer.attachment.data == pdf_path.read_bytes()

