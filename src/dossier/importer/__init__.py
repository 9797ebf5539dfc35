"""``dossier import``: initiatives, resources or readings from a spreadsheet (.xlsx, .ods, .csv) into a numéro's manifest.

Invariants:
- Every bad cell is reported at once, located (``appel.xlsx:Feuille1:C12: text: …``), before
  anything is written; with a problem nothing is written.
- Each entry is validated as the manifest would validate it (the model, images beside the
  manifest), and the whole manifest is validated again with the entries in it before it is saved.
- The manifest is written through ``manifest.roundtrip``: comments, order and every line not
  changed stay byte for byte; a file changed meanwhile is not overwritten.
- Columns no field takes (a form's « Horodateur ») are ignored and named; a theme cell left
  empty takes the theme above it (a merged cell, or a theme written once for its rows).
- An imported theme that only holds « À compléter » cards (from ``dossier new``) loses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import DossierError, Problem
from ..files import display_path
from ..i18n import _, ngettext
from ..manifest.load import load_issue, validation_messages
from ..manifest.model import Article, Initiative, Resource, placeholder
from ..manifest.titles import field_title
from ..project import Project
from ..tables import Table, TableError, read_table
from .columns import HEADERS, PLACES, REQUIRED, guess_kind, match

MODELS: dict[str, type[BaseModel]] = {"initiatives": Initiative, "resources": Resource, "readings": Article}
_SEPARATORS = re.compile(r"\s*(?:;|\n)\s*")  # porteurs in one cell: « Ville de Test ; Région Sud » or one per line


@dataclass
class Entry:
    line: int
    theme: str | None
    data: dict[str, Any]


@dataclass
class ImportPlan:
    project: Project
    manifest: Path
    table: Table
    kind: str
    columns: dict[int, str]
    entries: list[Entry]
    ignored: list[str] = field(default_factory=list)

    @property
    def shown_manifest(self) -> str:
        return display_path(self.manifest, self.project.root)

    def lines(self) -> list[str]:
        """What the import will add, for the editor to read before it is written."""
        count = len(self.entries)
        labels = {"initiatives": ngettext("{count} initiative", "{count} initiatives", count),
                  "resources": ngettext("{count} resource", "{count} resources", count),
                  "readings": ngettext("{count} reading", "{count} readings", count)}
        out = [_("{source} ({how}): {entries} for {manifest}").format(
            source=self.table.where, how=self.table.describe(), entries=labels[self.kind].format(count=count),
            manifest=self.shown_manifest)]
        out.append("  " + _("columns: {columns}").format(columns=", ".join(
            f"{self.table.header[i]} → {name}" for i, name in sorted(self.columns.items()))))
        if self.ignored:
            out.append("  " + _("ignored (no field takes them): {columns}").format(columns=", ".join(self.ignored)))
        for entry in self.entries:
            where = f"{entry.theme} — " if entry.theme else ""
            out.append(f"  + {where}{entry.data['title']}")
        return out


def plan_import(project: Project, issue_ref: str | Path, source: Path, *, kind: str | None = None,
                sheet: str | None = None, mapping: dict[str, str] | None = None, theme: str | None = None) -> ImportPlan:
    """Read and check every row of ``source``; TableError listing every bad cell, or the plan to write."""
    manifest = project.manifest_for(issue_ref)
    load_issue(project, manifest)  # the numéro must be valid before anything is added to it
    table = read_table(source, display_path(source, Path.cwd()), sheet=sheet)
    problems = list(table.problems)
    if not table.header:
        raise TableError([table.problem(1, None, "", _("the table is empty: write a header row, then one row per entry"))])
    mapping = mapping or {}
    kind = kind or guess_kind(table.header) or _no_kind(table)
    columns = match(table.header, kind, mapping)
    missing = [name for name in REQUIRED[kind] if name not in columns.values()]
    if "theme" in HEADERS[kind] and "theme" not in columns.values() and not theme:
        missing.append("theme")
    if missing:
        raise TableError([table.problem(table.header_line, None, "", _(
            "no column for {fields} (the header has {found}): name the columns as the guide says, or give "
            "--mapping 'Header=field'").format(fields=", ".join(missing), found=", ".join(h for h in table.header if h)))])
    for name in sorted(set(columns.values()) - {"porteurs"}):
        given = [i for i, f in columns.items() if f == name]
        for index in given[1:]:
            problems.append(table.problem(table.header_line, index, _(field_title(name)), _(
                "column given twice («\u202f{first}\u202f» and «\u202f{second}\u202f»): rename or delete one").format(
                first=table.header[given[0]], second=table.header[index])))
    ignored = [text for i, text in enumerate(table.header) if text and i not in columns]
    entries = _entries(project, manifest, table, kind, columns, theme, problems)
    if problems:
        raise TableError(problems, _("nothing was written: correct the table and run again"))
    if not entries:
        raise TableError([table.problem(table.header_line, None, "", _("no rows under the header: nothing to import"))])
    return ImportPlan(project, manifest, table, kind, columns, entries, ignored)


def _no_kind(table: Table) -> str:
    raise TableError([table.problem(table.header_line, None, "", _(
        "cannot tell initiatives, resources or readings apart from the header ({found}): give --kind").format(
        found=", ".join(h for h in table.header if h)))])


def _entries(project: Project, manifest: Path, table: Table, kind: str, columns: dict[int, str], theme: str | None,
             problems: list[Problem]) -> list[Entry]:
    model = MODELS[kind]
    first_column = {name: min(i for i, f in columns.items() if f == name) for name in set(columns.values())}
    context = {"base": manifest.parent, "root": project.root}
    entries: list[Entry] = []
    current_theme = theme
    for row in table.rows:
        data: dict[str, Any] = {}
        for index, name in sorted(columns.items()):
            cell = row.cells[index] if index < len(row.cells) else ""
            if name == "porteurs":
                data.setdefault("porteurs", []).extend(p for p in _SEPARATORS.split(cell) if p)
            elif cell and name not in data:
                data[name] = cell
        row_theme = data.pop("theme", None)
        current_theme = row_theme or current_theme
        if not any(data.values()):
            continue  # a row holding only a theme (a heading row), or nothing the import takes
        ordered = {name: data[name] for name in model.model_fields if data.get(name)}
        try:
            model.model_validate(ordered, context=context)
        except ValidationError as exc:
            for loc, message in validation_messages(exc, model):
                name = str(loc[0]) if loc else ""
                problems.append(table.problem(row.line, first_column.get(name), _(field_title(name)) if name else "",
                                              message))
            continue
        if "theme" in HEADERS[kind] and not current_theme:
            problems.append(table.problem(row.line, first_column.get("theme"), _(field_title("theme")), _(
                "no theme for this row (nor above it): write the theme")))
            continue
        entries.append(Entry(row.line, current_theme if "theme" in HEADERS[kind] else None, ordered))
    return entries


def write_import(plan: ImportPlan) -> None:
    """Add the plan's entries to the manifest (round-trip: every other line kept); nothing written on a problem."""
    from ..manifest.roundtrip import RoundTrip

    doc = RoundTrip.load(plan.manifest)
    section, inner = PLACES[plan.kind]
    if inner is None:
        for entry in plan.entries:
            _append(doc, (section,), entry.data)
    else:
        to_write = placeholder(load_issue(plan.project, plan.manifest).publication.language).casefold()
        for theme_name, entries in _by_theme(plan.entries).items():
            themes = doc.get((section,)) or []
            index = next((i for i, t in enumerate(themes) if str(t.get("theme", "")).casefold() == theme_name.casefold()),
                         None)
            if index is None:
                _append(doc, (section,), {"theme": theme_name, inner: [e.data for e in entries]})
                continue
            old = themes[index].get(inner) or []
            for entry in entries:
                doc.append((section, index, inner), entry.data)
            if old and all(to_write in str(item).casefold() for item in old):
                for position in reversed(range(len(old))):
                    doc.delete((section, index, inner, position))
    _check_whole(plan, doc.text)
    doc.save()


def _append(doc: Any, path: tuple, value: Any) -> None:
    if doc.get(path) is None:
        doc.set(path, [value])
    else:
        doc.append(path, value)


def _by_theme(entries: list[Entry]) -> dict[str, list[Entry]]:
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(str(entry.theme), []).append(entry)
    return grouped


def _check_whole(plan: ImportPlan, text: str) -> None:
    """Validate the manifest as it would be written (beside it, so images resolve alike); DossierError if not."""
    trial = plan.manifest.with_name(f".{plan.manifest.name}.import")
    try:
        trial.write_text(text, encoding="utf-8")
        load_issue(plan.project, trial)
    except DossierError as exc:
        found = exc.format_message().replace(display_path(trial, plan.project.root), plan.shown_manifest)
        raise DossierError(_("{manifest}: the numéro would not validate with these entries, so nothing was written:\n"
                             "{problems}").format(manifest=plan.shown_manifest, problems=found)) from None
    finally:
        trial.unlink(missing_ok=True)
