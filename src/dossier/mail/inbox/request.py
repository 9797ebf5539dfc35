"""Whether a partner's own words ask to be unsubscribed: surely, perhaps (a person decides), or not at all.

The text read is the subject and the first text part, split into the writer's own lines
and the quoted ones ("> …", after "… a écrit :", Outlook's "De : … Envoyé :" block, our own
footer copied without quote marks). A sentence that asks (désabonnez-moi, me désinscrire,
ne plus recevoir, unsubscribe…) makes a sure request only when nothing in that sentence
makes it doubtful:

- a negation (« Surtout ne me désabonnez pas », « ne pas me désinscrire », "don't");
- a question or a condition (« Comment me désinscrire ? », « si… »);
- someone else (another address, a colleague), a past event or a mistake (« désinscrit
  par erreur »), a resubscription.

The words are compared without accents or case. Anything doubtful is "unsure" with its
reasons: a person reads it (the review list). Matching is on words, never on meaning:
the rule errs towards asking a person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ...i18n import N_, _, translation

ASKS = re.compile(
    r"\bdes-?abonn|\bdes-?inscri|\bunsubscrib|\bopt[ -]?out\b|\bne (?:\w+ )?plus (?:\w+ )?recevoir|"
    r"\bno longer (?:\w+ )?(?:wish|want|like) to receive|\bremove me\b|\bretire[rz]?[- ]moi|\bsupprime[rz]?[- ]moi|"
    r"\b(?:retire[rz]?|supprime[rz]?|enleve[rz]?) (?:mon adresse|mon nom|de (?:la|votre|vos) liste)|^stop$")
DOUBTS = (
    (re.compile(r"\bpas\b|\bjamais\b|\bnon\b|\bsurtout\b|\bplutot que\b|\bsans\b|\bnot\b|n't\b|\bnever\b"),
     N_("a negation")),
    (re.compile(r"\bne\b|\bn'"), None),  # "ne … plus recevoir" asks; "ne … pas" is checked above
    (re.compile(r"\?|^(?:comment|pourquoi|est-ce|puis-je|peut-on|faut-il|dois-je|how|why|can i|should i|may i)\b"),
     N_("a question")),
    (re.compile(r"\bsi\b|\bsinon\b|\bif\b|\bunless\b|\bwhether\b|\bau cas\b|\bin case\b"), N_("a condition")),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\bcollegue|\bcolleague|\bde la part\b|\bon behalf\b|\bmon assistant"),
     N_("someone else")),
    (re.compile(r"\berreur\b|\bmistake\b|\bby error\b|\breinscri|\breabonn|\bresubscrib|\bdeja\b|\balready\b|"
                r"\bdesabonnee?s?\b(?![- ]moi)|\bdesinscrite?s?\b|\bunsubscribed\b"), N_("a past event or a mistake")),
)
QUOTE_START = re.compile(
    r"(a ecrit|wrote|schrieb)\s*:?\s*$|^-{2,} ?(original message|message d'origine|forwarded message|message transfere)"
    r"|^_{10,}$|^(de|from) ?: .*@|^(envoye|sent) ?: ", re.IGNORECASE)
SUBJECT_PREFIX = re.compile(r"^((re|tr|fw|fwd|aw|wg|rep)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n")
FOOTER_MESSAGE = N_("To stop receiving these dossiers, write to")


@dataclass(frozen=True)
class Reading:
    kind: str  # "request" (sure), "unsure", or "none"
    why: str = ""  # for "unsure": what makes it so
    said: str = ""  # the sentence that asks, as written (for the report)


def footers(languages: tuple[str, ...] = ("fr", "en")) -> tuple[str, ...]:
    """Our newsletter footer's words in each language, as compared (no accents, lower case)."""
    return tuple(plain(translation(language).gettext(FOOTER_MESSAGE)) for language in languages)


def read_request(subject: str, body: str, our_footers: tuple[str, ...]) -> Reading:
    own, quoted = _split(body, our_footers)
    sentences = [SUBJECT_PREFIX.sub("", subject).strip()] + [s for line in own for s in SENTENCE_END.split(line)]
    asking = [(s, plain(s)) for s in sentences if s.strip() and ASKS.search(plain(s))]
    if not asking:
        if any(ASKS.search(plain(line)) for line in quoted):
            return Reading("unsure", _("the words about unsubscribing are only in quoted text (our footer, or a message "
                                       "answered)"))
        return Reading("none")
    doubts = []
    for _sentence, words in asking:
        for pattern, label in DOUBTS:
            if label is None:
                if pattern.search(words) and not re.search(r"\bplus\b", words):
                    doubts.append(_("a negation"))
            elif pattern.search(words):
                doubts.append(_(label))
    said = asking[0][0].strip()
    if doubts:
        return Reading("unsure", _('{doubts} in "{said}"').format(doubts=", ".join(dict.fromkeys(doubts)),
                                                                   said=_shorten(said)), said)
    return Reading("request", "", said)


def _split(body: str, our_footers: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The writer's own lines, and the quoted ones (everything from the first quotation on)."""
    own: list[str] = []
    lines = body.splitlines()
    for index, line in enumerate(lines):
        words = plain(line)
        if QUOTE_START.search(words) or any(footer and footer in words for footer in our_footers):
            return own, lines[index:]
        if line.lstrip().startswith(">"):
            return own, lines[index:]
        own.append(line)
    return own, []


def plain(text: str) -> str:
    """Text as compared: no accents, lower case, apostrophes and spaces made plain."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'").replace("œ", "oe"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _shorten(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
