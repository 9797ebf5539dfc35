"""What ``dossier send --send`` is about to do, said before it does it, and the editor's go-ahead.

Invariant: nothing is sent unless the editor typed the numéro's number at a terminal, or
gave ``--yes`` (a script, a scheduled job); any other answer, or no terminal, sends nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..errors import DossierError
from ..files import format_size
from ..i18n import _, ngettext
from .mailing import Mailing


def summary(mailing: Mailing) -> str:
    """« n°4 → 186 partenaires, 12 exclus, pièce jointe 1,2 Mo, objet « … » »: what --send will send."""
    pending = mailing.pending
    parts = [ngettext("{count} partner", "{count} partners", len(pending)).format(count=len(pending))]
    if mailing.skipped:
        parts.append(ngettext("{count} on the suppression list", "{count} on the suppression list",
                              len(mailing.skipped)).format(count=len(mailing.skipped)))
    if mailing.already_sent:
        parts.append(ngettext("{count} already sent", "{count} already sent",
                              mailing.already_sent).format(count=mailing.already_sent))
    composer = mailing.composer
    if composer.attachment is not None:
        parts.append(_("attachment {size}").format(size=format_size(len(composer.attachment.data))))
    elif composer.link:
        parts.append(_("link {url}").format(url=composer.link))
    if pending:
        parts.append(_('subject "{subject}"').format(subject=composer.texts(pending[0]).subject))
    return _("n°{number} → {parts}").format(number=mailing.issue.number, parts=", ".join(parts))


def is_interactive() -> bool:
    return sys.stdin.isatty()


def confirm_sending(mailing: Mailing, *, yes: bool, ask: Callable[[str], str], interactive: bool | None = None) -> None:
    """Return when the editor agreed (typed the number, or --yes); DossierError, nothing sent, otherwise."""
    if yes or not mailing.pending:
        return
    if not (is_interactive() if interactive is None else interactive):
        raise DossierError(_("--send asks you to confirm at a terminal: run it in a terminal, or add --yes (in a "
                             "script): nothing was sent"))
    answer = ask(_("To send, type the numéro's number ({number}); anything else sends nothing:").format(
        number=mailing.issue.number))
    if answer.strip().lstrip("0") != str(mailing.issue.number):
        raise DossierError(_("'{answer}' is not {number}: nothing was sent").format(
            answer=answer.strip(), number=mailing.issue.number))
