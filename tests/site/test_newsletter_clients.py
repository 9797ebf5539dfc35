"""The newsletter as mail clients read it: doiuse-email (caniemail's data) for Outlook for Windows, Gmail and
Apple Mail, SpamAssassin's score (Debian's package, local rules only), its photos, and French spacing.

doiuse-email is the npm package of package-lock.json (scripts/test installs it with npm ci); SpamAssassin
is Debian's spamassassin (scripts/test's DOSSIER_APT_PACKAGES).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run
from numeros import CardSpec, NumeroSpec, write_numero
from site_support import SITE_URL, set_site_url
from test_newsletter_mail import mail_project, message, part  # noqa: F401 - the fixture

DOIUSE = REPO / "node_modules/doiuse-email/bin/cli.js"
CLIENTS = "outlook.windows,outlook.windows-mail,gmail.*,apple-mail.*"
# What doiuse-email reports and the newsletter keeps, each with the fallback the README gives.
ALLOWED = {"@media", "role attribute"}
SPAM_LIMIT = 1.0
PHOTOS = NumeroSpec(themes=((CardSpec(300, True, True), CardSpec(200, True, False)), (CardSpec(250, True, True),)),
                    resources=1, readings=(2,), seed=7)


def doiuse_errors(html: str, folder: Path) -> set[str]:
    """The features doiuse-email says the clients do not support (``@media``, ``border-radius``…)."""
    if not DOIUSE.is_file() or shutil.which("node") is None:
        pytest.fail("doiuse-email is not installed: run npm ci (scripts/test does)")
    path = folder / "newsletter.html"
    path.write_text(html, encoding="utf-8")
    out = subprocess.run(["node", str(DOIUSE), "-e", CLIENTS, str(path)], capture_output=True, text=True, check=True)
    return {re.match(r"`([^`]+)`", error)[1] for error in json.loads(out.stdout)["errors"]}


def spam_score(eml: bytes) -> tuple[float, list[str]]:
    """SpamAssassin's score of a message, local tests only (-L: no network), and the rules that hit."""
    if shutil.which("spamassassin") is None:
        pytest.fail("spamassassin is not installed: scripts/test installs Debian's package")
    report = subprocess.run(["spamassassin", "-L", "-t"], input=eml, capture_output=True, check=True, timeout=300).stdout
    text = report.decode("utf-8", "replace")
    score = float(re.search(r"Content analysis details:\s+\((-?[\d.]+) points", text)[1])
    rules = re.findall(r"^\s*-?[\d.]+ ([A-Z0-9_]+)\s", text.split("Content analysis details:", 1)[1], re.M)
    return score, rules


def test_the_newsletter_holds_in_outlook_gmail_and_apple_mail(mail_project: Path, tmp_path: Path) -> None:  # noqa: F811
    set_site_url(mail_project)
    assert run("send", "3", "--partners", "fake-partners.csv", "--web").exit_code == 0
    eml = next((mail_project / "output/mail-03").glob("*.eml"))
    html = part(message(mail_project), "html")
    # A fixed 600 px table for Outlook for Windows, which ignores max-width; the button's padding on its cell.
    assert '<!--[if mso]><table role="presentation" width="600"' in html and "<!--[if mso]></td></tr></table><![endif]-->" in html
    cell = re.search(r'<td class="button-cell"[^>]*>', html)[0]
    assert "padding: 13px 26px" in cell and 'bgcolor="#123a5a"' in cell
    assert "border-radius" not in html and "opacity" not in html and "display: none" not in html
    # The first text is a visible preheader: the themes of the numéro.
    assert re.search(r'<td class="preheader"[^>]*>Au sommaire\u202f: Développement économique, ', html)

    errors = doiuse_errors(html, tmp_path)
    assert errors <= ALLOWED, errors - ALLOWED
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for feature in ALLOWED:
        assert f"`{feature}`" in readme, f"the README lists {feature} and its fallback"

    score, rules = spam_score(eml.read_bytes())
    print(f"SpamAssassin: {score} points, rules: {', '.join(rules)}")
    assert score <= SPAM_LIMIT, rules
    assert not {"HTML_FONT_LOW_CONTRAST", "FONT_INVIS_MSGID", "HTML_IMAGE_ONLY_16", "HTML_IMAGE_RATIO_02"} & set(rules)


