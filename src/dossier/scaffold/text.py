"""The text of a new manifest: ``templates/issue.yaml.j2`` (package data) filled from the numéro before.

The template holds the words and comments an editor reads, in the publication's language
(``language:`` in publication.yaml) through the catalog; this module only computes what goes
in it. Values are written with the ``scalar`` and ``flow`` filters, quoted as YAML needs, so
the result always parses (``dossier new`` validates it before writing).
"""

from __future__ import annotations

import datetime as dt
import gettext
import json
import os
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..i18n import N_, translation
from ..manifest.load import IMAGE_KEYS, load_publication
from ..manifest.model import Month, placeholder
from ..manifest.schema import SCHEMA_FILE
from ..project import Project
from .numeros import Numero, back_issues

SUBTITLE = N_("{placeholder}: the numéro's theme line")
EDITO = N_("{placeholder}: the numéro's édito.")
# Comment lines are wrapped at this width (the "# " included).
COMMENT_WIDTH = 96


def scaffold_text(
    project: Project, number: int, numeros: list[Numero], based_on: Numero | None, folder: Path, today: dt.date
) -> str:
    """The new manifest: YAML with comments that guide the editor, in the publication's language."""
    publication = load_publication(project)
    words = translation(publication.language)
    to_write = placeholder(publication.language)
    raw = based_on.raw if based_on else {}
    themes = [theme for theme in raw.get("practices") or [] if isinstance(theme, dict)]
    themes_kept = bool(based_on and themes)
    if not themes_kept:
        themes = [{"theme": to_write}]
    pages = raw.get("pages") if based_on else None
    return _template(words).render(
        schema=Path(os.path.relpath(project.root / SCHEMA_FILE, folder)).as_posix(),
        number=number,
        based_on=based_on.number if based_on else None,
        placeholder=to_write,
        title=raw.get("title"),
        subtitle=words.gettext(SUBTITLE).format(placeholder=to_write),
        edito=words.gettext(EDITO).format(placeholder=to_write),
        today=today.isoformat(),
        back_issues=back_issues(numeros, number),
        themes=[{"theme": theme.get("theme"), "colour": theme.get("colour")} for theme in themes],
        themes_kept=themes_kept,
        reading_themes=[_plain(theme.get("theme")) for theme in raw.get("readings") or [] if isinstance(theme, dict)],
        pages=None if pages is None else _pages_yaml(pages, based_on, folder),
        publication_pages=list(publication.pages) if pages is None else [],
    )


def _template(words: gettext.NullTranslations) -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=False,  # YAML, not HTML: values are quoted by the filters
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(words, newstyle=True)
    env.filters.update(scalar=_scalar, flow=_flow, yaml_date=_date, comment=_comment)
    source = resources.files(__package__).joinpath("templates/issue.yaml.j2").read_text(encoding="utf-8")
    return env.from_string(source)


def _pages_yaml(pages: Any, based_on: Numero, folder: Path) -> str:
    if all(isinstance(page, str) for page in pages):
        return f"pages: {_flow(pages)}"
    pages = _rebase_images(pages, based_on.manifest.parent, folder)
    dumped = yaml.safe_dump({"pages": pages}, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return dumped.rstrip("\n")


def _rebase_images(value: Any, source: Path, target: Path) -> Any:
    """Inline pages name their images from their manifest's folder: point them there from the new one."""
    if isinstance(value, dict):
        return {
            key: Path(os.path.relpath(source / item, target)).as_posix()
            if key in IMAGE_KEYS and isinstance(item, str)
            else _rebase_images(item, source, target)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rebase_images(item, source, target) for item in value]
    return value


def _comment(text: str) -> str:
    """A paragraph as YAML comment lines."""
    return textwrap.fill(text, COMMENT_WIDTH, initial_indent="# ", subsequent_indent="# ",
                         break_long_words=False, break_on_hyphens=False)


def _scalar(value: Any) -> str:
    """``value`` as a YAML scalar on one line, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, width=2**31 - 1)
    text = text.removesuffix("\n").removesuffix("\n...")
    # When quotes are needed, double ones as the sample writes them; a JSON string is valid YAML,
    # and keeps a multi-line value on one line.
    return json.dumps(value, ensure_ascii=False) if "\n" in text or text.startswith("'") else text


def _flow(values: list[Any]) -> str:
    return yaml.safe_dump(values, allow_unicode=True, default_flow_style=True, width=2**31 - 1).strip()


def _plain(value: Any) -> str:
    return " ".join(str(value).split())


def _date(value: dt.date | Month) -> str:
    return value.isoformat() if isinstance(value, dt.date) else f"{value.year:04d}-{value.month:02d}"
