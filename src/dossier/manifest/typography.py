"""French typography and the restricted Markdown of manifest text fields."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"

# A high punctuation sign that ends a phrase: "word ;", "word:", "word ?" but not
# "https://", "10:30" or "?q=1" (those are followed by a non-space).
_BEFORE_HIGH_PUNCT = re.compile(r"(?<=\S)[ \u00a0\u202f]?([;:!?]+)(?=\s|$|[»)\]\"'’.,])")
_AFTER_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")
# A number and the unit or word that belongs with it: "200 kms", "4 missions", "29 avril".
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=(?:%|€|kms?|km|mois|ans?|semaines?|salariés|jours?)\b|%)")
# Groups of digits that belong together: "+33(0)4 13 94 21 73", "80 000".
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d)")
# A dash between words ("Banco Ciudad - Buenos Aires") must not start a line.
_SPACED_DASH = re.compile(r" ([-–—]) ")


def french(text: str) -> str:
    """Apply French spacing rules to plain text (not to URLs)."""
    if not text:
        return text
    text = _BEFORE_HIGH_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
    text = _AFTER_OPEN_GUILLEMET.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE_GUILLEMET.sub(NNBSP + "»", text)
    text = _NUMBER_SPACE.sub(NBSP, text)
    text = _DIGIT_GROUPS.sub(NBSP, text)
    text = _SPACED_DASH.sub(NBSP + r"\1 ", text)
    return text


def _french_text_rule(state) -> None:  # noqa: ANN001 - markdown-it core rule
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text":
                    child.content = french(child.content)


def _markdown() -> MarkdownIt:
    # "zero" enables nothing but paragraphs; we allow emphasis, bold and links only.
    # html=False: raw HTML in a manifest is shown as text, never injected.
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape", "newline", "backticks"])
    md.core.ruler.push("french_typography", _french_text_rule)
    return md


MARKDOWN = _markdown()


def markdown_links(source: str) -> list[str]:
    """The link targets written in a Markdown text, in order."""
    targets = []
    for token in MARKDOWN.parse(source):
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(str(child.attrs.get("href", "")))
    return targets


def render_markdown(source: str) -> Markup:
    """Markdown (emphasis, bold, links) to safe HTML with French spacing."""
    return Markup(MARKDOWN.render(source or "").strip())


def render_markdown_inline(source: str) -> Markup:
    """Like render_markdown, without the enclosing paragraph: for one-line fields."""
    return Markup(MARKDOWN.renderInline(source or "").strip())


def plain_text(source: str) -> str:
    """Markdown as plain text with French spacing: link texts kept, their addresses and the markup dropped."""
    words = []
    for token in MARKDOWN.parse(source or ""):
        if token.type == "paragraph_close":
            words.append("\n\n")
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                words.append(french(child.content))
            elif child.type in {"softbreak", "hardbreak"}:
                words.append(" ")
    return "".join(words).strip()
