"""Read a manifest and publication.yaml, validate them, report every problem at once.

YAML is composed to nodes first so each value keeps the line it was written on;
pydantic's error locations are then mapped back to ``file:line``.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ManifestError, Problem
from ..files import display_path
from ..i18n import _
from ..project import MANIFEST_FILE, Project
from . import model
from .model import Issue, Publication
from .where import in_words, misplaced_entry, model_at
from .yamlfile import Document, FieldPath, Location, compose, locate, merge, sub_lines

__all__ = ["FieldPath", "Location", "load_issue", "load_issue_with_lines", "load_publication", "locate"]

IMAGE_KEYS = {"image", "logo"}


def _message(error: dict[str, Any], model: type[BaseModel], loc: FieldPath) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = model_at(loc[:-1], model)
        names = list(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        if close:
            return _("unknown field: did you mean '{name}'?").format(name=close[0])
        return _("unknown field: allowed here: {names}").format(names=", ".join(names))
    if kind == "missing":
        return _("missing: this field is required")
    if kind in {"value_error", "assertion_error"}:
        return str(error["ctx"]["error"])
    if kind == "too_short" and isinstance(error.get("input"), list):
        return _("must not be empty: give at least one entry")
    if kind.startswith("literal_error"):
        return _("'{value}' is not allowed: expected {expected}").format(
            value=error["input"], expected=_allowed(error["ctx"]["expected"]))
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        if loc[:1] == ("pages",) and len(loc) == 2:
            return _("expected the name of a page of publication.yaml, or a page's fields")
        return _("expected a mapping of fields (key: value)")
    if kind == "list_type":
        return _("expected a list (lines starting with '- ')")
    if kind in {"string_type", "str_type"}:
        return _("expected text")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        if isinstance(error["input"], str) and error["input"].strip().isdigit():
            return _("'{value}' is written as text: write the number without quotes, e.g. 4").format(
                value=_short(error["input"]))
        return _("'{value}' is not a whole number: write digits, e.g. 4").format(value=_short(error["input"]))
    if kind in {"greater_than", "greater_than_equal"}:
        return _("'{value}' must be a positive number").format(value=_short(error["input"]))
    if kind == "less_than_equal":
        return _("'{value}' is too large: a numéro's number goes up to {maximum}").format(
            value=_short(error["input"]), maximum=error["ctx"]["le"])
    # Other pydantic errors (rare: a type no rule above names) keep pydantic's English.
    return error["msg"][0].lower() + error["msg"][1:]


def _short(value: Any) -> str:
    """A value as the editor wrote it (YAML's true, not Python's True), cut to a readable length."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 20 else text[:20] + "…"


# pydantic names the member of a union that failed ("str", "Page", "function-after[…]")
# inside error locations; those are not the user's field names.
_UNION_MEMBERS = {"str", "int", "float", "bool"} | {
    name for name, value in vars(model).items() if isinstance(value, type) and issubclass(value, BaseModel)
}


def _clean_loc(loc: tuple[Any, ...]) -> FieldPath:
    return tuple(part for part in loc if isinstance(part, int) or not ("[" in part or part in _UNION_MEMBERS))


def _problems_from(exc: ValidationError, lines: dict, model: type[BaseModel], fallback: Location, data: Any = None,
                   publication_file: str | None = None) -> list[Problem]:
    """pydantic's errors at their lines, in the editor's words (``where.in_words``).

    In ``publication_file`` the fields are top-level: "pages, chaire", not "publication, pages, chaire".
    Several unknown keys of one mapping that are all the fields of a list's entries are one card
    written at the wrong indentation: one problem says so (and the mapping's missing fields go unsaid).
    """
    errors = [(error, _clean_loc(error["loc"])) for error in exc.errors()]
    unknown: dict[FieldPath, list[str]] = {}
    for error, loc in errors:
        if error["type"] == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
    misplaced = {parent: found for parent, keys in unknown.items() if (found := misplaced_entry(parent, keys))}
    problems = []
    for parent, (list_name, kind) in misplaced.items():
        file, line = locate(lines, (*parent, unknown[parent][0]), fallback)
        message = _("{fields}: the fields of {kind}, at the wrong indentation: indent them under the `{list}:` "
                    "of the entry above, as far as its other entries").format(
            fields=", ".join(unknown[parent]), kind=kind, list=list_name)
        problems.append(_problem(file, line, parent, message, data, publication_file, model))
    for error, loc in errors:
        if loc[:-1] in misplaced:
            continue
        file, line = locate(lines, loc, fallback)
        problems.append(_problem(file, line, loc, _message(error, model, loc), data, publication_file, model))
    return problems


def _problem(file: str, line: int, loc: FieldPath, message: str, data: Any, publication_file: str | None,
             root: type[BaseModel]) -> Problem:
    if file == publication_file and loc[:1] == ("publication",):
        publication = data.get("publication") if isinstance(data, dict) else None
        return Problem(file, line, in_words(loc[1:], publication, Publication), message, path=loc)
    return Problem(file, line, in_words(loc, data, root), message, path=loc)


def _rebase_images(data: Any, root: Path, base: Path) -> None:
    """publication.yaml names images from the project root; the model reads them from the manifest's folder."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in IMAGE_KEYS and isinstance(value, str):
                data[key] = os.path.relpath(root / value, base)
            else:
                _rebase_images(value, root, base)
    elif isinstance(data, list):
        for item in data:
            _rebase_images(item, root, base)


def load_issue(project: Project, manifest: Path) -> Issue:
    """Validate a numéro's manifest merged with publication.yaml; raise ManifestError listing every problem."""
    return load_issue_with_lines(project, manifest)[0]