# Prose as editors write it, for every card: the generator's word lists string long words together
# (« quartier public acteurs festival projet… »), which SpamAssassin's LONGWORDS rightly scores.
PROSE = ("La commune a ouvert un marché de producteurs le samedi matin, avec une navette depuis la gare et des "
         "ateliers pour les enfants ; les habitants en parlent déjà comme d'un rendez-vous.")


def first_text_with_colon(manifest: Path) -> None:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["subtitle"] = "Des marchés et des places"
    data["edito"] = f"{PROSE}\n\n{PROSE}"
    for theme in data["practices"]:
        for number, initiative in enumerate(theme["initiatives"], start=1):
            initiative["title"] = f"Un marché du samedi, {number}"
            initiative["text"] = PROSE
    data["practices"][0]["initiatives"][0]["text"] = ("Un soutien : des subventions, « vite » ; et plus encore pour "
                                                      "tous les commerces.")
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def photos(msg: EmailMessage) -> list[EmailMessage]:
    return [p for p in msg.walk() if p.get_content_type() == "image/jpeg"]


def test_highlighted_photos_are_attached_inline_without_a_site(mail_project: Path, tmp_path: Path) -> None:  # noqa: F811
    manifest = write_numero(mail_project, PHOTOS, number=9)
    first_text_with_colon(manifest)
    result = run("send", "9", "--partners", "fake-partners.csv", "--link", "https://example.org/d.pdf")
    assert result.exit_code == 0, result.output
    (eml,) = (mail_project / "output/mail-09").glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    html = msg.get_body(("html",)).get_content()
    related = [p for p in msg.walk() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1 and related[0].get_content_type() == "multipart/related"
    attached = photos(msg)
    assert len(attached) == 2, "one photo per highlighted initiative: each theme's first"
    for image in attached:
        cid = image["Content-ID"].strip("<>")
        (tag,) = [tag for tag in re.findall(r'<img class="photo"[^>]*>', html) if f'src="cid:{cid}"' in tag]
        assert 'alt="Une photo d’essai"' in tag and 'width="544"' in tag
        assert image.get_content().startswith(b"\xff\xd8"), "a JPEG"
    excerpt = re.search(r"Un soutien[^<]*", html)[0]
    assert "soutien\u202f: des" in excerpt and "«\u202fvite\u202f»\u202f;" in excerpt, "French spacing kept"
    assert not re.search(r"\s:", excerpt.replace("\u202f:", ""))

    score, rules = spam_score(eml.read_bytes())
    print(f"SpamAssassin, photos inline and the PDF linked: {score} points, rules: {', '.join(rules)}")
    assert score <= SPAM_LIMIT, rules
    assert doiuse_errors(html, tmp_path) <= ALLOWED


def test_with_a_site_the_photos_come_from_the_web_edition(mail_project: Path) -> None:  # noqa: F811
    set_site_url(mail_project)
    write_numero(mail_project, PHOTOS, number=9)
    assert run("site", "9").exit_code == 0
    assert run("send", "9", "--partners", "fake-partners.csv", "--web").exit_code == 0
    (eml,) = (mail_project / "output/mail-09").glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert photos(msg) == [], "nothing attached: the photos are on the site"
    html = msg.get_body(("html",)).get_content()
    sources = re.findall(r'<img class="photo"[^>]* src="([^"]+)"', html)
    assert len(sources) == 2
    for src in sources:
        assert src.startswith(f"{SITE_URL}09/images/") and src.endswith("-mail.jpg")
        assert (mail_project / "output/site/09/images" / src.rsplit("/", 1)[1]).is_file(), "the site wrote it"
