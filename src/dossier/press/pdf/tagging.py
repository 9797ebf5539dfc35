"""What WeasyPrint 70's tags do not say yet, said before the PDF is written.

A finisher (WeasyPrint's public ``write_pdf(finisher=…)`` hook: it gets the PDF's objects before
they are written, so nothing is parsed twice) and one wrapper of the tagging walk:

- **Running headers and footers are artifacts** (PDF/UA-1 7.8). WeasyPrint marks the page
  margins' text as ``/Span`` content whose structure elements it leaves out of the tree
  (Kozea/WeasyPrint#1836): every marked content whose element is not in the tree becomes
  ``/Artifact /Pagination`` and leaves the parent tree.
- **Leaders are artifacts**: the sommaire's dots (CSS ``leader()``) are tagged as text by WeasyPrint,
  one span a dot, which a screen reader reads out and which is painted out of the tags' order (after
  the page number its tags put first). ``language_tags``'s wrapper marks the leader's elements; their
  content becomes ``/Artifact /Layout``, the leader's own link annotation (WeasyPrint gives it one)
  goes to the link it is part of, and the elements left empty leave the tree.
- **Links print** (the Print flag; WeasyPrint sets it for PDF/A only).
- **The archive copy says it is PDF/UA-1 too** (WeasyPrint writes one identification per file).
- **Each embedded file is listed once** in the catalog's ``/AF`` (WeasyPrint's PDF/A-3 adds the
  name tree's file specifications and then every file specification again).
- **Languages** (``language_tags``): an element with a ``lang`` attribute gives its structure
  element ``/Lang``, so a screen reader reads an English title in English; WeasyPrint writes the
  document's language only (in the catalog). This wraps WeasyPrint's private
  ``pdf.tags._build_box_tree``: there is no public way, WeasyPrint is pinned (pyproject.toml),
  and tests/test_pdf_tagging.py fails if the wrapper stops seeing the boxes.

Invariant: no visible mark changes; only tags, flags and the catalog's lists.
"""

from __future__ import annotations

import contextlib
import importlib.resources
from collections.abc import Callable, Iterator

import pydyf
import weasyprint
from weasyprint.pdf import tags as weasyprint_tags

from .typesetting import WRAPPED

_PRINT_FLAG = 4  # annotation flag bit 3
_ROOT_TAGS = {"html", "body"}
_LEADER = "DossierLeader"  # marks a leader's structure elements (removed by the finisher)


def finisher(archive: bool) -> Callable[[weasyprint.Document, pydyf.PDF], None]:
    """WeasyPrint's finisher: artifacts for untagged margins, printable links, one /AF entry per file.

    The ``archive`` copy (PDF/A-3a) also keeps its PDF/UA-1 claim, which WeasyPrint's PDF/A
    variant does not write: the XMP's ``pdfuaid:part``, with the extension schema PDF/A asks for.
    """
    def finish(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
        _finish(pdf)
        if archive:
            _claim_pdf_ua(pdf)
    return finish


def _claim_pdf_ua(pdf: pydyf.PDF) -> None:
    metadata = pdf.objects[reference_number(pdf.catalog["Metadata"])]
    claim = importlib.resources.files(__package__).joinpath("pdfua-identification.xmp").read_bytes()
    xmp = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in metadata.stream)
    metadata.stream = [xmp.replace(b"</rdf:RDF>", claim + b"</rdf:RDF>", 1)]


def _finish(pdf: pydyf.PDF) -> None:
    _margins_as_artifacts(pdf)
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Annot":
            item["F"] = _PRINT_FLAG
    if "AF" in pdf.catalog:
        unique = {reference_number(reference): reference for reference in pdf.catalog["AF"]}
        pdf.catalog["AF"] = pydyf.Array(unique.values())


def reference_number(reference: object) -> int | None:
    """The object number of a ``12 0 R`` reference (pydyf keeps references as bytes or strings)."""
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", "replace")
    if isinstance(reference, str) and reference.endswith(" 0 R"):
        return int(reference.split()[0])
    return None


def _in_tree(pdf: pydyf.PDF) -> set[int]:
    """The numbers of the structure elements reachable from the structure tree's root."""
    root = pdf.objects[reference_number(pdf.catalog["StructTreeRoot"])]
    seen: set[int] = set()
    pending = [reference_number(kid) for kid in root["K"]]
    while pending:
        number = pending.pop()
        if number is None or number in seen:
            continue
        seen.add(number)
        element = pdf.objects[number]
        if isinstance(element, dict) and element.get("Type") == "/StructElem":
            pending.extend(reference_number(kid) for kid in element.get("K", ()))
    return seen


