"""Apply French typography to a catalog's translations (scripts/catalog runs it on the French .po).

Narrow no-break spaces before : ; ! ?, « » with their spaces, typographic apostrophes: the
rules that typeset the manifests' text (``dossier.manifest.typography.french_message``), with
placeholders, `code`, addresses and paths left as written. Running it twice changes nothing.

Usage:  .venv/bin/python scripts/typeset_catalog.py src/dossier/locale/fr/LC_MESSAGES/dossier.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from dossier.manifest.typography import french_message


def typeset_catalog(path: Path) -> int:
    """Typeset every translation of the catalog at ``path`` in place; the number of translations changed."""
    with path.open("rb") as file:
        catalog = read_po(file)
    changed = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        if message.context in {"decimal separator", "thousands separator"}:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        typeset = tuple(french_message(text) for text in strings)
        if typeset != strings:
            changed += 1
            message.string = typeset if isinstance(message.string, tuple) else typeset[0]
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {typeset_catalog(Path(name))} translations typeset")
