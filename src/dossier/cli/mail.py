"""The mailing's commands: send, and the suppression list (unsubscribe, resubscribe, suppressed, inbox).

Thin click commands, each importing its feature inside itself; ``dossier.cli`` adds them to the group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..files import display_path
from ..i18n import N_, _, ngettext
from ..project import Project
from .group import command, echo
from .words import IntRange, argument, option


@command(help=N_("""Mail a numéro to the partners, once each. {issue}

    Without --send it is a dry run: each message is written to output/mail-NN/ as an .eml
    file and nothing is sent. --send says what it will send, asks you to type the numéro's
    number, and sends to every partner the delivery ledger does not list as served (run it
    again after an interruption: it sends only the rest). --test and --send refuse a numéro
    with « À compléter » left or an image without alt text. The SMTP server is
    publication.yaml's mail: smtp: (host, port, security, user), the password
    DOSSIER_SMTP_PASSWORD or the system's keyring; DOSSIER_SMTP_* variables override."""))
@argument("issue")
@option("--partners", "partners_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=N_("The partner list: a spreadsheet (.xlsx, .ods or .csv, a header row with a column of addresses) or a "
                "YAML list."))
@option("--send", "really_send", is_flag=True, help=N_("Really send the messages."))
@option("--test", "test_address", metavar="ADDRESS", help=N_("Send one copy to ADDRESS only (not recorded)."))
@option("--link", metavar="URL", help=N_("Send this address of the PDF instead of attaching the PDF."))
@option("--web", is_flag=True,
        help=N_("Attach nothing: the links go to the web edition at publication.yaml's site_url (dossier site)."))
@option("--rate", type=IntRange(min=1), metavar="N", help=N_("Send at most N messages a minute."))
@option("--limit", type=IntRange(min=1), default=100, show_default=True, metavar="N",
        help=N_("Dry run: write the first N messages (all of them are checked)."))
@option("--status", is_flag=True, help=N_("Show who was sent the numéro, who failed and who is pending."))
@option("--retry-uncertain", is_flag=True,
        help=N_("Send again to partners whose message may have arrived (the connection was lost after it was sent)."))
@option("--yes", is_flag=True, help=N_("With --send: send without asking to type the numéro's number (in a script)."))
@option("--ledger", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
        help=N_("The delivery ledger (default: mail.ledger, else .dossier/deliveries.sqlite)."))
def send(issue: str, partners_file: Path | None, really_send: bool, test_address: str | None, link: str | None,
         web: bool, rate: int | None, limit: int, status: bool, retry_uncertain: bool, yes: bool,
         ledger: Path | None) -> None:
    from ..mail import SendFailures, delivery_status, prepare_mailing, send_mailing, send_test, write_dry_run
    from ..mail.server import server_for

    if really_send + bool(test_address) + status > 1:
        raise click.UsageError(_("choose one of --send, --test and --status"))
    if web and link:
        raise click.UsageError(_("choose --web (the site's PDF) or --link URL, not both"))
    if partners_file is None and not (status or test_address):
        raise click.UsageError(_("give the partner list: --partners FILE (a .xlsx, .ods, .csv or .yaml file)"))
    project = Project.find()
    if status:
        echo("\n".join(delivery_status(project, issue, partners_file, ledger=ledger).lines()))
        return
    if really_send or test_address:
        from ..check import require_ready

        for warning in require_ready(project, issue, _("nothing was sent")):
            echo(_("warning: {warning}").format(warning=warning), err=True)
    smtp = server_for(project, issue) if really_send or test_address else None
    mailing = prepare_mailing(project, issue, partners_file, link=link, ledger=ledger, check_all=not test_address,
                              web=web, retry_uncertain=retry_uncertain)
    if mailing.partners is not None and mailing.partners.read_as:
        echo(ngettext("{list}: {count} partner ({how})", "{list}: {count} partners ({how})", len(mailing.partners)).format(
            list=mailing.partners.shown, count=len(mailing.partners), how=mailing.partners.read_as), err=True)
    if mailing.built is not None:
        echo(_("built {pdf} (missing, or not the print of its current sources)").format(
            pdf=display_path(mailing.built.pdf_path, Path.cwd())), err=True)
    if smtp is None:
        echo("\n".join(write_dry_run(mailing, limit=limit).lines()))
    elif test_address:
        echo(send_test(mailing, smtp, test_address))
    else:
        from ..mail.confirm import confirm_sending, summary

        echo(summary(mailing), err=True)
        confirm_sending(mailing, yes=yes, ask=lambda question: click.prompt(question, default="", show_default=False,
                                                                            err=True, prompt_suffix=" "))
        with click.progressbar(length=len(mailing.pending), label=_("sending"), show_pos=True, file=sys.stderr) as bar:
            report = send_mailing(mailing, smtp, rate=rate, progress=lambda event: bar.update(1))
        echo("\n".join(report.lines()))
        if report.failures:
            raise SendFailures(report.failure_message())


ledger_option = option(
    "--ledger", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The delivery ledger, which holds the suppression list (default: mail.ledger, else .dossier/deliveries.sqlite)."),
)


