"""The numéro's other two editions in the preview: the newsletter (``/mail``) and the web edition (``/web``).

Both are made from the session's last good numéro on each request, as ``dossier send``
and ``dossier site`` make them, so they follow every save (the client reloads them like
the draft). Invariants: nothing is written (no PDF, no resized image: the web edition shows
the project's images as they are, and the fonts as styles/fonts/ has them); the newsletter
is the message of a stand-in partner (partenaire@example.org, no name), with the PDF
neither attached nor linked, since the preview has no partner list and prints no file.
"""

from __future__ import annotations

from importlib import resources

from ..manifest import Issue
from ..project import Project

STAND_IN = "partenaire@example.org"
# The web edition's assets, at the URLs its page names from /web (root "../" is "/").
WEB_ASSETS = {"/assets/site.css": "text/css; charset=utf-8", "/assets/edition.js": "text/javascript; charset=utf-8"}


def newsletter_html(project: Project, issue: Issue) -> str:
    """The HTML part of the message the first partner would get (a stand-in partner)."""
    # Imported here: the draft alone never loads the mail code.
    from ..mail.compose import Composer, Sender
    from ..mail.partners import STANDARD_COLUMNS, Partner
    from ..mail.templates import MailTemplates

    settings = issue.publication.mail
    sender = Sender(settings.from_name or issue.publication.publisher_short or issue.publication.publisher,
                    settings.from_address or STAND_IN, settings.reply_to, settings.unsubscribe_mailto or STAND_IN)
    templates = MailTemplates(project, issue.manifest, settings, ("email", *STANDARD_COLUMNS), "the partner list")
    composer = Composer(issue, sender, templates, attachment=None, link=None)
    partner = Partner(STAND_IN, 1, {name: "" for name in STANDARD_COLUMNS} | {"email": STAND_IN})
    return composer.texts(partner).html


def web_edition_html(project: Project, issue: Issue, pages: int) -> str:
    """The web edition's page, its images and fonts served from the project as the draft's are."""
    from ..site.edition import SiteInfo, render_edition
    from ..site.images import WebImage
    from ..site.state import EditionRecord

    images = {use.path: WebImage(f"/{use.path}", "", 0, 0) for use in issue.images()}
    record = EditionRecord(hash="", pdf_size=0, pages=pages)
    site = SiteInfo(issue.publication.site_url, frozenset({issue.number}))
    return render_edition(project, issue, site, record, images)


def web_asset(project: Project, path: str) -> bytes | None:
    """The web edition's stylesheet (fonts from /styles/fonts/) or script, for their URL ``path``."""
    static = resources.files("dossier.site").joinpath("static")
    if path == "/assets/edition.js":
        return static.joinpath("edition.js").read_bytes()
    if path == "/assets/site.css":
        from ..site.fonts import faces

        rules = [f'@font-face {{ font-family: "{family}"; src: url(/styles/fonts/{file.name}); '
                 f"font-weight: {weight}; font-style: {style}; }}"
                 for family, file, weight, style in faces(project.styles_dir / "fonts")]
        return ("\n".join(rules) + "\n" + static.joinpath("web.css").read_text(encoding="utf-8")).encode("utf-8")
    return None
