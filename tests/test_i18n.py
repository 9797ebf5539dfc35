"""Every message goes through the catalog, the French catalog is complete and typeset, the language is chosen as said.

The scan reads the code with ``ast``: a string with words in it, passed to what shows text to
a user (an error, a finding, an echo, a ``help=``), must be inside ``_()``, ``ngettext()`` or
``N_()``. The catalog is compared with a fresh extraction (Babel, babel.cfg), so a message
added to the code without a French translation fails here.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import REPO, run
from dossier import i18n
from dossier.manifest.typography import french_message

SOURCE = REPO / "src" / "dossier"
FRENCH_PO = SOURCE / "locale" / "fr" / "LC_MESSAGES" / "dossier.po"
KEYWORDS = {"_": None, "N_": None, "Nn_": (1, 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
TRANSLATORS = {"_", "N_", "Nn_", "ngettext", "pgettext"}

# Calls whose text reaches a user, and which of their arguments is that text (None: the first).
SHOWN = {
    "DossierError": None, "OutputError": None, "ManifestError": None, "UsageError": None, "BadParameter": None,
    "ClickException": None, "Interrupted": None, "SendFailures": None, "SendStopped": None, "PartnerListError": None,
    "LedgerBusy": None, "ValueError": None, "echo": None, "report": None, "_fail": None, "Problem": 3,
}
# Variables that hold a message before it is raised or shown.
MESSAGE_NAMES = {"message", "reason", "hint", "problem", "what"}
# Strings that reach no user: programmers' errors and internal markers, by file and opening words.
NOT_FOR_USERS = {
    ("manifest/model.py", "this Issue was not loaded"),
    ("mail/send.py", "--test: "),  # an option's name before a translated message
    ("mail/send.py", "[Test] "),  # the test copy's subject prefix, understood in any language
}
# Packages whose messages are not translated yet: none.
NOT_YET: tuple[str, ...] = ()


def _has_words(node: ast.AST) -> str | None:
    """The literal text of a str constant or f-string, when it holds a word (two letters in a row)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return None
    return text if re.search(r"[A-Za-zÀ-ÿ]{2}", text) else None


def _untranslated(node: ast.AST) -> list[tuple[int, str]]:
    """Literals with words inside ``node`` that are not inside a translation call."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Call) and _name(current.func) in TRANSLATORS:
            continue
        if isinstance(current, ast.Call) and _name(current.func) == "join":  # "\n".join(...): the separator is no text
            stack.extend(current.args)
            continue
        if isinstance(current, ast.Call) and _name(current.func) == "getattr":
            continue
        if isinstance(current, ast.Call) and _name(current.func) == "Problem":  # its field is a name, its message text
            stack.extend(current.args[3:4])
            continue
        if isinstance(current, ast.Call) and _name(current.func) == "format":  # the values are names, paths, numbers
            stack.append(current.func)
            continue
        if (text := _has_words(current)) is not None:
            found.append((current.lineno, text))
            continue
        if isinstance(current, ast.Attribute) and isinstance(current.value, ast.Constant):
            continue  # "…".format: the receiver of a method is checked by the call around it
        stack.extend(ast.iter_child_nodes(current))
    return found


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def untranslated_strings(path: Path, root: Path = SOURCE) -> list[str]:
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in SHOWN:
                index = SHOWN[name] or 0
                args = node.args[index:index + 1] + [k.value for k in node.keywords if k.arg == "message"]
                for arg in args:
                    found += _untranslated(arg)
            found += [hit for k in node.keywords if k.arg == "help" for hit in _untranslated(k.value)]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in MESSAGE_NAMES for t in node.targets):
            found += _untranslated(node.value)
    return [f"{relative}:{line}: {text!r}" for line, text in sorted(set(found))
            if not any(relative == file and text.startswith(start) for file, start in NOT_FOR_USERS)]


def python_sources() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if not path.relative_to(SOURCE).as_posix().startswith(NOT_YET))


def test_every_user_facing_string_is_wrapped_for_translation():
    unwrapped = [hit for path in python_sources() for hit in untranslated_strings(path)]
    assert unwrapped == [], "wrap these in _() (or ngettext, N_):\n" + "\n".join(unwrapped)


def test_no_module_hides_the_translation_function():
    """``_`` as a throw-away name (``_, path = …``) would shadow gettext's ``_`` in that scope."""
    shadowed = []
    for path in python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.ImportFrom) and any(alias.name == "_" for alias in node.names) for node in tree.body):
            shadowed += [f"{path.relative_to(SOURCE)}:{node.lineno}" for node in ast.walk(tree)
                         if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)]
    assert shadowed == []


