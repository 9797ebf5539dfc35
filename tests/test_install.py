"""The install is the locked one: what runs is what requirements.lock says, and the lock covers pyproject.toml.

``scripts/install`` installs requirements.lock with ``--require-hashes``; these tests catch a venv
that drifted from it (a hand-made ``pip install -U``, a lock refreshed without reinstalling), a
dependency added to pyproject.toml without ``scripts/lock``, and a library imported without being
declared (it would then come in by chance, through another package, at whatever version).
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
# Where our own code is: src/dossier and the helper modules of tests/, bench/ and scripts/.
CODE_FOLDERS = ("src", "tests", "bench", "scripts")


def locked() -> dict[str, str]:
    """The lock's packages: canonical name → version."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", LOCK.read_text(encoding="utf-8"), re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(text) for text in texts + PYPROJECT["build-system"]["requires"]]


def test_every_locked_package_is_installed_at_its_locked_version():
    pins = locked()
    assert len(pins) > 20 and "weasyprint" in pins and "click" in pins  # the file was read
    wrong = {}
    for name, version in pins.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (installed, version)
    assert wrong == {}, "installed ≠ locked (run scripts/install): " + repr(wrong)


def test_the_lock_satisfies_every_requirement_of_pyproject():
    """A dependency added or bumped in pyproject.toml without ``scripts/lock`` fails here."""
    pins = locked()
    stale = [str(req) for req in declared()
             if canonicalize_name(req.name) not in pins or not req.specifier.contains(pins[canonicalize_name(req.name)],
                                                                                       prereleases=True)]
    assert stale == [], "not in the lock, or locked at a version pyproject.toml refuses (run scripts/lock): " + repr(stale)


def test_the_lock_pins_every_package_with_hashes():
    """``pip install --require-hashes`` needs a hash for every package, or it refuses the whole lock."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8").split("\n", 2)[2])
    assert entries and all("--hash=sha256:" in entry for entry in entries if "==" in entry)


def _imported_modules(path: Path) -> set[str]:
    """Top-level modules that a file imports at run time (not those imported only for type checking)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_every_library_our_code_imports_is_declared_in_pyproject():
    """Pyphen or fontTools imported without being declared come in through WeasyPrint, at any version."""
    files = [path for folder in CODE_FOLDERS for path in (REPO / folder).rglob("*.py")]
    ours = {path.stem for path in files} | {path.name for folder in CODE_FOLDERS for path in (REPO / folder).rglob("*")
                                             if path.is_dir()}
    imported = set().union(*(_imported_modules(path) for path in files)) - ours - set(sys.stdlib_module_names)
    providers = importlib.metadata.packages_distributions()
    names = {canonicalize_name(req.name) for req in declared()}
    undeclared = {module: providers.get(module) for module in imported
                  if not any(canonicalize_name(dist) in names for dist in providers.get(module, []))}
    assert "pyphen" in imported and "fontTools" in imported  # the scan saw the print stage's imports
    assert undeclared == {}, "imported but not declared in pyproject.toml: " + repr(undeclared)
