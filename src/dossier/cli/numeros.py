"""The numéro's commands: validate, build, check, new, preview, site, schema.

Thin click commands, each calling one library function, imported inside the command: `dossier
--help` and `dossier validate` must not pay for WeasyPrint, the mail code or the preview server.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import i18n
from ..files import display_path
from ..i18n import N_, _, ngettext
from ..project import Project
from .group import command, echo
from .words import Float, IntRange, argument, option


@command(help=N_("Check a numéro's manifest and report every problem. {issue}"))
@argument("issue")
def validate(issue: str) -> None:
    from ..manifest import load_issue

    project = Project.find()
    manifest = project.manifest_for(issue)
    loaded = load_issue(project, manifest)
    initiatives = sum(len(theme.initiatives) for theme in loaded.practices)
    readings = sum(len(theme.articles) for theme in loaded.readings)
    themes = len(loaded.practices)
    resources = len(loaded.resources)
    # Zero reads « aucune ressource », not « 0 ressource ».
    practices = _("no initiatives") if not initiatives else " ".join((
        ngettext("{count} initiative", "{count} initiatives", initiatives).format(count=initiatives),
        ngettext("in {count} theme", "in {count} themes", themes).format(count=themes)))
    echo(_("{manifest}: valid: numéro {number}, {practices}, {resources}, {readings}").format(
        manifest=display_path(manifest, project.root),
        number=loaded.number,
        practices=practices,
        resources=ngettext("{count} resource", "{count} resources", resources).format(count=resources)
        if resources else _("no resources"),
        readings=ngettext("{count} reading", "{count} readings", readings).format(count=readings)
        if readings else _("no readings"),
    ))


@command(help=N_("Build a numéro's PDF and HTML draft into output/. {issue}"))
@argument("issue")
@option("--strict", is_flag=True, help=N_("Treat WeasyPrint warnings as errors."))
@option("--draft", is_flag=True, help=N_('Mark every page "Brouillon" with today\'s date.'))
@option("--pdf-a", "archive", is_flag=True, help=N_("Print PDF/A-3a for the archive (…-pdfa.pdf), the manifest embedded."))
@option("--force", is_flag=True, help=N_("Print even if nothing changed since the last build."))
@option("--imprimeur", "print_shop", is_flag=True,
        help=N_("Print the print shop's copy (…-imprimeur.pdf): PDF/X-4, 3 mm bleed, crop marks."))
def build(issue: str, strict: bool, draft: bool, archive: bool, force: bool, print_shop: bool) -> None:
    from ..press import build_issue

    project = Project.find()

    def ready() -> None:  # a final PDF is made of a finished numéro only; a draft may hold « À compléter »
        _gate(project, issue, _("nothing was built (dossier build --draft makes a marked draft)"))

    if print_shop:
        ready()  # the print shop's copy is a final one
        from ..press import build_for_print_shop

        copy = build_for_print_shop(project, issue)
        for warning in copy.warnings:
            echo(_("warning: {warning}").format(warning=warning), err=True)
        echo(display_path(copy.pdf_path, Path.cwd()))
        return
    result = build_issue(project, issue, strict=strict, draft=draft, archive=archive, force=force,
                         ready=None if draft else ready)
    for warning in result.warnings:
        echo(_("warning: {warning}").format(warning=warning), err=True)
    if result.unchanged:
        done = _("unchanged (--force prints anyway)")
    else:
        done = _("{seconds} s").format(seconds=i18n.decimal(result.seconds))
    # The HTML that was printed: editors open it to look, or to see what a browser makes of the numéro.
    echo(_("{pages}, {size}, {time}; HTML: {html}").format(
        pages=ngettext("{count} page", "{count} pages", result.pages).format(count=result.pages),
        size=_("{size} KB").format(size=i18n.decimal(result.size / 1024, 0)), time=done,
        html=display_path(result.html_path, project.root),
    ), err=True)
    echo(display_path(result.pdf_path, Path.cwd()))


def _gate(project: Project, issues: str | tuple[str, ...], outcome: str) -> None:
    """Refuse a numéro with blocking findings (check.require_ready); show its warnings."""
    from ..check import require_ready

    for warning in require_ready(project, issues, outcome):
        echo(_("warning: {warning}").format(warning=warning), err=True)


@command(help=N_("Serve a live preview of a numéro: the HTML draft, reloaded on every save, and its printed pages. {issue}"))
@argument("issue")
@option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on (loopback: this machine only)."))
@option("--port", default=8000, show_default=True, type=IntRange(0, 65535), help=N_("Port; 0 picks a free one."))
@option("--open", "open_browser", is_flag=True, help=N_("Open the preview in the web browser."))
def preview(issue: str, host: str, port: int, open_browser: bool) -> None:
    from ..preview import serve_preview

    project = Project.find()
    serve_preview(
        project, issue, host=host, port=port, open_browser=open_browser, report=lambda line: echo(line, err=True)
    )


@command(help=N_("""Write the static site: the archive of numéros, each numéro's web edition and PDF, feed.xml, sitemap.xml.

    ISSUE… are the numéros to publish (default: every numéro in issues/), as folders,
    manifests or numbers. The site goes to output/site/ (or --output DIR), written whole or
    not at all; a numéro whose files did not change is not rebuilt. Prints the site's folder."""))
