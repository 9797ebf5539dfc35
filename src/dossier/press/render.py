"""Render a validated numéro to the HTML draft with the project's Jinja2 templates.

The templates' fixed words ("Sommaire", "En savoir plus"…) are written ``_("Contents")`` and
``ngettext(…)``, translated into the language of the ``publication`` in the template's context
(publication.yaml's ``language:``) from the catalog, so a numéro in another language needs a
catalog, not new templates. Translations are plain text: autoescaping applies to them.
"""

from __future__ import annotations

import datetime as dt
import gettext
import posixpath
import sys
import types
from pathlib import Path
from types import TracebackType

import jinja2

from ..errors import DossierError
from ..files import display_path
from ..i18n import DEFAULT_LANGUAGE, _, translation
from ..manifest.model import Initiative, Issue, french_date
from ..manifest.typography import french, render_markdown, render_markdown_inline
from ..project import Project
from ..weblinks import back_issue_url
from .cover import cover_classes

MAIN_TEMPLATE = "dossier.html.j2"
# Above this many characters of text, a card takes the full width (about half a page).
WIDE_CARD_CHARS = 900
CARDS_PER_ROW = 2  # the .cards grid's columns


def card_runs(initiatives: list[Initiative]) -> list[tuple[bool, list[tuple[int, Initiative]]]]:
    """Group a theme's cards, numbered from 1, into runs: short ones two by two, a wide one alone.

    Each run is a row of its own (a one-row table in the print styles), spaced as the rows of one
    grid would be: WeasyPrint measures every remaining item of a grid again on each page the grid
    spans, so one grid for a long theme cost time in the square of its cards.
    """
    runs: list[tuple[bool, list[tuple[int, Initiative]]]] = []
    for number, initiative in enumerate(initiatives, start=1):
        wide = len(initiative.text) > WIDE_CARD_CHARS
        if wide or not runs or runs[-1][0] or len(runs[-1][1]) == CARDS_PER_ROW:
            runs.append((wide, []))
        runs[-1][1].append((number, initiative))
    return runs


# Compiled templates of this process, by the environment's options, the template and its source's hash.
# Kept in memory only: a compiled template is code, and a file in the project folder could be anyone's
# (a copied or shared folder); compiling is off a build's critical path (the print worker is importing
# WeasyPrint meanwhile), and the preview, which renders on every save, keeps these for its lifetime.
_COMPILED: dict[tuple[bool, str, str], types.CodeType] = {}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja2's bytecode cache in this process's memory, apart by ``autoescape`` (the code differs)."""

    def __init__(self, autoescape: bool) -> None:
        self._autoescape = autoescape

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _COMPILED.get((self._autoescape, bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            _COMPILED[(self._autoescape, bucket.key, bucket.checksum)] = bucket.code


def template_environment(project: Project, *, autoescape: bool = True) -> jinja2.Environment:
    """The Jinja2 environment of the project's templates/, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        bytecode_cache=_CompiledTemplates(autoescape),
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
    env.globals.update(_=publication_gettext, gettext=publication_gettext, ngettext=publication_ngettext)
    return env


def _publication_words(context: jinja2.runtime.Context) -> gettext.NullTranslations:
    publication = context.get("publication")
    return translation(getattr(publication, "language", None) or DEFAULT_LANGUAGE)


@jinja2.pass_context
def publication_gettext(context: jinja2.runtime.Context, message: str, **variables: object) -> str:
    """A template's fixed word in the publication's language; ``%(name)s`` filled from ``variables``."""
    text = _publication_words(context).gettext(message)
    return text % variables if variables else text


@jinja2.pass_context
def publication_ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int, **variables: object) -> str:
    """The form of a fixed word for ``n`` things, in the publication's language (``%(num)s`` is ``n``)."""
    return _publication_words(context).ngettext(singular, plural, n) % {"num": n, **variables}


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
        message = _("{where}: template syntax error: {error}").format(where=f"{shown}:{exc.lineno}", error=exc.message)
        raise DossierError(message) from None
    except jinja2.TemplateNotFound as exc:
        message = _("{file}: template not found: restore it from the repository").format(file=f"templates/{exc.name}")
        raise DossierError(message) from None
    except jinja2.UndefinedError as exc:
        frame = template_frame(sys.exc_info()[2], (str(project.templates_dir),))
        where = f"{display_path(Path(frame[0]), project.root)}:{frame[1]}" if frame else "templates"
        raise DossierError(_("{where}: template error: {error}").format(where=where, error=exc.message)) from None


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
        cover_classes=cover_classes(issue, project.root),
        # "(Re)lire": a numéro in issues/ links to its web edition when publication.yaml gives site_url.
        back_issue_url=lambda back: back_issue_url(back, issue.publication.site_url, published),
    )
