"""The print shop's copy: PDF/X-4 with 3 mm of bleed, crop marks, TrimBox and BleedBox, a CMYK output intent.

WeasyPrint's ``pdf/x-4`` variant writes the identification and the boxes; ``styles/imprimeur.css``
adds the bleed and the marks over the numéro's own styles (the cover's panel, its page's
background, and a landscape cover photograph run into the bleed). The output intent is FOGRA39
(ISO 12647-2 offset on coated paper, the condition of ISO Coated v2 and PSO Coated), registered
with the ICC as ``FOGRA39``, with ``FOGRA39L.icc`` beside this module as its profile (made by
scripts/make-press-profile from Debian's icc-profiles-free data, zlib licence: FOGRA39L.LICENSE).

What WeasyPrint's variant leaves out, the finisher adds (``_press_ready``):
- the output intent's registered condition (``OutputConditionIdentifier FOGRA39``, ``RegistryName``,
  the condition in words) instead of the profile's name;
- RGB as PDF/X-4 allows it with a CMYK intent: every RGB colour and image is sRGB, said by ICC
  (``DefaultRGB`` in every resource dictionary, images' ``DeviceRGB`` as ``ICCBased`` sRGB), for the
  print shop's RIP to convert to its press;
- no annotations: links mean nothing on paper, and PDF/X keeps the bleed free of them;
- a document ID made from the numéro's name (WeasyPrint's XMP has a random one).

Invariant: the everyday PDF is untouched; this copy is made only on request and has no tags
(PDF/X is for the press, the everyday copy is the accessible one).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import re
import uuid
from pathlib import Path

import pydyf
import weasyprint
from PIL import ImageCms
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
PROFILE = "FOGRA39L.icc"
# The output condition, as the ICC's registry of characterisations names it and as the data describes it.
CONDITION = "FOGRA39"
REGISTRY = "http://www.color.org"
CONDITION_WORDS = ("Coated FOGRA39 (ISO 12647-2:2004/Amd 1): offset printing, paper type 1 or 2 (coated art, "
                   "115 g/m2), tone value increase curves A (CMY) and B (K)")


def cmyk_profile() -> bytes:
    """The output intent's profile (package data)."""
    return importlib.resources.files(__package__).joinpath(PROFILE).read_bytes()


def print_for_print_shop(project: Project, html: str, html_path: Path, *, identifier: str,
                         fixed_time: dt.datetime) -> PrintedPdf:
    """The numéro as the print shop wants it (see the module's docstring)."""
    if not (project.root / STYLESHEET).is_file():
        raise DossierError(_("{file}: file not found: restore it from the repository").format(file=STYLESHEET))
    fetcher = ProjectFetcher(project.root)
    with weasyprint_warnings() as warnings:
        profile = ColorProfile(io.BytesIO(cmyk_profile()), CONDITION, "relative-colorimetric",
                               ("cyan", "magenta", "yellow", "black"))
        stylesheet = weasyprint.CSS(url=PROJECT_URL + STYLESHEET, url_fetcher=fetcher)
        document = render_document(project, html, html_path, fetcher, (stylesheet,),
                                   color_profiles={"device-cmyk": profile}, output_intent="device-cmyk").document
        # PDF/X dates the file now unless the document says when: the numéro's date keeps the bytes the same.
        when = fixed_time.strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = document.metadata.created or when
        document.metadata.modified = document.metadata.modified or when
        data = document.write_pdf(pdf_variant=VARIANT, pdf_identifier=identifier.encode(),
                                  finisher=lambda document, pdf: _press_ready(pdf, identifier))
    if fetcher.failures:
        raise DossierError("\n".join(fetcher.failures))
    return PrintedPdf(data=data, pages=len(document.pages), warnings=warnings, layout_seconds=0.0, write_seconds=0.0)


def _press_ready(pdf: pydyf.PDF, identifier: str) -> None:
    """What WeasyPrint's PDF/X-4 leaves out (see the module's docstring)."""
    _fixed_document_id(pdf, identifier)
    for intent in pdf.catalog["OutputIntents"]:
        intent["OutputConditionIdentifier"] = pydyf.String(CONDITION)
        intent["RegistryName"] = pydyf.String(REGISTRY)
        intent["OutputCondition"] = pydyf.String(CONDITION_WORDS)
        intent["Info"] = pydyf.String(CONDITION_WORDS)
    srgb = pydyf.Stream([ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()],
                        pydyf.Dictionary({"N": 3, "Alternate": "/DeviceRGB"}))
    pdf.add_object(srgb)
    rgb = pydyf.Array(("/ICCBased", srgb.reference))
    for item in list(pdf.objects):
        entries = item.extra if isinstance(item, pydyf.Stream) else item if isinstance(item, dict) else None
        if entries is None:
            continue
        if entries.get("Type") == "/Page":
            entries.pop("Annots", None)
        if entries.get("ColorSpace") == "/DeviceRGB":  # an image or a shading in RGB: sRGB
            entries["ColorSpace"] = rgb
        if "Resources" in entries:  # what paints in DeviceRGB ("rg", inline images) there paints in sRGB
            resources = _resolved(pdf, entries["Resources"])
            spaces = _resolved(pdf, resources.setdefault("ColorSpace", pydyf.Dictionary()))
            spaces["DefaultRGB"] = rgb


def _resolved(pdf: pydyf.PDF, value: object) -> object:
    number = reference_number(value)
    return pdf.objects[number] if number is not None else value


def _fixed_document_id(pdf: pydyf.PDF, identifier: str) -> None:
    """WeasyPrint's PDF/X XMP names the file with a random UUID: one made from the numéro's name instead."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    metadata = pdf.objects[reference_number(reference)]
    fixed = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, 'dossier:' + identifier)}".encode()
    metadata.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", fixed, part) if isinstance(part, bytes) else part
                       for part in metadata.stream]
