"""The manifest's fields as editors read them: form labels, the schema's titles, the words of error messages."""

from __future__ import annotations

from ..i18n import N_

# The fields' names as editors read them: labels of the editing view's forms, the schema's
# titles, the words of error messages. A field not named here is called by its own name.
FIELD_TITLES = {
    "lang": N_("Language"), "language": N_("Language"), "number": N_("Number"), "title": N_("Title"),
    "subtitle": N_("Subtitle"), "date": N_("Date"), "edito": N_("Édito"), "cover_image": N_("Cover photograph"),
    "cover_alt": N_("What the cover photograph shows"), "cover_credit": N_("Photo credit"),
    "back_issues": N_("(Re)lire"), "practices": N_("Bonnes pratiques"), "resources": N_("S'informer & s'outiller"),
    "readings": N_("Analyse & prospective"), "pages": N_("Back pages"), "publication": N_("Publication"),
    "theme": N_("Theme"), "colour": N_("Colour"), "initiatives": N_("Initiatives"), "place": N_("Place"),
    "porteurs": N_("Porteurs"), "text": N_("Text"), "image": N_("Image"), "alt": N_("What the image shows"),
    "url": N_("Link"), "highlight": N_("In the newsletter"), "organisation": N_("Organisation"), "logo": N_("Logo"),
    "source": N_("Source"), "articles": N_("Articles"), "series": N_("Series"), "publisher": N_("Publisher"),
    "publisher_short": N_("Publisher's short name"), "byline": N_("Byline"), "site_url": N_("Web site of the dossiers"),
    "colours": N_("Colours"), "accent": N_("Accent colour"), "themes": N_("Theme colours"), "mail": N_("Mail"),
    "layout": N_("Layout"),
}


def field_title(name: str, _info: object = None) -> str:
    """A field's title in English (the catalog's source string): translate it with ``_()`` to show it."""
    return FIELD_TITLES.get(name, name.replace("_", " ").capitalize())
