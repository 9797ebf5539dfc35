"""The newsletter as the preview shows it: the message a stand-in partner would get, the PDF neither attached nor linked.

Invariant: nothing is written and nothing is sent; the preview has no partner list and prints no file.
"""

from __future__ import annotations

from ..i18n import _
from ..manifest import Issue
from ..project import Project
from .compose import Composer, Sender
from .partners import STANDARD_COLUMNS, Partner
from .templates import MailTemplates

STAND_IN = "partenaire@example.org"


def newsletter_preview(project: Project, issue: Issue) -> str:
    """The HTML part of the message the first partner would get (a stand-in partner, partenaire@example.org)."""
    settings = issue.publication.mail
    sender = Sender(settings.from_name or issue.publication.publisher_short or issue.publication.publisher,
                    settings.from_address or STAND_IN, settings.reply_to, settings.unsubscribe_mailto or STAND_IN)
    templates = MailTemplates(project, issue.manifest, settings, ("email", *STANDARD_COLUMNS), _("the partner list"))
    composer = Composer(issue, sender, templates, attachment=None, link=None)
    partner = Partner(STAND_IN, 1, {name: "" for name in STANDARD_COLUMNS} | {"email": STAND_IN})
    return composer.texts(partner).html