@command(help=N_("""Put addresses on the suppression list: no numéro will be sent to them, whatever a partner list says.

    Give the addresses, or --file LIST (a .csv or .yaml list, as for dossier send --partners)."""))
@argument("addresses", nargs=-1, metavar="[ADDRESS]...")
@option("--file", "list_file", metavar="LIST", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=N_("A list of addresses to unsubscribe: a spreadsheet (.xlsx, .ods, .csv) with a column of addresses, or a "
                "YAML list."))
@option("--reason", metavar="TEXT", help=N_("Why, for the record (e.g. 'asked by phone')."))
@ledger_option
def unsubscribe(addresses: tuple[str, ...], list_file: Path | None, reason: str | None, ledger: Path | None) -> None:
    from ..mail.manage import unsubscribe as suppress_addresses

    echo("\n".join(suppress_addresses(Project.find(), addresses, list_file, reason=reason, ledger=ledger)))


@command(help=N_("Take an address off the suppression list again: later numéros are sent to it (the act is logged)."))
@argument("address")
@ledger_option
def resubscribe(address: str, ledger: Path | None) -> None:
    from ..mail.manage import resubscribe as resubscribe_address

    echo(resubscribe_address(Project.find(), address, ledger=ledger))


@command(help=N_("List the suppression list: address, why, when and where it came from."))
@option("--csv", "as_csv", is_flag=True, help=N_("Print CSV (with an email column: dossier unsubscribe --file reads it)."))
@ledger_option
def suppressed(as_csv: bool, ledger: Path | None) -> None:
    from ..mail.manage import suppressed as suppression_list

    echo(suppression_list(Project.find(), as_csv=as_csv, ledger=ledger))


@command(help=N_("""Read the Chaire's mailbox and update the suppression list: unsubscribe requests and bounces.

    The mailbox is --mbox FILE, --maildir DIR, or IMAP: the server of publication.yaml's mail.imap
    (host, port, security, user, folder; DOSSIER_IMAP_* override them), the password from
    DOSSIER_IMAP_PASSWORD or the system's keyring. It is only read unless --mark. A bounce or
    a request acts only when it is tied to a message we sent; the others go to the review list
    (à vérifier): --review lists it, --confirm N applies what entry N proposes, --dismiss N drops
    it. Prints what it did with each message and why; a message read before changes nothing."""))
@option("--mbox", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=N_("Read an mbox file (a mailbox exported by a mail client)."))
@option("--maildir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help=N_("Read a Maildir folder."))
@option("--folder", metavar="NAME", help=N_("The IMAP folder to read (default: mail.imap.folder, else INBOX)."))
@option("--mark", is_flag=True, help=N_("Flag the messages used as seen (Maildir, IMAP); others stay unread."))
@option("--partners", "partners_files", metavar="FILE", multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=N_("A partner list, to say in the review list whether a sender is a partner never sent a numéro."))
@option("--review", "show_review", is_flag=True, help=N_("List the messages to review (à vérifier); read no mailbox."))
@option("--confirm", metavar="N", multiple=True, type=IntRange(min=1),
        help=N_("Apply what review entry N proposes (unsubscribe, bounce); read no mailbox."))
@option("--dismiss", metavar="N", multiple=True, type=IntRange(min=1),
        help=N_("Drop review entry N: nothing changes; read no mailbox."))
@ledger_option
def inbox(mbox: Path | None, maildir: Path | None, folder: str | None, mark: bool, partners_files: tuple[Path, ...],
          show_review: bool, confirm: tuple[int, ...], dismiss: tuple[int, ...], ledger: Path | None) -> None:
    from ..mail.inbox import read_inbox, review_inbox

    if show_review or confirm or dismiss:
        echo(review_inbox(Project.find(), confirm=confirm, dismiss=dismiss, ledger=ledger))
        return
    report = read_inbox(Project.find(), mbox=mbox, maildir=maildir, folder=folder, mark=mark,
                        partners_files=partners_files, ledger=ledger)
    echo("\n".join(report.lines()))


@command("import-unsubscribes", help=N_(
    """Put the one-click unsubscribe requests of the endpoint's file on the suppression list.

    FILE is the file the unsubscribe endpoint appends to (DOSSIER_UNSUBSCRIBE_FILE where it runs).
    A request acts only if its link was made with DOSSIER_SECRET for a message the ledger records
    as sent, and only once; every request gets a line saying what it did."""))
@argument("requests_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ledger_option
def import_unsubscribes(requests_file: Path, ledger: Path | None) -> None:
    from ..mail.unsubscribe.imports import import_unsubscribes as apply_requests

    echo("\n".join(apply_requests(Project.find(), requests_file, ledger=ledger).summary()))


@command(help=N_("""Check what the sender's domain publishes in DNS for the mail to arrive: SPF, DKIM and DMARC.

    Looks up the records of mail.from_address's domain (and of mail.bounce_address's, the
    envelope sender), the DKIM key of mail.dkim, and says what is missing and what to publish."""))
def doctor() -> None:
    from ..mail.doctor import check_mail_dns

    lines, complete = check_mail_dns(Project.find())
    echo("\n".join(lines))
    if not complete:
        raise click.exceptions.Exit(1)  # the last line said what to fix
