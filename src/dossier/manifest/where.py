"""Where a value is, in the editor's words: « Thème 2 « Tourisme », initiative 3, porteurs ».

Error messages, ``dossier check``'s remarks and the editing view name a field so, never as
``practices[1].initiatives[2].porteurs`` (English field names, counted from zero): entries are
counted from 1 and themes are named. The words come from ``fields.FIELD_TITLES`` and the
catalog, so the English run says « Theme 2 "Tourisme", initiative 3, porteurs ».
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..i18n import N_, _
from .model import Issue
from .titles import field_title
from .yamlfile import FieldPath

# What one entry of each list is called; {number} counts from 1.
ENTRY_NAMES = {
    "practices": N_("Theme {number}"), "initiatives": N_("initiative {number}"), "porteurs": N_("porteur {number}"),
    "resources": N_("Resource {number}"), "readings": N_("Reading theme {number}"), "articles": N_("article {number}"),
    "back_issues": N_("(Re)lire, entry {number}"), "pages": N_("Back page {number}"), "themes": N_("colour {number}"),
}
# The field that names an entry, shown after its number.
NAMED_BY = {"practices": "theme", "readings": "theme"}
# What an entry of each kind is, for "written at the wrong indentation".
KINDS = {"initiatives": N_("an initiative"), "articles": N_("an article"), "practices": N_("a theme"),
         "resources": N_("a resource"), "readings": N_("a reading theme"), "back_issues": N_("a (Re)lire entry")}


def in_words(path: tuple[Any, ...], data: Any = None, root: type[BaseModel] = Issue) -> str:
    """``path`` (in a ``root``: a manifest, or publication.yaml) in the editor's words; ``data`` gives the themes' names."""
    parts: list[str] = []
    node = data
    for index, part in enumerate(path):
        if isinstance(part, int):
            list_name = path[index - 1] if index and isinstance(path[index - 1], str) else ""
            entry = _(ENTRY_NAMES.get(list_name, N_("entry {number}"))).format(number=part + 1)
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            name = item.get(NAMED_BY.get(list_name, "")) if isinstance(item, dict) else None
            if isinstance(name, str) and name.strip():
                entry = _("{entry} “{name}”").format(entry=entry, name=_short(name))
            if parts:
                parts[-1] = entry  # "Bonnes pratiques" → "Theme 2 “Tourisme”"
            else:
                parts.append(entry)
            node = item
        else:
            model = model_at(path[:index], root)
            known = model is not None and part in model.model_fields
            # A key the model does not have (misspelt, or a page's name) is shown as written.
            parts.append(_(field_title(part)) if known else str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ", ".join(_lower_first(part) if n else part for n, part in enumerate(parts))


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= 40 else name[:39] + "…"


def _lower_first(text: str) -> str:
    # "Porteurs" → "porteurs", but "URL" or "(Re)lire" stay as they are.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def misplaced_entry(parent: tuple[Any, ...], unknown: list[str]) -> tuple[str, str] | None:
    """When the unknown keys of the mapping at ``parent`` are all the fields of some list's entries, that
    list's name and what its entries are called: one card written at the wrong indentation.
    """
    here = model_at(parent)
    allowed = set(here.model_fields) if here else set()
    if len(unknown) < 2 or allowed & set(unknown):
        return None
    for list_name, entry in _lists(Issue):
        if list_name in KINDS and set(unknown) <= set(entry.model_fields) and entry is not here:
            return list_name, _(KINDS[list_name])
    return None


def _lists(model: type[BaseModel], seen: tuple[type, ...] = ()) -> list[tuple[str, type[BaseModel]]]:
    """(list field, its entries' model) for every list of models under ``model``, deepest first."""
    found: list[tuple[str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        inner = _inner_model(info.annotation)
        if inner is None or inner in seen:
            continue
        found = _lists(inner, (*seen, model)) + found
        if getattr(info.annotation, "__origin__", None) is list:
            found.append((name, inner))
    return found


def model_at(path: FieldPath, root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The model whose fields are written at ``path`` of a manifest (list indices and page names passed over)."""
    current: Any = root or Issue
    for part in path:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:  # a key of a mapping such as publication.pages
            continue
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_order(path: FieldPath) -> list[str]:
    """The fields of the model at ``path`` in the order the model declares them (new keys are written so)."""
    found = model_at(path)
    return list(found.model_fields) if found else []
