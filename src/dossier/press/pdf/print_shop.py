"""The print shop's copy: PDF/X-4 with 3 mm of bleed, crop marks, TrimBox and BleedBox, a CMYK output intent.

WeasyPrint's ``pdf/x-4`` variant writes the identification and the boxes; ``styles/imprimeur.css``
adds the bleed and the marks over the numéro's own styles (the cover's panel, its page's
background, runs into the bleed). The output intent is a CMYK characterisation: the first of
``CMYK_PROFILES`` installed (Ghostscript's generic CMYK profile, from Debian's libgs10-common,
installed by scripts/install); the print shop converts the RGB content to its own press.

Invariant: the everyday PDF is untouched; this copy is made only on request and has no tags
(PDF/X is for the press, the everyday copy is the accessible one).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pydyf
import weasyprint
from weasyprint.css import ColorProfile

from ...errors import DossierError
from ...i18n import _
from ...project import Project
from ..printed import PrintedPdf
from .fetch import PROJECT_URL, ProjectFetcher
from .layout import render_document, weasyprint_warnings
from .tagging import reference_number

VARIANT = "pdf/x-4"
STYLESHEET = "styles/imprimeur.css"
CMYK_PROFILES = (Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),)


def cmyk_profile() -> Path:
    """The CMYK profile of the output intent; a one-line error when none is installed."""
    for path in CMYK_PROFILES:
        if path.is_file():
            return path
    raise DossierError(_("{file}: no CMYK colour profile for the print shop's PDF: install libgs10-common "
                         "(sudo apt-get install libgs10-common, or run scripts/install)").format(file=CMYK_PROFILES[0]))


def print_for_print_shop(project: Project, html: str, html_path: Path, *, identifier: str,
                         fixed_time: dt.datetime) -> PrintedPdf:
    """The numéro as the print shop wants it (see the module's docstring)."""
    if not (project.root / STYLESHEET).is_file():
        raise DossierError(_("{file}: file not found: restore it from the repository").format(file=STYLESHEET))
    fetcher = ProjectFetcher(project.root)
    with weasyprint_warnings() as warnings, cmyk_profile().open("rb") as icc:
        profile = ColorProfile(icc, str(cmyk_profile()), "relative-colorimetric", ("cyan", "magenta", "yellow", "black"))
        stylesheet = weasyprint.CSS(url=PROJECT_URL + STYLESHEET, url_fetcher=fetcher)
        document = render_document(project, html, html_path, fetcher, (stylesheet,),
                                   color_profiles={"device-cmyk": profile}, output_intent="device-cmyk")
        # PDF/X dates the file now unless the document says when: the numéro's date keeps the bytes the same.
        when = fixed_time.strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = document.metadata.created or when
        document.metadata.modified = document.metadata.modified or when
        data = document.write_pdf(pdf_variant=VARIANT, pdf_identifier=identifier.encode(),
                                  finisher=lambda document, pdf: _fixed_document_id(pdf, identifier))
    if fetcher.failures:
        raise DossierError("\n".join(fetcher.failures))
    return PrintedPdf(data=data, pages=len(document.pages), warnings=warnings, layout_seconds=0.0, write_seconds=0.0)


def _fixed_document_id(pdf: pydyf.PDF, identifier: str) -> None:
    """WeasyPrint's PDF/X XMP names the file with a random UUID: one made from the numéro's name instead."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    metadata = pdf.objects[reference_number(reference)]
    fixed = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, 'dossier:' + identifier)}".encode()
    metadata.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", fixed, part) if isinstance(part, bytes) else part
                       for part in metadata.stream]
