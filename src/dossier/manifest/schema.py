"""The manifest's JSON Schema, generated from the model that validates it (dossier.model.Issue).

Editors (VS Code, JetBrains, vim with yaml-language-server) read it for completion, hover help
(the fields' descriptions) and inline errors; the committed copy is ``schema/issue.schema.json``.
The schema describes the YAML as written, before load.py merges publication.yaml in. Its
descriptions are the model's (English source strings) translated into the language asked for:
the committed copy is in the publication's language.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode

from ..files import write_atomically
from ..i18n import DEFAULT_LANGUAGE, N_, translation
from ..project import Project
from .model import Issue

if TYPE_CHECKING:
    from pydantic_core import CoreSchema

SCHEMA_FILE = Path("schema") / "issue.schema.json"  # from the project root
OVERRIDE_SUFFIX = "Override"


class ManifestSchema(GenerateJsonSchema):
    """pydantic's schema of Issue, as the manifest is written.

    The model requires ``publication`` because load.py always merges publication.yaml into it; in
    the manifest it is optional and partial: any field, at any depth of mappings, may be left out.
    """

    translate: Callable[[str], str] = staticmethod(lambda text: text)

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> dict[str, Any]:
        result = _translated(super().generate(schema, mode), self.translate)
        defs = result.setdefault("$defs", {})
        publication = result["properties"]["publication"]
        publication.update(_deep_partial(publication, defs, self.translate(PARTIAL_NOTE)))
        result["required"] = [name for name in result.get("required", []) if name != "publication"]
        _prune(result)
        return {"$schema": self.schema_dialect, **result}


PARTIAL_NOTE = N_("Here every field is optional: it is merged over publication.yaml.")


def _translated(node: Any, translate: Callable[[str], str]) -> Any:
    """``node`` with every description and title in the language of ``translate``."""
    if isinstance(node, list):
        return [_translated(item, translate) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: translate(value) if key in ("description", "title") and isinstance(value, str) else _translated(value, translate)
            for key, value in node.items()}


def _deep_partial(node: Any, defs: dict[str, Any], note: str) -> Any:
    """``node`` with no required fields in it or in the mappings it holds.

    load.py merges mappings key by key but replaces lists whole, so items of lists stay complete.
    """
    if isinstance(node, list):
        return [_deep_partial(item, defs, note) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = _partial_ref(value, defs, note)
        elif key == "required":
            continue
        elif key == "properties":
            out[key] = {name: _deep_partial(sub, defs, note) for name, sub in value.items()}
        elif key in {"additionalProperties", "anyOf", "oneOf", "allOf"}:
            out[key] = _deep_partial(value, defs, note)
        else:  # items, patterns, defaults, descriptions: as they are
            out[key] = value
    return out


def _partial_ref(ref: str, defs: dict[str, Any], note: str) -> str:
    name = ref.removeprefix("#/$defs/")
    if name.endswith(OVERRIDE_SUFFIX):
        return ref
    partial_name = name + OVERRIDE_SUFFIX
    if partial_name not in defs:
        defs[partial_name] = {}  # placeholder first: a model may refer to itself
        partial = _deep_partial(copy.deepcopy(defs[name]), defs, note)
        if partial == defs[name]:  # nothing was required: keep the one definition
            del defs[partial_name]
            return ref
        partial["description"] = (partial.get("description", "") + " " + note).strip()
        defs[partial_name] = partial
    return f"#/$defs/{partial_name}"


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix("#/$defs/")} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


def _prune(result: dict[str, Any]) -> None:
    """Drop the definitions nothing refers to any more (the complete Publication) and sort the rest."""
    defs = result["$defs"]
    used: set[str] = set()
    todo = _refs({k: v for k, v in result.items() if k != "$defs"})
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            todo |= _refs(defs[name])
    result["$defs"] = {name: defs[name] for name in sorted(used)}


def issue_schema(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The JSON Schema of a numéro's manifest (issues/NN/issue.yaml), its descriptions in ``language``."""
    translate = translation(language).gettext
    generator = type("TranslatedManifestSchema", (ManifestSchema,), {"translate": staticmethod(translate)})
    schema = Issue.model_json_schema(schema_generator=generator)
    schema["title"] = translate(N_("Dossier spécial: a numéro's manifest (issues/NN/issue.yaml)"))
    return schema


def schema_text(language: str = DEFAULT_LANGUAGE) -> str:
    """The schema as the committed file holds it: JSON, two-space indents, UTF-8, final newline."""
    return json.dumps(issue_schema(language), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path, language: str = DEFAULT_LANGUAGE) -> Path:
    """Write the schema to ``path`` atomically."""
    write_atomically(path, schema_text(language).encode("utf-8"))
    return path


def ensure_schema(project: Project, language: str = DEFAULT_LANGUAGE) -> Path | None:
    """Write the project's schema file (in the publication's ``language``) if missing or out of date; its path if written."""
    path = project.root / SCHEMA_FILE
    text = schema_text(language)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return None
    write_atomically(path, text.encode("utf-8"))
    return path
