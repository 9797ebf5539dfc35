"""Typography by language, and the restricted Markdown of manifest text fields.

French text (the default) gets French rules: narrow no-break spaces before ; : ! ? and
inside « », typographic apostrophes, « » for straight double quotes, ordinals and
centuries in superscript (7ᵉ, XXIᵉ), an en dash for a hyphen typed between spaces
(« TPE – PME »), and no line break inside "n° 3", "20 avril 2020" or between a number and
its unit. English text gets curly quotes and apostrophes and no added spaces; other
languages are left as written. The manifest is never rewritten: these rules apply to the
text as it is printed (and copied from the PDF).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"

# A high punctuation sign that ends a phrase: "word ;", "word:", "word ?" but not
# "https://", "10:30" or "?q=1" (those are followed by a non-space).
_BEFORE_HIGH_PUNCT = re.compile(r"(?:(?<=\S)|^)[ \u00a0\u202f]?([;:!?]+)(?=\s|$|[»)\]\"'’.,])")
_AFTER_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")
# A number and the unit or word that belongs with it: "200 kms", "4 missions", "29 avril".
_NUMBER_SPACE = re.compile(
    r"(?<=\d) (?=(?:%|€|M€|k€|kms?|km|m|m²|kg|t|h|min|mois|ans?|semaines?|salariés|jours?|heures?|"
    r"habitants|millions?|milliards?|personnes|entreprises|communes)(?!\w)|%)"
)
# Groups of digits that belong together: "+33(0)4 13 94 21 73", "80 000".
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d)")
# A dash between words ("Banco Ciudad - Buenos Aires", "TPE - PME", "… - 20 avril 2020") must not start a
# line; a hyphen typed for it is the en dash French typography sets there.
_SPACED_DASH = re.compile(r" ([-–—]) ")
_DASHES = {"-": "–"}


# An apostrophe between letters (l'économie, d'où, don't); not a quote mark around a word.
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# Straight double quotes in pairs, on one line.
_DOUBLE_QUOTES = re.compile(r'"([^"\n]+)"')
# Ordinals: 7e, 2ème, 1er, 1re, 7es; centuries in Roman numerals up to XXXIX (not L, C: "Le", "Ce").
_ORDINAL = re.compile(r"\b(\d+)(e|è|ème|eme|er|re|es|èmes)\b")
_ORDINAL_MARKS = {"e": "ᵉ", "è": "ᵉ", "ème": "ᵉ", "eme": "ᵉ", "er": "ᵉʳ", "re": "ʳᵉ", "es": "ᵉˢ", "èmes": "ᵉˢ"}
_CENTURY = re.compile(r"\b(X{0,3}(?:IX|IV|V?I{0,3}))(e|ème)\b")
_NUMERO = re.compile(r"\b([nN]°) (?=\d)")
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# "20 avril 2020", "1er mai", "avril 2020": one unit on a line.
_DATE = re.compile(rf"\b(?:(\d{{1,2}}|1ᵉʳ) )?({_MONTHS})(?: (\d{{4}}))?\b")


def typeset(text: str, lang: str = "fr") -> str:
    """``text`` with the typography of its language (a BCP 47 tag: fr, fr-CA, en-GB…)."""
    language = lang.lower().split("-")[0]
    if language == "fr":
        return french(text)
    if language == "en":
        return english(text)
    return text


def english(text: str) -> str:
    """Curly quotes and apostrophes; no spaces added before punctuation."""
    text = _APOSTROPHE.sub("’", text)
    return _DOUBLE_QUOTES.sub(lambda m: f"“{m[1]}”", text)


def french(text: str) -> str:
    """Apply French typography to plain text (not to URLs)."""
    if not text:
        return text
    if "://" not in text:  # an address written in a text field keeps its characters
        text = _APOSTROPHE.sub("’", text)
        text = _DOUBLE_QUOTES.sub(lambda m: f"«{m[1].strip()}»", text)
    text = _ORDINAL.sub(lambda m: m[1] + _ORDINAL_MARKS[m[2]], text)
    text = _CENTURY.sub(lambda m: m[1] + "ᵉ" if m[1] else m[0], text)
    text = _NUMERO.sub(lambda m: m[1] + NBSP, text)
    text = _DATE.sub(lambda m: NBSP.join(part for part in m.groups() if part), text)
    text = _BEFORE_HIGH_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
    text = _AFTER_OPEN_GUILLEMET.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE_GUILLEMET.sub(NNBSP + "»", text)
    text = _NUMBER_SPACE.sub(NBSP, text)
    text = _DIGIT_GROUPS.sub(NBSP, text)
    text = _SPACED_DASH.sub(lambda m: NBSP + _DASHES.get(m[1], m[1]) + " ", text)
    return text


def _typography_rule(state) -> None:  # noqa: ANN001 - markdown-it core rule
    lang = state.env.get("lang") or "fr"
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text":
                    child.content = typeset(child.content, lang)


def _markdown() -> MarkdownIt:
    # "zero" enables nothing but paragraphs; we allow emphasis, bold and links only.
    # html=False: raw HTML in a manifest is shown as text, never injected.
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape", "newline", "backticks"])
    md.core.ruler.push("typography", _typography_rule)
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


def render_markdown(source: str, lang: str | None = None) -> Markup:
    """Markdown (emphasis, bold, links) to safe HTML with the typography of ``lang`` (French by default)."""
    return Markup(MARKDOWN.render(source or "", {"lang": lang or "fr"}).strip())


def render_markdown_inline(source: str, lang: str | None = None) -> Markup:
    """Like render_markdown, without the enclosing paragraph: for one-line fields."""
    return Markup(MARKDOWN.renderInline(source or "", {"lang": lang or "fr"}).strip())


def plain_text(source: str, lang: str | None = None) -> str:
    """Markdown as plain text with the typography of ``lang``: link texts kept, their addresses and the markup dropped."""
    words = []
    for token in MARKDOWN.parse(source or ""):
        if token.type == "paragraph_close":
            words.append("\n\n")
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                words.append(typeset(child.content, lang or "fr"))
            elif child.type in {"softbreak", "hardbreak"}:
                words.append(" ")
    return "".join(words).strip()


# What a message keeps as written: placeholders ({file}, %(name)s), `code`, addresses, paths,
# options, and a leading location ("{file}:", "styles/:") that reads like the file:line of errors.
_VERBATIM = re.compile(
    r"^(?:\{[^{}]*\}|[\w.-]*/[\w./-]*)(?::\d+)?:(?=\s)"
    r"|\{[^{}]*\}|%\(\w+\)[sd]|`[^`]*`|\S*://\S*|mailto:\S*|[\w.-]*/[\w./…-]*|--[\w-]+"
)
_TOKEN = 0xE000  # private-use characters stand for the verbatim parts while the rules run


def french_message(text: str) -> str:
    """A translated message with French typography (« », ’, narrow no-break spaces), its code left alone."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return chr(_TOKEN + len(kept) - 1)

    text = french(_VERBATIM.sub(keep, text))
    text = re.sub(rf"(?<=\w)'(?=[{chr(_TOKEN)}-{chr(_TOKEN + 0xFF)}])", "’", text)  # l'{value}
    return re.sub(rf"[{chr(_TOKEN)}-{chr(_TOKEN + 0xFF)}]", lambda m: kept[ord(m[0]) - _TOKEN], text)
