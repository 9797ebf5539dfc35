"""The manifest's JSON Schema: generated from the model, committed, and agreeing with the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import REPO, run
from dossier.manifest.model import Initiative, Issue
from dossier.manifest.schema import SCHEMA_FILE, issue_schema, schema_text


class EditorLoader(yaml.SafeLoader):
    """YAML as yaml-language-server reads it (YAML 1.2): 2020-04-03 is text, not a date."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def editor_load(text: str) -> Any:
    return yaml.load(text, Loader=EditorLoader)


def schema_errors(data: Any) -> list[jsonschema.ValidationError]:
    return list(jsonschema.Draft202012Validator(issue_schema()).iter_errors(data))


def sample() -> dict[str, Any]:
    return editor_load((REPO / "issues/03/issue.yaml").read_text(encoding="utf-8"))


def test_committed_schema_is_the_generated_one():
    result = run("schema")
    assert result.exit_code == 0
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert result.stdout == committed, "out of date: run dossier schema --output schema/issue.schema.json"


def test_schema_is_a_valid_json_schema():
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_descriptions_come_from_the_model():
    schema = issue_schema()
    for name in ("subtitle", "date", "back_issues", "pages", "publication"):
        assert schema["properties"][name]["description"] == Issue.model_fields[name].description
    card = schema["$defs"]["Initiative"]["properties"]
    assert card["alt"]["description"] == Initiative.model_fields["alt"].description


def test_schema_speaks_yaml_not_the_models_internals():
    schema = issue_schema()
    assert "Month" not in schema["$defs"]  # dates are written as text
    date = schema["properties"]["date"]["anyOf"][0]
    assert date["type"] == "string" and "pattern" in date
    assert schema["required"] == ["number", "subtitle", "edito"]  # publication: optional in the manifest


def test_sample_validates():
    assert [error.message for error in schema_errors(sample())] == []


def test_publication_yaml_validates_as_a_whole_override():
    data = sample()
    data["publication"] = editor_load((REPO / "publication.yaml").read_text(encoding="utf-8"))
    assert [error.message for error in schema_errors(data)] == []


def _set(data: dict, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: dict, path: tuple) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


CARD = ("practices", 0, "initiatives", 0)
BROKEN = {
    "unknown key": (("subtitel",), "Territoires", ()),
    "missing subtitle": (("subtitle",), None, ()),
    "missing edito": (("edito",), None, ()),
    "'#' url": ((*CARD, "url"), "#", (*CARD, "url")),
    "url with a space": ((*CARD, "url"), "https://example.org/a page", (*CARD, "url")),
    "url without https": ((*CARD, "url"), "www.example.org", (*CARD, "url")),
    "empty title": ((*CARD, "title"), "", (*CARD, "title")),
    "no porteurs": ((*CARD, "porteurs"), [], (*CARD, "porteurs")),
    "image not an image": ((*CARD, "image"), "photo.tiff", (*CARD, "image")),
    "theme without cards": (("practices", 0, "initiatives"), [], ("practices", 0, "initiatives")),
    "colour by name": (("practices", 0, "colour"), "red", ("practices", 0, "colour")),
    "month 13": (("date",), "2020-13", ("date",)),
    "date in words": (("back_issues", 0, "date"), "3 avril 2020", ("back_issues", 0, "date")),
    "number zero": (("number",), 0, ("number",)),
    "inline page without title": (("pages", 1), {"layout": "insert"}, ("pages", 1)),
    "override with an unknown key": (("publication",), {"colour": {"accent": "#000000"}}, ("publication",)),
    "override with a bad colour": (("publication",), {"colours": {"accent": "bleu"}}, ("publication", "colours", "accent")),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_manifests_fail_the_schema_and_the_model(case: str, project: Path):
    path, value, where = BROKEN[case]
    data = sample()
    if value is None:
        _delete(data, path)
    else:
        _set(data, path, value)
    errors = schema_errors(data)
    assert errors, f"the schema accepts: {case}"
    # best_match looks inside anyOf/oneOf for the error an editor shows: where the mistake is.
    assert tuple(jsonschema.exceptions.best_match(errors).absolute_path) == where
    # The model says no as well: the schema never promises what validate refuses, or the reverse.
    (project / "issues/03/issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run("validate", "3").exit_code == 1


OVERRIDES = {
    "one colour": {"colours": {"accent": "#1b4f72"}},
    "a page's title": {"pages": {"chaire": {"title": "La Chaire"}}},
    "mail sender": {"mail": {"from_name": "Chaire A&NMT"}},
}


@pytest.mark.parametrize("case", sorted(OVERRIDES))
def test_partial_overrides_pass_the_schema_and_the_model(case: str, project: Path):
    data = sample()
    data["publication"] = copy.deepcopy(OVERRIDES[case])
    assert [error.message for error in schema_errors(data)] == []
    (project / "issues/03/issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run("validate", "3")
    assert result.exit_code == 0, result.stderr


def test_output_writes_the_schema_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # no project here: the schema is the tool's
    target = tmp_path / "out" / "issue.schema.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    result = run("schema", "--output", "out/issue.schema.json")
    assert result.exit_code == 0
    assert result.stdout == "out/issue.schema.json\n"
    assert target.read_text(encoding="utf-8") == schema_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["issue.schema.json"]  # no temporary file left


def test_output_to_a_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("schema", "--output", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr
