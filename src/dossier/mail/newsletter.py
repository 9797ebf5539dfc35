"""What the newsletter shows of the initiatives: the highlighted ones, an excerpt of each, and its photo.

Invariants: the choice of initiatives is ``weblinks.highlighted`` (the site writes their photos too);
an excerpt keeps French typography's narrow no-break spaces (no line starts with « : »); a photo is a
JPEG (``site.images.mail_jpeg``) shown at most 544 px wide with its alt text, linked from the web
edition when there is one (the site wrote the same file under the same name), else attached to
each message and named by its cid.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email.message import MIMEPart
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import TYPE_CHECKING

from ..manifest.model import Initiative, Issue
from ..manifest.typography import plain_text
from ..site.images import IMAGES_FOLDER, mail_image_name, mail_jpeg
from ..weblinks import highlighted, initiative_anchors

if TYPE_CHECKING:
    from .compose import WebEdition


@dataclass(frozen=True)
class MailImage:
    """A highlighted initiative's photo in the newsletter: from the web edition (``src`` an https address), or
    attached to each message (``src`` "cid:…", ``data`` the JPEG)."""

    src: str
    width: int  # as shown: the column's width, or less for a narrow photo
    height: int
    alt: str
    data: bytes | None = field(default=None, repr=False)

    @property
    def cid(self) -> str | None:
        return self.src.removeprefix("cid:") if self.data is not None else None


@dataclass(frozen=True)
class Highlight:
    """An initiative the newsletter presents: its theme (numbered from 1), its anchor, an excerpt of its text."""

    theme: str
    theme_number: int
    initiative: Initiative
    anchor: str
    excerpt: str
    image: MailImage | None = None


EXCERPT_CHARS = 160  # about two lines of the newsletter's 600 px column
IMAGE_COLUMN = 544  # px: the sheet's 600 less its padding


def highlights(issue: Issue, project_root: Path | None = None, edition: WebEdition | None = None) -> list[Highlight]:
    """Per theme, the initiatives marked ``highlight: true``, else the theme's first (``weblinks.highlighted``).

    With ``project_root``, each raster photo comes along: at the web edition's address when there is one (the
    site writes the same JPEG), else to be attached.
    """
    found = []
    anchors = initiative_anchors(issue)
    for t, i in highlighted(issue):
        theme, initiative = issue.practices[t], issue.practices[t].initiatives[i]
        excerpt = _excerpt(plain_text(initiative.text, initiative.lang))
        image = _image(project_root, initiative, edition) if project_root else None
        found.append(Highlight(theme.theme, t + 1, initiative, anchors[t][i], excerpt, image))
    return found


def _image(root: Path, initiative: Initiative, edition: WebEdition | None) -> MailImage | None:
    if not initiative.image or initiative.image.lower().endswith(".svg"):
        return None
    source = root / initiative.image
    with source.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    data, width, height = mail_jpeg(source)
    shown = min(width, IMAGE_COLUMN)
    size = (shown, max(1, round(height * shown / width)))
    if edition is not None:
        return MailImage(f"{edition.url}{IMAGES_FOLDER}/{mail_image_name(source, digest)}", *size, initiative.alt or "")
    return MailImage(f"cid:{digest[:20]}@dossier", *size, initiative.alt or "", data)


def _excerpt(text: str) -> str:
    # Only ASCII white space is folded: the narrow no-break spaces of French typography (before « : », inside
    # « ») are kept, so no line starts with a colon. (str.split() would take them for spaces.)
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:\u202f\u00a0") + "…"


def inline_part(image: MailImage) -> bytes:
    """The MIME part of an attached photo (``image.data``), its Content-ID the ``cid:`` the HTML names."""
    assert image.data is not None and image.cid is not None
    part = MIMEPart(policy=SMTP_POLICY)
    part.set_content(image.data, maintype="image", subtype="jpeg", cid=f"<{image.cid}>", disposition="inline",
                     filename=f"{image.cid.split('@')[0]}.jpg")
    return part.as_bytes()