def test_the_scan_finds_an_unwrapped_message(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text('raise DossierError(f"{file}: cannot read it")\nProblem(f, 1, "number", _("fine"))\n'
                      'echo(_("{x} ok").format(x=1))\nmessage = "left out"\n', encoding="utf-8")
    assert untranslated_strings(sample, tmp_path) == ["sample.py:1: ': cannot read it'", "sample.py:4: 'left out'"]


def extracted_messages() -> dict[object, tuple[str, ...]]:
    """msgid (or (context, msgid)) → the source strings, as scripts/catalog extracts them."""
    method_map, options_map = parse_mapping_cfg((REPO / "babel.cfg").open(encoding="utf-8"))
    found = {}
    for folder in (SOURCE, REPO / "templates"):  # the tool's messages and the print templates' fixed words
        for _file, _line, message, _comments, context in extract_from_dir(
            folder, method_map, options_map, keywords=KEYWORDS
        ):
            strings = message if isinstance(message, tuple) else (message,)
            key = strings[0] if context is None else (context, strings[0])
            found[key] = strings
    return found


def french_catalog() -> dict[object, object]:
    with FRENCH_PO.open("rb") as file:
        catalog = read_po(file)
    return {(m.id if isinstance(m.id, str) else m.id[0]) if not m.context else (m.context, m.id): m
            for m in catalog if m.id}


def test_every_message_has_a_french_translation():
    french = french_catalog()
    extracted = extracted_messages()
    missing = [key for key in extracted if key not in french]
    assert missing == [], "not in the French catalog: run scripts/catalog, then translate:\n" + "\n".join(map(str, missing))
    untranslated = [key for key, message in french.items()
                    if not message.string or isinstance(message.string, tuple) and not all(message.string)
                    or message.fuzzy]
    assert untranslated == [], "translate these in dossier.po (or clear their fuzzy flag):\n" + "\n".join(map(str, untranslated))
    obsolete = [key for key in french if key not in extracted]
    assert obsolete == [], "no longer in the code: run scripts/catalog\n" + "\n".join(map(str, obsolete))


def test_plurals_are_real_plurals():
    french = french_catalog()
    plurals = [m for m in french.values() if isinstance(m.id, tuple)]
    assert len(plurals) >= 5
    assert all(isinstance(m.string, tuple) and len(m.string) == 2 and all(m.string) for m in plurals)
    catalog = i18n.translation("fr")
    assert [catalog.ngettext("{count} initiative", "{count} initiatives", n).format(count=n) for n in (0, 1, 2)] == [
        "0 initiative", "1 initiative", "2 initiatives"]  # French: 0 is singular
    english = i18n.translation("en")
    assert [english.ngettext("{count} finding", "{count} findings", n).format(count=n) for n in (0, 1, 2)] == [
        "0 findings", "1 finding", "2 findings"]


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]")


def test_translations_keep_the_placeholders():
    def placeholders(text: str) -> set[str]:
        # click quotes values with repr (!r): French writes « {value} » instead, and may leave out the kind of
        # path click names first ("File 'x' does not exist": « x » n’existe pas), its word fixed when click loads.
        found = {placeholder.replace("!r}", "}") for placeholder in _PLACEHOLDER.findall(text)}
        return found - {"{name}"} if "{filename}" in found else found

    wrong = []
    for message in french_catalog().values():
        if isinstance(message.id, str):
            if placeholders(message.string) != placeholders(message.id):
                wrong.append(f"{message.id!r} → {message.string!r}")
        else:  # French singular and plural, from the English ones
            allowed = placeholders(" ".join(message.id))
            singular, plural = message.string
            if not (placeholders(singular) <= allowed and placeholders(plural) == placeholders(message.id[1])):
                wrong.append(f"{message.id!r} → {message.string!r}")
    assert wrong == []


