"""The manifest's JSON Schema, generated from the model that validates it (dossier.model.Issue).

Editors (VS Code, JetBrains, vim with yaml-language-server) read it for completion, hover help
(the fields' descriptions) and inline errors; the committed copy is ``schema/issue.schema.json``.
The schema describes the YAML as written, before load.py merges publication.yaml in.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode

from ..files import write_atomically
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

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> dict[str, Any]:
        result = super().generate(schema, mode)
        defs = result.setdefault("$defs", {})
        publication = result["properties"]["publication"]
        publication.update(_deep_partial(publication, defs))
        result["required"] = [name for name in result.get("required", []) if name != "publication"]
        _prune(result)
        return {"$schema": self.schema_dialect, **result}


def _deep_partial(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with no required fields in it or in the mappings it holds.

    load.py merges mappings key by key but replaces lists whole, so items of lists stay complete.
    """
    if isinstance(node, list):
        return [_deep_partial(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = _partial_ref(value, defs)
        elif key == "required":
            continue
        elif key == "properties":
            out[key] = {name: _deep_partial(sub, defs) for name, sub in value.items()}
        elif key in {"additionalProperties", "anyOf", "oneOf", "allOf"}:
            out[key] = _deep_partial(value, defs)
        else:  # items, patterns, defaults, descriptions: as they are
            out[key] = value
    return out


def _partial_ref(ref: str, defs: dict[str, Any]) -> str:
    name = ref.removeprefix("#/$defs/")
    if name.endswith(OVERRIDE_SUFFIX):
        return ref
    partial_name = name + OVERRIDE_SUFFIX
    if partial_name not in defs:
        defs[partial_name] = {}  # placeholder first: a model may refer to itself
        partial = _deep_partial(copy.deepcopy(defs[name]), defs)
        if partial == defs[name]:  # nothing was required: keep the one definition
            del defs[partial_name]
            return ref
        partial["description"] = (
            partial.get("description", "") + " Here every field is optional: it is merged over publication.yaml."
        ).strip()
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


def issue_schema() -> dict[str, Any]:
    """The JSON Schema of a numéro's manifest (issues/NN/issue.yaml)."""
    schema = Issue.model_json_schema(schema_generator=ManifestSchema)
    schema["title"] = "Dossier spécial: a numéro's manifest (issues/NN/issue.yaml)"
    return schema


def schema_text() -> str:
    """The schema as the committed file holds it: JSON, two-space indents, UTF-8, final newline."""
    return json.dumps(issue_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path) -> Path:
    """Write the schema to ``path`` atomically."""
    write_atomically(path, schema_text().encode("utf-8"))
    return path


def ensure_schema(project: Project) -> Path | None:
    """Write the project's schema file if it is missing or out of date; its path if it was written."""
    path = project.root / SCHEMA_FILE
    text = schema_text()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return None
    write_atomically(path, text.encode("utf-8"))
    return path
