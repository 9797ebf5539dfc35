"""Which spreadsheet column gives which field of an imported entry: headers in French or English.

A header is matched whole first (``tables.header_key``: case, accents and spacing left out),
then by its start, longest accepted header first, so that a form's question
(« Titre de votre initiative », « Lieu (ville, pays) ») finds its field and « Texte
alternatif » is not taken for « Texte ». « Porteur 1 », « Porteur 2 »… all give porteurs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..tables import header_key

# field → the headers that name it, per kind of entry.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "initiatives": {
        "theme": ("thème", "thématique", "catégorie", "rubrique"),
        "title": ("titre", "intitulé", "nom de l'initiative", "nom du projet", "initiative", "projet"),
        "place": ("lieu", "ville", "territoire", "localisation", "commune", "pays", "where"),
        "porteurs": ("porteurs", "porteur", "porteur(s)", "porté par", "structure porteuse", "carried by", "organisers",
                     "organizers"),
        "text": ("texte", "description", "présentation", "résumé", "summary"),
        "url": ("lien", "link", "site", "site web", "adresse web", "en savoir plus", "website", "web"),
        "image": ("photo", "image", "visuel", "illustration", "picture"),
        "alt": ("texte alternatif", "alt", "alternative", "description de la photo", "description de l'image",
                "alt text"),
        "lang": ("langue", "language"),
    },
    "resources": {
        "organisation": ("organisme", "structure", "organization", "éditeur", "publisher", "auteur"),
        "title": ("titre", "intitulé", "ressource"),
        "url": ("lien", "link", "site", "adresse web", "website"),
        "logo": ("logo",),
        "lang": ("langue", "language"),
    },
    "readings": {
        "theme": ("thème", "thématique", "catégorie", "rubrique"),
        "source": ("journal", "revue", "média", "media", "publication", "site", "newspaper"),
        "title": ("titre", "intitulé", "article"),
        "date": ("date de publication", "parution", "published"),
        "url": ("lien", "link", "adresse web", "website"),
        "lang": ("langue", "language"),
    },
}
# The fields a row must give, per kind: they tell the kinds apart when --kind is not given.
REQUIRED = {"initiatives": ("title", "porteurs", "text"), "resources": ("organisation", "title"),
            "readings": ("source", "title")}
# Where each kind goes in the manifest; themed kinds are grouped under {theme: …, <entries>: […]}.
PLACES = {"initiatives": ("practices", "initiatives"), "resources": ("resources", None), "readings": ("readings", "articles")}
_NUMBERED = re.compile(r"^(?P<name>\D+?)\d+$")  # « Porteur 2 »: a field given over several columns


def match(header: Sequence[str], kind: str, mapping: dict[str, str]) -> dict[int, str]:
    """{column index: field} for ``kind``: ``mapping`` (header → field) first, then the accepted headers."""
    keys = {name: (name, *aliases) for name, aliases in HEADERS[kind].items()}
    ordered = sorted(((header_key(alias), name) for name, aliases in keys.items() for alias in aliases),
                     key=lambda pair: -len(pair[0]))
    exact = dict(ordered)
    mapped = {header_key(text): field for text, field in mapping.items()}
    found: dict[int, str] = {}
    for index, text in enumerate(header):
        key = header_key(text)
        if not key:
            continue
        if key in mapped:
            found[index] = mapped[key]
        elif key in exact:
            found[index] = exact[key]
        elif (numbered := _NUMBERED.match(key)) and exact.get(numbered["name"]) == "porteurs":
            found[index] = "porteurs"
        else:  # a form's question: its start (four letters at least, so « site » is not « si »)
            name = next((name for alias, name in ordered if len(alias) > 3 and key.startswith(alias)), None)
            if name is not None:
                found[index] = name
    return found


def guess_kind(header: Sequence[str]) -> str | None:
    """The kind whose required fields the header gives (initiatives first), else None."""
    for kind, required in REQUIRED.items():
        if set(required) <= set(match(header, kind, {}).values()):
            return kind
    return None