def load_issue_with_lines(project: Project, manifest: Path) -> tuple[Issue, dict[FieldPath, Location]]:
    """Like load_issue, with where each field was written: field path → (file as shown, line)."""
    problems: list[Problem] = []
    shown = display_path(manifest, project.root)
    issue_doc = compose(manifest, shown, problems)
    pub_doc = compose(project.publication_file, display_path(project.publication_file, project.root), problems)
    if problems:
        raise ManifestError(problems)
    if not isinstance(issue_doc.data, dict):
        raise ManifestError([Problem(shown, 1, "", _("expected the numéro's fields (number:, subtitle:, edito: …)"))])
    if not isinstance(pub_doc.data, dict):
        raise ManifestError([Problem(pub_doc.lines.get((), (shown, 1))[0], 1, "", _("expected publication fields"))])

    _rebase_images(pub_doc.data, project.root, manifest.parent)
    override = Document(issue_doc.data.get("publication", {}), sub_lines(issue_doc.lines, "publication"))
    publication = merge(pub_doc, override)
    data = {**issue_doc.data, "publication": publication.data}
    lines = {k: v for k, v in issue_doc.lines.items() if k[:1] != ("publication",)}
    lines.update({("publication", *k): v for k, v in publication.lines.items()})
    lines.setdefault(("publication",), publication.lines.get((), (shown, 1)))

    problems = _page_reference_problems(data, lines)
    context = {"base": manifest.parent, "root": project.root}
    try:
        issue = Issue.model_validate(data, context=context)
    except ValidationError as exc:
        pub_shown = display_path(project.publication_file, project.root)
        problems += _problems_from(exc, lines, Issue, (shown, 1), data, pub_shown)
    else:
        problems += _numbering_problems(project, manifest, issue.number, lines[("number",)])
    if problems:
        raise ManifestError(problems)
    issue._manifest = manifest.resolve()
    return issue, lines


def _numbering_problems(project: Project, manifest: Path, number: int, where: Location) -> list[Problem]:
    """A numéro's number names its files (output/dossier-special-NN.pdf, its deliveries): it must be its own.

    A folder copied from last month with ``number:`` left unchanged would otherwise print
    over the other numéro's PDF and be taken as already mailed.
    """
    folder = manifest.resolve().parent
    issues = project.issues_dir.resolve()
    if folder.parent == issues and folder.name.isdecimal():  # not isdigit: "²" is one, int refuses it
        if int(folder.name) == number:
            return []
        message = _("{number} does not match the folder issues/{folder}/: write number: {folder_number} "
                    "(or move the file to issues/{number:02d}/)").format(
            number=number, folder=folder.name, folder_number=int(folder.name))
        return [Problem(*where, in_words(("number",)), message, path=("number",))]
    for owner in (issues / f"{number:02d}" / MANIFEST_FILE, issues / str(number) / MANIFEST_FILE):
        if owner.is_file() and owner.resolve() != manifest.resolve():
            message = _("numéro {number} is {manifest}: give this manifest a number of its own, so that it does not "
                        "print over that numéro's files").format(number=number, manifest=display_path(owner, project.root))
            return [Problem(*where, in_words(("number",)), message, path=("number",))]
    return []


def _page_reference_problems(data: dict, lines: dict) -> list[Problem]:
    """``pages`` entries given by name must name a page of publication.yaml."""
    defined = data["publication"].get("pages") if isinstance(data.get("publication"), dict) else None
    defined = defined if isinstance(defined, dict) else {}
    pages = data.get("pages")
    if not isinstance(pages, list):
        return []
    return [
        Problem(
            *lines[("pages", i)],
            in_words(("pages", i)),
            _("no page '{name}' in publication.yaml: use one of {names}").format(
                name=name, names=", ".join(defined) or _("(none defined)")),
        )
        for i, name in enumerate(pages)
        if isinstance(name, str) and name not in defined
    ]


def load_publication(project: Project) -> Publication:
    """Validate publication.yaml alone (for commands that need no numéro)."""
    problems: list[Problem] = []
    shown = display_path(project.publication_file, project.root)
    doc = compose(project.publication_file, shown, problems)
    if problems:
        raise ManifestError(problems)
    try:
        return Publication.model_validate(doc.data, context={"base": project.root, "root": project.root})
    except ValidationError as exc:
        raise ManifestError(_problems_from(exc, doc.lines, Publication, (shown, 1), doc.data)) from None


def validation_messages(exc: ValidationError, model: type[BaseModel]) -> list[tuple[FieldPath, str]]:
    """Each error of validating ``model``: its field path and the message a manifest would get (run's language)."""
    found = []
    for error in exc.errors():
        loc = _clean_loc(error["loc"])
        found.append((loc, _message(error, model, loc)))
    return found


def _allowed(expected: str) -> str:
    """pydantic's "'about' or 'insert'" quoted as the language quotes a value (« about » ou « insert » in French)."""
    values = re.findall(r"'([^']*)'", expected)
    if not values:
        return expected.replace(" or ", " " + _("or") + " ")
    quoted = [_("'{value}'").format(value=value) for value in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " " + _("or") + " " + quoted[-1]