@argument("issues", nargs=-1)
@option("--output", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
        help=N_("Write the site to DIR instead of output/site/."))
def site(issues: tuple[str, ...], output: Path | None) -> None:
    from ..site import build_site

    project = Project.find()
    numeros = issues or tuple(str(number) for number in sorted(project.numbers()))
    _gate(project, numeros, _("the site was not written"))
    report = build_site(project, issues, output)
    for line in report.lines(project.root):
        echo(line, err=True)
    echo(display_path(report.folder, Path.cwd()))


@command(help=N_("Check a numéro beyond validation: links, duplicates, alt texts, image resolution, card length. {issue}"))
@argument("issue")
@option("--online", is_flag=True, help=N_("Also reach every link (a day's cache in .dossier/links.json)."))
@option("--timeout", type=Float(), default=10.0, show_default=True, help=N_("Seconds to wait for each link with --online."))
def check(issue: str, online: bool, timeout: float) -> None:
    from ..check import check_issue

    project = Project.find()
    findings, stops = check_issue(project, issue, online=online, timeout=timeout)
    for finding in findings:
        echo(str(finding))
    summary = ngettext("{count} finding", "{count} findings", len(findings)).format(count=len(findings)) if findings \
        else _("no findings")  # « aucune remarque », not « 0 remarque »
    if held := len(stops):
        # The same rule as the gate's, said here so that an editor knows what must go before anything goes out.
        summary = ngettext("{summary}, {count} of them blocking: build, site and send refuse the numéro while it remains",
                           "{summary}, {count} of them blocking: build, site and send refuse the numéro while they remain",
                           held).format(summary=summary, count=held)
    echo(summary, err=True)
    if findings:
        raise SystemExit(1)


@command(help=N_("""Start a new numéro: issues/NN/issue.yaml, ready to fill in and valid as it is.

    It lists the numéros already in issues/ (and the ones they list) in "(Re)lire", keeps the
    themes, title and back pages of the numéro before it, and marks what to write with
    "À compléter". It never overwrites a numéro. Prints the new manifest's path."""))
@option("--number", type=IntRange(min=1), metavar="N",
        help=N_("The new numéro's number (default: the highest in issues/ plus one)."))
def new(number: int | None) -> None:
    from ..scaffold import new_issue

    project = Project.find()
    scaffold = new_issue(project, number)
    if scaffold.schema_written is not None:
        echo(_("wrote {schema} (the manifest's schema)").format(schema=display_path(scaffold.schema_written, project.root)),
             err=True)
    echo(display_path(scaffold.manifest, Path.cwd()))


@command(help=N_("""Print the manifest's JSON Schema, generated from the model that validates manifests.

    Editors use it for completion, help and inline errors: a manifest names it on its first
    line (# yaml-language-server: $schema=../../schema/issue.schema.json). Its descriptions
    are in the publication's language, or in the one --lang gives."""))
@option("--output", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
        help=N_("Write the schema to FILE (atomically) instead of printing it, and print FILE."))
@option("--lang", "language", type=click.Choice(i18n.available_languages()), metavar="LANG",
        help=N_("The language of the descriptions (en, fr); default: the publication's language."))
def schema(output: Path | None, language: str | None) -> None:
    from ..manifest.schema import schema_text, write_schema

    language = language or i18n.publication_language() or i18n.DEFAULT_LANGUAGE
    if output is None:
        echo(schema_text(language), nl=False)
    else:
        echo(display_path(write_schema(output, language), Path.cwd()))
