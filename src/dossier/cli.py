"""The dossier command line: thin click commands, each calling one library function."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import printable
from .files import display_path
from .project import Project

# Each command imports its feature inside the function: `dossier --help` and `dossier validate`
# must not pay for WeasyPrint, the mail code or the preview server.

def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a line that may hold text from a manifest or a partner list, terminal controls escaped."""
    click.echo(printable(message), err=err, nl=nl)


ISSUE_HELP = "ISSUE is a numéro's folder (issues/03), its manifest file, or its number (3)."


# What a Ctrl-C left behind, said instead of click's bare "Aborted!".
_INTERRUPTED = {
    "send": "interrupted (Ctrl-C): every message the server accepted is recorded in the ledger; "
            "run the same command again to send the rest",
}
_INTERRUPTED_DEFAULT = "interrupted (Ctrl-C): files are written whole or not at all, so nothing was left half-written"


class Interrupted(click.ClickException):
    exit_code = 130  # as shells report a command ended by SIGINT

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(self.format_message(), err=True, file=file)


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted(_INTERRUPTED.get(ctx.invoked_subcommand or "", _INTERRUPTED_DEFAULT)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """Publish the Chaire's numbered "Dossier spécial" from YAML manifests.

    Run it inside the project folder (the one with publication.yaml).
    """


@cli.command(help=f"Check a numéro's manifest and report every problem. {ISSUE_HELP}")
@click.argument("issue")
def validate(issue: str) -> None:
    from .manifest import load_issue

    project = Project.find()
    manifest = project.manifest_for(issue)
    loaded = load_issue(project, manifest)
    initiatives = sum(len(theme.initiatives) for theme in loaded.practices)
    echo(
        f"{display_path(manifest, project.root)}: valid: numéro {loaded.number}, "
        f"{initiatives} initiatives in {len(loaded.practices)} themes, "
        f"{len(loaded.resources)} resources, {sum(len(t.articles) for t in loaded.readings)} readings"
    )


@cli.command(help=f"Build a numéro's PDF and HTML draft into output/. {ISSUE_HELP}")
@click.argument("issue")
@click.option("--strict", is_flag=True, help="Treat WeasyPrint warnings as errors.")
@click.option("--draft", is_flag=True, help='Mark every page "Brouillon" with today\'s date.')
@click.option(
    "--pdf-a", "archive", is_flag=True, help="Print PDF/A-3a for the archive (…-pdfa.pdf), the manifest embedded."
)
@click.option("--force", is_flag=True, help="Print even if nothing changed since the last build.")
def build(issue: str, strict: bool, draft: bool, archive: bool, force: bool) -> None:
    from .build import build_issue

    project = Project.find()
    result = build_issue(project, issue, strict=strict, draft=draft, archive=archive, force=force)
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    done = "unchanged (--force prints anyway)" if result.unchanged else f"{result.seconds:.1f} s"
    echo(
        f"{result.pages} pages, {result.size / 1024:.0f} KB, {done}; "
        f"draft: {display_path(result.html_path, project.root)}",
        err=True,
    )
    echo(display_path(result.pdf_path, Path.cwd()))


@cli.command(
    help=f"Serve a live preview of a numéro: the HTML draft, reloaded on every save, and its printed pages. {ISSUE_HELP}"
)
@click.argument("issue")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this machine only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
def preview(issue: str, host: str, port: int, open_browser: bool) -> None:
    from .preview import serve_preview

    project = Project.find()
    serve_preview(
        project, issue, host=host, port=port, open_browser=open_browser, report=lambda line: echo(line, err=True)
    )


@cli.command(
    help=f"""Mail a numéro to the partners, once each. {ISSUE_HELP}

    Without --send it is a dry run: each message is written to output/mail-NN/ as an .eml
    file and nothing is sent. --send sends to every partner the delivery ledger does not
    list as served (run it again after an interruption: it sends only the rest). The SMTP
    server comes from DOSSIER_SMTP_HOST, _PORT, _SECURITY (starttls, ssl, none), _USER and
    _PASSWORD."""
)
@click.argument("issue")
@click.option("--partners", "partners_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The partner list: a .csv file (UTF-8, header row, an email column) or a .yaml list.")
@click.option("--send", "really_send", is_flag=True, help="Really send the messages.")
@click.option("--test", "test_address", metavar="ADDRESS", help="Send one copy to ADDRESS only (not recorded).")
@click.option("--link", metavar="URL", help="Send this address of the PDF instead of attaching the PDF.")
@click.option("--web", is_flag=True,
              help="Attach nothing: the links go to the web edition at publication.yaml's site_url (dossier site).")
@click.option("--rate", type=click.IntRange(min=1), metavar="N", help="Send at most N messages a minute.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True, metavar="N",
              help="Dry run: write the first N messages (all of them are checked).")
@click.option("--status", is_flag=True, help="Show who was sent the numéro, who failed and who is pending.")
@click.option("--ledger", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
              help="The delivery ledger (default: mail.ledger, else .dossier/deliveries.sqlite).")
def send(issue: str, partners_file: Path | None, really_send: bool, test_address: str | None, link: str | None,
         web: bool, rate: int | None, limit: int, status: bool, ledger: Path | None) -> None:
    from .mail import SendFailures, delivery_status, prepare_mailing, send_mailing, send_test, write_dry_run
    from .mail.smtp import SmtpConfig

    if really_send + bool(test_address) + status > 1:
        raise click.UsageError("choose one of --send, --test and --status")
    if web and link:
        raise click.UsageError("choose --web (the site's PDF) or --link URL, not both")
    if partners_file is None and not (status or test_address):
        raise click.UsageError("give the partner list: --partners FILE (a .csv or .yaml file)")
    project = Project.find()
    if status:
        echo("\n".join(delivery_status(project, issue, partners_file, ledger=ledger).lines()))
        return
    smtp = SmtpConfig.from_environ() if really_send or test_address else None
    mailing = prepare_mailing(project, issue, partners_file, link=link, ledger=ledger, check_all=not test_address,
                              web=web)
    if mailing.built is not None:
        echo(f"built {display_path(mailing.built.pdf_path, Path.cwd())} (missing, or not the print of its current sources)",
                   err=True)
    if smtp is None:
        echo("\n".join(write_dry_run(mailing, limit=limit).lines()))
    elif test_address:
        echo(send_test(mailing, smtp, test_address))
    else:
        with click.progressbar(length=len(mailing.pending), label="sending", show_pos=True, file=sys.stderr) as bar:
            report = send_mailing(mailing, smtp, rate=rate, progress=lambda event: bar.update(1))
        echo("\n".join(report.lines()))
        if report.failures:
            raise SendFailures(report.failure_message())


ledger_option = click.option(
    "--ledger", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
    help="The delivery ledger, which holds the suppression list (default: mail.ledger, else .dossier/deliveries.sqlite).",
)


@cli.command(
    help="""Put addresses on the suppression list: no numéro will be sent to them, whatever a partner list says.

    Give the addresses, or --file LIST (a .csv or .yaml list, as for dossier send --partners)."""
)
@click.argument("addresses", nargs=-1, metavar="[ADDRESS]...")
@click.option("--file", "list_file", metavar="LIST", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A list of addresses to unsubscribe: a .csv file with an email column, or a .yaml list.")
@click.option("--reason", metavar="TEXT", help="Why, for the record (e.g. 'asked by phone').")
@ledger_option
def unsubscribe(addresses: tuple[str, ...], list_file: Path | None, reason: str | None, ledger: Path | None) -> None:
    from .mail.manage import unsubscribe as suppress_addresses

    echo("\n".join(suppress_addresses(Project.find(), addresses, list_file, reason=reason, ledger=ledger)))


@cli.command(help="Take an address off the suppression list again: later numéros are sent to it (the act is logged).")
@click.argument("address")
@ledger_option
def resubscribe(address: str, ledger: Path | None) -> None:
    from .mail.manage import resubscribe as resubscribe_address

    echo(resubscribe_address(Project.find(), address, ledger=ledger))


@cli.command(help="List the suppression list: address, why, when and where it came from.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (with an email column: dossier unsubscribe --file reads it).")
@ledger_option
def suppressed(as_csv: bool, ledger: Path | None) -> None:
    from .mail.manage import suppressed as suppression_list

    echo(suppression_list(Project.find(), as_csv=as_csv, ledger=ledger))


@cli.command(
    help="""Read the Chaire's mailbox and update the suppression list: unsubscribe requests and bounces.

    The mailbox is --mbox FILE, --maildir DIR, or IMAP: DOSSIER_IMAP_HOST, _PORT, _SECURITY (ssl,
    starttls, none), _USER and _PASSWORD, and --folder. It is only read unless --mark. Prints what
    it did with each message; a message read before changes nothing."""
)
@click.option("--mbox", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read an mbox file (a mailbox exported by a mail client).")
@click.option("--maildir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Read a Maildir folder.")
@click.option("--folder", default="INBOX", show_default=True, help="The IMAP folder to read.")
@click.option("--mark", is_flag=True, help="Flag the messages used as seen (Maildir, IMAP); others stay unread.")
@click.option("--partners", "partners_files", metavar="FILE", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A partner list whose addresses may unsubscribe by a plain message (the ledger's already can).")
@ledger_option
def inbox(mbox: Path | None, maildir: Path | None, folder: str, mark: bool, partners_files: tuple[Path, ...],
          ledger: Path | None) -> None:
    from .mail.inbox import read_inbox

    report = read_inbox(Project.find(), mbox=mbox, maildir=maildir, folder=folder, mark=mark,
                        partners_files=partners_files, ledger=ledger)
    echo("\n".join(report.lines()))
@cli.command(
    help="""Write the static site: the archive of numéros, each numéro's web edition and PDF, feed.xml, sitemap.xml.

    ISSUE… are the numéros to publish (default: every numéro in issues/), as folders,
    manifests or numbers. The site goes to output/site/ (or --output DIR), written whole or
    not at all; a numéro whose files did not change is not rebuilt. Prints the site's folder."""
)
@click.argument("issues", nargs=-1)
@click.option("--output", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write the site to DIR instead of output/site/.")
def site(issues: tuple[str, ...], output: Path | None) -> None:
    from .site import build_site

    project = Project.find()
    report = build_site(project, issues, output)
    for line in report.lines(project.root):
        echo(line, err=True)
    echo(display_path(report.folder, Path.cwd()))


@cli.command(help=f"Check a numéro beyond validation: links, duplicates, alt texts, image resolution, card length. {ISSUE_HELP}")
@click.argument("issue")
@click.option("--online", is_flag=True, help="Also reach every link (a day's cache in .dossier/links.json).")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each link with --online.")
def check(issue: str, online: bool, timeout: float) -> None:
    from .check import check_issue

    project = Project.find()
    findings = check_issue(project, issue, online=online, timeout=timeout)
    for finding in findings:
        echo(str(finding))
    echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", err=True)
    if findings:
        raise SystemExit(1)


@cli.command(
    help="""Start a new numéro: issues/NN/issue.yaml, ready to fill in and valid as it is.

    It lists the numéros already in issues/ (and the ones they list) in "(Re)lire", keeps the
    themes, title and back pages of the numéro before it, and marks what to write with
    "À compléter". It never overwrites a numéro. Prints the new manifest's path."""
)
@click.option("--number", type=click.IntRange(min=1), metavar="N",
              help="The new numéro's number (default: the highest in issues/ plus one).")
def new(number: int | None) -> None:
    from .scaffold import new_issue

    project = Project.find()
    scaffold = new_issue(project, number)
    if scaffold.schema_written is not None:
        echo(f"wrote {display_path(scaffold.schema_written, project.root)} (the manifest's schema)", err=True)
    echo(display_path(scaffold.manifest, Path.cwd()))


@cli.command(
    help="""Print the manifest's JSON Schema, generated from the model that validates manifests.

    Editors use it for completion, help and inline errors: a manifest names it on its first
    line (# yaml-language-server: $schema=../../schema/issue.schema.json)."""
)
@click.option("--output", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to FILE (atomically) instead of printing it, and print FILE.")
def schema(output: Path | None) -> None:
    from .manifest.schema import schema_text, write_schema

    if output is None:
        echo(schema_text(), nl=False)
    else:
        echo(display_path(write_schema(output), Path.cwd()))


def main() -> None:
    cli(prog_name="dossier")