def _margins_as_artifacts(pdf: pydyf.PDF) -> None:
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = pdf.objects[reference_number(pdf.catalog["StructTreeRoot"])]
    parent_tree = pdf.objects[reference_number(root["ParentTree"])]
    nums = parent_tree["Nums"]
    in_tree = _in_tree(pdf)
    pages = len(pdf.page_references)
    for index in range(0, len(nums), 2):
        page, entries = nums[index], nums[index + 1]
        if not isinstance(entries, list) or page >= pages:
            continue  # an annotation's entry, not a page's
        untagged = {mcid: _artifact_type(pdf, reference) for mcid, reference in enumerate(entries)
                     if reference_number(reference) not in in_tree or _artifact_type(pdf, reference) == "/Layout"}
        if not untagged:
            continue
        for mcid in untagged:
            entries[mcid] = "null"  # no structure element: the content is an artifact
        page_object = pdf.objects[reference_number(pdf.page_references[page])]
        _artifact_marks(pdf.objects[reference_number(page_object["Contents"])], untagged)
    _leaders_without_content(pdf, nums)


def _leaders_without_content(pdf: pydyf.PDF, nums: list) -> None:
    """A leader's elements lose their content (now artifacts) and their link annotation to the link they are in."""
    moved: dict[int, object] = {}  # leader element's number → the link's reference
    for number, item in enumerate(pdf.objects):
        if not isinstance(item, dict) or item.pop(_LEADER, None) is None:
            continue
        kids = [kid for kid in item.get("K", ()) if not isinstance(kid, int)]
        parent = pdf.objects[reference_number(item.get("P"))] if reference_number(item.get("P")) else None
        if kids and isinstance(parent, dict) and parent.get("S") == "/Link":
            parent["K"].extend(kids)  # the annotation's OBJR: one link, two annotations
            moved[number] = item["P"]
            kids = []
        item["K"] = pydyf.Array(kids)
    for index in range(1, len(nums), 2):  # the annotations' entries follow them to the link
        if reference_number(nums[index]) in moved:
            nums[index] = moved[reference_number(nums[index])]
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/StructElem" and "K" in item:
            item["K"] = pydyf.Array(kid for kid in item["K"] if not _empty(pdf, kid))


def _empty(pdf: pydyf.PDF, kid: object) -> bool:
    number = reference_number(kid)
    element = pdf.objects[number] if number is not None else None
    return isinstance(element, dict) and element.get("Type") == "/StructElem" and not element.get("K")


def _artifact_type(pdf: pydyf.PDF, reference: object) -> str:
    """A leader's dots are layout; the rest left out of the tree is the margins' running text."""
    number = reference_number(reference)
    element = pdf.objects[number] if number is not None else None
    return "/Layout" if isinstance(element, dict) and _LEADER in element else "/Pagination"


def _artifact_marks(stream: pydyf.Stream, mcids: dict[int, str]) -> None:
    """Turn ``/Tag <</MCID n>> BDC`` into ``/Artifact <</Type /Pagination>> BDC`` (or its type) for the given MCIDs."""
    operations = stream.stream
    for position in range(1, len(operations) - 1):
        properties = operations[position]
        if (isinstance(properties, dict) and properties.get("MCID") in mcids
                and operations[position + 1] == b"BDC"):
            operations[position - 1] = "/Artifact"
            operations[position] = pydyf.Dictionary({"Type": mcids[properties["MCID"]]})


def _mark_leader(pdf: pydyf.PDF, element: pydyf.Dictionary) -> None:
    """Mark a leader's element and the elements under it (their content is what the parent tree maps)."""
    element[_LEADER] = "true"
    for kid in element.get("K", ()):
        number = reference_number(kid)
        if number is not None and isinstance(pdf.objects[number], dict):
            _mark_leader(pdf, pdf.objects[number])


@contextlib.contextmanager
def language_tags() -> Iterator[None]:
    """While the PDF is written, structure elements of elements with ``lang`` get ``/Lang``; leaders leave the tree."""
    def build(box, parent, pdf, *rest):  # noqa: ANN001, ANN202 - WeasyPrint's signature
        if getattr(box, "is_leader", False):  # its content becomes an artifact (see _margins_as_artifacts)
            for element in original(box, parent, pdf, *rest):
                _mark_leader(pdf, element)
                yield element
            return
        for element in original(box, parent, pdf, *rest):
            source = getattr(box, "_box", box)  # an absolutely placed box's placeholder
            lang = source.element.get("lang") if source.element is not None else None
            if lang and source.element_tag not in _ROOT_TAGS and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    with WRAPPED:
        original = weasyprint_tags._build_box_tree
        weasyprint_tags._build_box_tree = build
        try:
            yield
        finally:
            weasyprint_tags._build_box_tree = original