def test_french_translations_have_french_typography():
    french = french_catalog()
    wrong = [f"{message.string!r} should be {french_message(message.string)!r}"
             for message in french.values()
             if isinstance(message.string, str) and not message.context and french_message(message.string) != message.string]
    assert wrong == [], "run scripts/catalog (it typesets the translations):\n" + "\n".join(wrong)
    assert french["Usage:"].string == "Utilisation\u202f:"
    assert french["missing: this field is required"].string == "manquant\u202f: ce champ est obligatoire"
    colour = "'{value}' is not a colour: write it as #RRGGBB in quotes, e.g. `colour: \"#1b4f72\"`"
    assert "«\u202f{value}\u202f» n’est pas" in french[colour].string


def test_french_message_typography_leaves_code_alone():
    assert french_message("{file}: écriture impossible : {reason}") == "{file}: écriture impossible\u202f: {reason}"
    assert french_message("écrivez `number: {n}` ou https://example.org/a:b !") == (
        "écrivez `number: {n}` ou https://example.org/a:b\u202f!")
    assert french_message("l'image « {value} » n'est pas") == "l’image «\u202f{value}\u202f» n’est pas"
    assert french_message("d'{name}") == "d’{name}"
    assert french_message(french_message("a : b")) == french_message("a : b")


def _text(value: object) -> object:
    """read_mo's values as read_po gives them: str (not bytes) and tuples (not lists)."""
    if isinstance(value, bytes):
        return value.decode()
    return tuple(value) if isinstance(value, list) else value


def test_the_compiled_catalog_is_the_po_file():
    mo = SOURCE / "locale" / "fr" / "LC_MESSAGES" / "dossier.mo"
    assert mo.is_file(), "the French catalog is not compiled: run scripts/install"
    with mo.open("rb") as file:
        compiled = {(_text(m.context), _text(m.id)): _text(m.string) for m in read_mo(file) if m.id}
    with FRENCH_PO.open("rb") as file:
        source = {(m.context, m.id): m.string for m in read_po(file) if m.id and not m.fuzzy}
    assert compiled == source, "dossier.mo is older than dossier.po: run scripts/install (or scripts/catalog)"


@pytest.mark.parametrize(
    ("args", "environ", "publication", "expected"),
    [
        (["--lang", "en", "validate", "3"], {"DOSSIER_LANG": "fr"}, "language: fr\n", "en"),
        (["--lang=fr", "build", "3"], {"DOSSIER_LANG": "en"}, "language: en\n", "fr"),
        (["validate", "--lang", "en"], {}, "language: fr\n", "fr"),  # after the command: the command's option
        (["validate", "3"], {"DOSSIER_LANG": "en_GB.UTF-8"}, "language: fr\n", "en"),
        (["validate", "3"], {}, "series: x\nlanguage: 'en'   # English\n", "en"),
        (["validate", "3"], {}, "series: x\n", "fr"),
        (["validate", "3"], {"DOSSIER_LANG": ""}, "pages:\n  a:\n    language: en\n", "fr"),  # not top-level
    ],
)
def test_language_choice(tmp_path: Path, args: list[str], environ: dict, publication: str, expected: str):
    (tmp_path / "publication.yaml").write_text(publication, encoding="utf-8")
    (tmp_path / "issues").mkdir()
    assert i18n.choose_language(args, environ, tmp_path / "issues") == expected


def test_outside_a_project_the_language_is_french(tmp_path: Path):
    assert i18n.choose_language([], {}, tmp_path) in {"fr", i18n.publication_language(tmp_path) or "fr"}


