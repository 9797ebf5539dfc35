"""Start the next numéro: a commented issues/NN/issue.yaml that validates as it is.

The scaffold takes "(Re)lire" from the numéros already in issues/ (and the back issues they
list), and the themes, title and back pages of the numéro before it. Where the editor must
write, it says "À compléter" (one word to search for); each theme keeps one such card, since a
theme needs at least one and an empty theme would silently vanish from the PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import DossierError, ManifestError
from ..files import display_path, write_atomically
from ..manifest.load import IMAGE_KEYS, load_issue, load_publication
from ..manifest.model import Issue, Month
from ..manifest.schema import SCHEMA_FILE, ensure_schema
from ..project import MANIFEST_FILE, Project

PLACEHOLDER = "À compléter"
SUBTITLE = f"{PLACEHOLDER} : la ligne de thème du numéro"
EDITO = f"{PLACEHOLDER} : l'édito du numéro."


@dataclass(frozen=True)
class Numero:
    """A numéro already in issues/: validated, and its YAML as written (before French spacing)."""

    number: int
    manifest: Path
    issue: Issue
    raw: dict[str, Any]


@dataclass(frozen=True)
class Scaffold:
    number: int
    manifest: Path
    based_on: Numero | None  # the numéro whose themes and pages were taken
    schema_written: Path | None  # the schema file, when it was missing or out of date


def existing_numeros(project: Project) -> list[Numero]:
    """The numéros in issues/NN/, by number; a manifest that does not validate is an error."""
    numeros = []
    if project.issues_dir.is_dir():
        for folder in project.issues_dir.iterdir():
            manifest = folder / MANIFEST_FILE
            if re.fullmatch(r"\d+", folder.name) and manifest.is_file():
                issue = load_issue(project, manifest)
                raw = yaml.load(manifest.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
                numeros.append(Numero(issue.number, manifest, issue, raw))
    return sorted(numeros, key=lambda n: n.number)


def new_issue(project: Project, number: int | None = None, *, today: dt.date | None = None) -> Scaffold:
    """Write issues/NN/issue.yaml for numéro ``number`` (default: the highest in issues/ + 1)."""
    numeros = existing_numeros(project)
    if number is None:
        number = max((n.number for n in numeros), default=0) + 1
    manifest = project.issues_dir / f"{number:02d}" / MANIFEST_FILE
    taken = [n.manifest for n in numeros if n.number == number]
    taken += [path for path in (manifest, project.issues_dir / str(number) / MANIFEST_FILE) if path.is_file()]
    if taken:
        raise DossierError(
            f"{display_path(taken[0], project.root)}: numéro {number} exists already: choose another --number"
        )
    earlier = [n for n in numeros if n.number < number]
    # The closest numéro before, else the latest one: its themes and pages are the best start.
    based_on = earlier[-1] if earlier else (numeros[-1] if numeros else None)
    text = scaffold_text(project, number, numeros, based_on, manifest.parent, today or dt.date.today())
    _check(project, text, manifest)
    schema_written = ensure_schema(project)
    write_atomically(manifest, text.encode("utf-8"))
    return Scaffold(number, manifest, based_on, schema_written)


def back_issues(numeros: list[Numero], before: int) -> list[dict[str, Any]]:
    """"(Re)lire" for numéro ``before``: the numéros and every back issue they list, below it, by number.

    A numéro's own manifest is surest about its date; among listings, the latest numéro's wins.
    """
    found: dict[int, dict[str, Any]] = {}

    def add(number: int, date: dt.date | Month | None, url: str | None) -> None:
        entry = found.setdefault(number, {"number": number})
        entry.update({key: value for key, value in (("date", date), ("url", url)) if value is not None})

    for numero in numeros:
        for back in numero.issue.back_issues:
            add(back.number, back.date, back.url)
    for numero in numeros:
        # No setting gives a numéro's own address (the PDF is put online after it is built):
        # a url comes only from a numéro that listed it.
        add(numero.number, numero.issue.date, None)
    return [found[number] for number in sorted(found) if number < before]


def scaffold_text(
    project: Project, number: int, numeros: list[Numero], based_on: Numero | None, folder: Path, today: dt.date
) -> str:
    """The new manifest: YAML with comments that guide the editor."""
    schema = Path(os.path.relpath(project.root / SCHEMA_FILE, folder)).as_posix()
    source = f" from n°{based_on.number}" if based_on else ""
    raw = based_on.raw if based_on else {}
    out = [
        f"# yaml-language-server: $schema={schema}",
        f"# Dossier spécial n°{number}: this numéro's manifest, started by `dossier new`{source}.",
        f'# Replace every "{PLACEHOLDER}", then:',
        f"#   dossier validate {number}   lists every problem with its line",
        f"#   dossier preview {number}    shows the draft in a browser, reloaded on every save",
        f"#   dossier build {number}      prints the PDF into output/",
        "# Shared content (publisher, colours, back pages) is in publication.yaml, at the project's root.",
        "# Addresses are written in full (https://… or mailto:…); an unknown one is left out, never \"#\".",
        "",
        f"number: {number}",
    ]
    if "title" in raw:
        out.append(f"title: {_scalar(raw['title'])}")
    out += [
        f"subtitle: {_scalar(SUBTITLE)}   # on the cover and in every page's footer",
        f"# date: {today.isoformat()}   # when it comes out: YYYY-MM-DD or YYYY-MM (cover, PDF metadata)",
        "",
        "# The édito, Markdown (*emphasis*, **bold**, [links](https://…)); its first paragraph is set",
        "# as the lead. Separate paragraphs with an empty line.",
        "edito: |",
        f"  {EDITO}",
        "",
    ]
    out += _back_issues_block(back_issues(numeros, number))
    out += _practices_block(raw, based_on)
    out += [
        "# \"S'informer & s'outiller\": one tile per resource. Replace [] with entries such as:",
        "#   - organisation: OCDE",
        "#     title: Lutte contre le coronavirus (COVID-19)",
        "#     url: https://www.oecd.org/…   # optional",
        "#     logo: ocde.png                # optional: an image in this folder, printed instead of the name",
        "resources: []",
        "",
    ]
    reading_themes = [_plain(theme.get("theme")) for theme in raw.get("readings") or [] if isinstance(theme, dict)]
    out.append("# \"Analyse & prospective\": articles by theme.")
    if reading_themes:
        out.append(f"# The themes of n°{based_on.number} were: {', '.join(reading_themes)}.")
    out += [
        "# Replace [] with entries such as:",
        "#   - theme: Tourisme",
        "#     articles:",
        "#       - source: E-Tourisme Info",
        "#         title: Une certaine idée de la France",
        "#         date: 2020-04-20          # optional: a date, a month or free text (\"printemps 2020\")",
        "#         url: https://…            # optional",
        "readings: []",
        "",
    ]
    out += _pages_block(project, raw, based_on, folder)
    out += [
        "",
        "# For this numéro only, any field of publication.yaml may be changed here, for instance:",
        "# publication:",
        "#   colours:",
        '#     accent: "#1b4f72"',
    ]
    return "\n".join(out) + "\n"


def _back_issues_block(entries: list[dict[str, Any]]) -> list[str]:
    if not entries:
        return ['# "(Re)lire": the earlier numéros (number, date, url), none yet.', "back_issues: []", ""]
    out = [
        '# "(Re)lire": the earlier numéros. url: a numéro\'s address once it is online (https://…).',
        "back_issues:",
    ]
    for entry in entries:
        out.append(f"  - number: {entry['number']}")
        if "date" in entry:
            out.append(f"    date: {_date(entry['date'])}")
        else:
            out.append("    # date: YYYY-MM-DD             # unknown so far: its manifest gives none")
        if "url" in entry:
            out.append(f"    url: {_scalar(entry['url'])}")
    out.append("")
    return out


def _practices_block(raw: dict[str, Any], based_on: Numero | None) -> list[str]:
    themes = [theme for theme in raw.get("practices") or [] if isinstance(theme, dict)]
    if based_on and themes:
        intro = f"the themes of n°{based_on.number}, each with one card to replace"
    else:
        themes = [{"theme": PLACEHOLDER}]
        intro = "one entry per theme, each with its cards"
    out = [
        f'# "Bonnes pratiques": {intro}. Add cards under each',
        "# theme; remove a theme this numéro does not have (a theme needs at least one card).",
        "# A card has title, porteurs (one or more) and text (Markdown); optionally place (the tag on",
        "# the card), image (a .jpg, .png, .svg or .webp file in this folder) with alt (what it shows,",
        '# read by screen readers), and url (the "En savoir plus" link).',
        "practices:",
    ]
    for index, theme in enumerate(themes):
        out.append(f"  - theme: {_scalar(theme.get('theme'))}")
        if theme.get("colour") is not None:
            out.append(f"    colour: {_scalar(theme['colour'])}")
        out += [
            "    initiatives:",
            f"      - title: {_scalar(PLACEHOLDER)}",
            f"        porteurs: [{PLACEHOLDER}]",
            f"        text: {_scalar(PLACEHOLDER + '.')}",
        ]
        if index == 0:
            out += [
                "        # place: Montréal",
                "        # image: photo.jpg",
                "        # alt: Une rue commerçante de Montréal",
                "        # url: https://…",
            ]
    out.append("")
    return out


def _pages_block(project: Project, raw: dict[str, Any], based_on: Numero | None, folder: Path) -> list[str]:
    pages = raw.get("pages") if based_on else None
    if pages is None:
        names = list(load_publication(project).pages)
        return [
            "# Back pages, in order: names of pages in publication.yaml or pages written here.",
            f"# Without pages, every page of publication.yaml is printed: {_flow(names)}.",
            f"# pages: {_flow(names)}",
        ]
    out = [f"# Back pages, in order, as in n°{based_on.number}: names of pages in publication.yaml or pages written here."]
    if all(isinstance(page, str) for page in pages):
        return [*out, f"pages: {_flow(pages)}"]
    pages = _rebase_images(pages, based_on.manifest.parent, folder)
    dumped = yaml.safe_dump({"pages": pages}, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return [*out, *dumped.rstrip("\n").split("\n")]


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


def _check(project: Project, text: str, manifest: Path) -> None:
    """Validate the scaffold before it is written: at the same depth under issues/, so relative paths hold."""
    project.issues_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=project.issues_dir, prefix=".new-") as tmp:
        trial = Path(tmp) / MANIFEST_FILE
        trial.write_text(text, encoding="utf-8")
        try:
            load_issue(project, trial)
        except ManifestError as exc:
            shown = display_path(manifest, project.root)
            raise DossierError(
                f"{shown}: the new manifest would not validate (a bug in dossier new: please report it):\n{exc.message}"
            ) from None
