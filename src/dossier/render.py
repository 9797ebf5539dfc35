"""Render a validated numéro to the HTML draft with the project's Jinja2 templates."""

from __future__ import annotations

import datetime as dt
import posixpath
import sys
from pathlib import Path
from types import TracebackType

import jinja2

from .errors import DossierError
from .files import display_path
from .manifest.model import Initiative, Issue, french_date
from .manifest.typography import french, render_markdown, render_markdown_inline
from .project import Project
from .weblinks import back_issue_url

MAIN_TEMPLATE = "dossier.html.j2"
# Above this many characters of text, a card takes the full width (about half a page).
WIDE_CARD_CHARS = 900


def card_runs(initiatives: list[Initiative]) -> list[tuple[bool, list[tuple[int, Initiative]]]]:
    """Group a theme's cards, numbered from 1, into runs: short ones share a grid, a wide one stands alone."""
    runs: list[tuple[bool, list[tuple[int, Initiative]]]] = []
    for number, initiative in enumerate(initiatives, start=1):
        wide = len(initiative.text) > WIDE_CARD_CHARS
        if wide or not runs or runs[-1][0]:
            runs.append((wide, []))
        runs[-1][1].append((number, initiative))
    return runs


def template_environment(project: Project, *, autoescape: bool = True) -> jinja2.Environment:
    """The Jinja2 environment of the project's templates/, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = render_markdown
    env.filters["md_inline"] = render_markdown_inline
    env.filters["fr_date"] = french_date
    env.filters["french"] = french
    env.filters["card_runs"] = card_runs
    return env


def template_frame(tb: TracebackType | None, sources: tuple[str, ...]) -> tuple[str, int] | None:
    """(file name, line) of the innermost traceback frame whose file name starts with one of ``sources``.

    Jinja maps a template's frames to the template's file name and line: the one
    template-error locator, used by the print's templates and the mail's.
    """
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(sources):
            found = filename, tb.tb_lineno
        tb = tb.tb_next
    return found


def render_template(project: Project, env: jinja2.Environment, name: str, **context: object) -> str:
    """Render one template; template mistakes become one-line errors with file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        shown = display_path(Path(exc.filename), project.root) if exc.filename else name
        raise DossierError(f"{shown}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise DossierError(f"templates/{exc.name}: template not found: restore it from the repository") from None
    except jinja2.UndefinedError as exc:
        frame = template_frame(sys.exc_info()[2], (str(project.templates_dir),))
        where = f"{display_path(Path(frame[0]), project.root)}:{frame[1]}" if frame else "templates"
        raise DossierError(f"{where}: template error: {exc.message}") from None


def render_html(project: Project, issue: Issue, *, draft_date: dt.date | None = None) -> str:
    """The numéro as one HTML document, meant to be saved in output/ (its links are relative to it)."""
    env = template_environment(project)
    out_dir = project.output_dir.relative_to(project.root).as_posix()

    def asset(path: str) -> str:
        """URL of a project file (images are validated as project-relative), from output/."""
        return posixpath.relpath(path, out_dir)

    published = project.numbers()
    return render_template(
        project,
        env,
        MAIN_TEMPLATE,
        issue=issue,
        publication=issue.publication,
        asset=asset,
        draft_date=draft_date,
        # "(Re)lire": a numéro in issues/ links to its web edition when publication.yaml gives site_url.
        back_issue_url=lambda back: back_issue_url(back, issue.publication.site_url, published),
    )