def test_numbers_and_sizes_are_written_the_languages_way():
    from dossier.files import format_size

    assert (i18n.decimal(2.345), i18n.integer(20000), format_size(1536 * 1024)) == ("2.3", "20,000", "1.5 MB")
    i18n.use("fr")
    assert (i18n.decimal(2.345), i18n.integer(20000), format_size(1536 * 1024)) == ("2,3", "20\u202f000", "1,5 Mo")
    assert i18n.decimal(0.5, None) == "0,5" and i18n.decimal(10.0, None) == "10"


def test_help_and_usage_errors_in_french():
    result = run("--lang", "fr", "validate", "--help")
    assert result.stdout.startswith("Utilisation\u202f: ")
    assert "Vérifie le manifeste d’un numéro et signale chaque problème. NUMÉRO est le dossier d’un numéro" in " ".join(
        result.stdout.split())
    assert "Options\u202f:\n  -h, --help  Affiche ce message et quitte." in result.stdout
    unknown = run("--lang", "fr", "valid", "3")
    assert unknown.exit_code == 2
    assert "Erreur\u202f: Pas de commande 'valid'. Vouliez-vous dire 'validate'\u202f?" in unknown.stderr
    missing = run("--lang", "fr", "validate")
    assert "Erreur\u202f: Argument manquant 'NUMÉRO'." in missing.stderr
    assert "Essayez «\u202fcli validate --help\u202f» pour de l’aide." in missing.stderr  # "cli": the test runner's name


def test_help_in_english_on_request():
    result = run("--lang", "en", "--help")
    assert result.stdout.startswith("Usage: ")
    assert "Commands: build Build a numéro's PDF and HTML draft into output/." in " ".join(result.stdout.split())
    assert "--lang LANG  The language of messages for this run (en, fr)" in result.stdout


def test_dossier_lang_and_the_publication_choose_the_language(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DOSSIER_LANG", "fr")
    assert run("validate", "3").stdout.startswith("issues/03/issue.yaml: valide\u202f: numéro 3, 30 initiatives dans 4 thèmes")
    monkeypatch.delenv("DOSSIER_LANG")
    assert "valide\u202f:" in run("validate", "3").stdout  # publication.yaml says fr
    publication = project / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    assert run("validate", "3").stdout.startswith("issues/03/issue.yaml: valid: numéro 3")
    assert "valide\u202f:" in run("--lang", "fr", "validate", "3").stdout


def test_an_uncompiled_catalog_is_said(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "fr" / "LC_MESSAGES" / "dossier.po").write_text("", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_catalogs", {})
    with pytest.raises(RuntimeError, match="run scripts/install"):
        i18n.translation("fr")
    assert isinstance(i18n.translation("de"), gettext.NullTranslations)  # no catalog: the English source


def test_the_preview_speaks_the_runs_language(french: None):
    import json as json_module

    from dossier.preview.documents import client, error_document

    panel = client("draft", "d-1")
    assert "<strong>Pages imprimées</strong>" in panel and "Masquer les pages" in panel
    blob = re.search(r'<script type="application/json" id="dossier-preview-words">(.*?)</script>', panel, re.S)[1]
    words = json_module.loads(blob)
    assert (words["live"], words["decimal"]) == ("en direct", ",")
    assert words["pages"] == ["{count} page", "{count} page", "{count} pages"]  # French: 0 is singular
    page = error_document(["issues/03/issue.yaml:5: subtitle: manquant"], "d-1")
    assert '<html lang="fr">' in page and "Le brouillon ne peut pas être fait" in page


def test_a_publication_in_english_prints_english_words(mini_project: Path):
    from dossier.manifest import load_issue
    from dossier.press.render import render_html
    from dossier.project import Project

    publication = mini_project / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8") + "language: en\n", encoding="utf-8")
    project = Project(mini_project)
    html = render_html(project, load_issue(project, project.manifest_for("1")))
    assert '<html lang="en">' in html
    for words in ("Contents", "Good practices", "Project lead:", "Editorial", "Get informed &amp; equipped"):
        assert words in html
    assert "Sommaire" not in html and "Porteur" not in html
