"""The dossier command line: thin click commands, each calling one library function."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .build import build_issue
from .errors import display_path
from .load import load_issue
from .preview import serve_preview
from .project import Project

ISSUE_HELP = "ISSUE is a numéro's folder (issues/03), its manifest file, or its number (3)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """Publish the Chaire's numbered "Dossier spécial" from YAML manifests.

    Run it inside the project folder (the one with publication.yaml).
    """


@cli.command(help=f"Check a numéro's manifest and report every problem. {ISSUE_HELP}")
@click.argument("issue")
def validate(issue: str) -> None:
    project = Project.find()
    manifest = project.manifest_for(issue)
    loaded = load_issue(project, manifest)
    initiatives = sum(len(theme.initiatives) for theme in loaded.practices)
    click.echo(
        f"{display_path(manifest, project.root)}: valid: numéro {loaded.number}, "
        f"{initiatives} initiatives in {len(loaded.practices)} themes, "
        f"{len(loaded.resources)} resources, {sum(len(t.articles) for t in loaded.readings)} readings"
    )


@cli.command(help=f"Build a numéro's PDF and HTML draft into output/. {ISSUE_HELP}")
@click.argument("issue")
@click.option("--strict", is_flag=True, help="Treat WeasyPrint warnings as errors.")
def build(issue: str, strict: bool) -> None:
    project = Project.find()
    result = build_issue(project, issue, strict=strict)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"{result.pages} pages, {result.size / 1024:.0f} KB, {result.seconds:.1f} s; "
        f"draft: {display_path(result.html_path, project.root)}",
        err=True,
    )
    click.echo(display_path(result.pdf_path, Path.cwd()))


@cli.command(
    help=f"Serve a live preview of a numéro: the HTML draft, reloaded on every save, and its printed pages. {ISSUE_HELP}"
)
@click.argument("issue")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this machine only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
def preview(issue: str, host: str, port: int, open_browser: bool) -> None:
    project = Project.find()
    serve_preview(
        project, issue, host=host, port=port, open_browser=open_browser, report=lambda line: click.echo(line, err=True)
    )


def main() -> None:
    cli(prog_name="dossier")
