"""Every word the tool says, in its user's language: gettext with one domain, ``dossier``.

Invariants:
- Source strings are English, written in the code as ``_("…")``, ``ngettext("…", "…", n)``,
  or ``N_("…")`` where a string is only marked here and translated where it is shown
  (``--help`` texts, the schema's descriptions). Placeholders are ``{name}`` (``str.format``).
- The French catalog is ``locale/fr/LC_MESSAGES/dossier.po``; scripts/install compiles it to
  ``dossier.mo`` (never committed). ``scripts/catalog`` extracts new strings and applies French
  typography to the translations.
- A run's language is chosen once, before click parses anything: ``--lang`` > ``DOSSIER_LANG``
  > publication.yaml's ``language:`` > French. Click's own words ("Usage:", "No such command")
  come from the same catalog.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

DOMAIN = "dossier"
LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "en"  # the strings in the code
DEFAULT_LANGUAGE = "fr"  # the Chaire's, when nothing else says
ENVIRONMENT_VARIABLE = "DOSSIER_LANG"

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_language = SOURCE_LANGUAGE
_catalogs: dict[str, gettext.NullTranslations] = {}


def _(message: str) -> str:
    """``message`` in the run's language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` things, in the run's language (French: 0 and 1 are singular)."""
    return _current.ngettext(singular, plural, n)


def decimal(value: float, digits: int | None = 1) -> str:
    """A number with ``digits`` decimals (None: as few as needed), the language's way: 2.3 in English, 2,3 in French."""
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", decimal_separator())


def decimal_separator() -> str:
    return _current.pgettext("decimal separator", ".")


def integer(value: int) -> str:
    """A whole number with its thousands grouped the language's way: 20,000 in English, 20 000 in French."""
    return f"{value:,}".replace(",", _current.pgettext("thousands separator", ","))


# A moment as each language writes it: « 3 décembre 2026 à 07 h 56 », "3 December 2026 at 07:56".
_MOMENT_PATTERNS = {"fr": "d MMMM y 'à' HH 'h' mm", "en": "d MMMM y 'at' HH:mm"}


def moment(when: str | dt.datetime) -> str:
    """A recorded time (UTC, ISO 8601 as the ledger keeps it) in this machine's local time, the language's way.

    Text that is not a time (a record written by hand) is shown as it is.
    """
    if isinstance(when, str):
        try:
            when = dt.datetime.fromisoformat(when.strip().replace("Z", "+00:00"))
        except ValueError:
            return when
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    from babel.dates import format_datetime

    language = _current_language if _current_language in _MOMENT_PATTERNS else SOURCE_LANGUAGE
    local = when.astimezone().replace(tzinfo=None)
    return format_datetime(local, _MOMENT_PATTERNS[language], locale=language)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message`` for the catalog only: it is translated where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - like N_
    """Mark a message with a plural for the catalog only."""
    return singular, plural


def available_languages() -> list[str]:
    """English (the source) and every language with a catalog."""
    found = {path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {SOURCE_LANGUAGE})


def normalise(language: str) -> str:
    """A language as the catalogs name it: ``fr_FR.UTF-8``, ``fr-CA``, ``FR`` → ``fr``."""
    return re.split(r"[-_.@]", language.strip(), maxsplit=1)[0].lower()


def translation(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` (English, or a language without catalog: the source strings)."""
    language = normalise(language)
    if language not in _catalogs:
        if language == SOURCE_LANGUAGE:
            _catalogs[language] = gettext.NullTranslations()
        else:
            _catalogs[language] = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
            if language in available_languages() and type(_catalogs[language]) is gettext.NullTranslations:
                raise RuntimeError(f"{LOCALE_DIR}/{language}: the catalog is not compiled: run scripts/install")
    return _catalogs[language]


def use(language: str) -> None:
    """Speak ``language`` from now on, in this process (click's messages too, once ``cli.words`` has wired them)."""
    global _current, _current_language
    _current, _current_language = translation(language), normalise(language)


def current_language() -> str:
    return _current_language


def choose_language(args: Sequence[str], environ: Mapping[str, str] | None = None, start: Path | None = None) -> str:
    """The run's language: ``--lang`` in ``args`` > DOSSIER_LANG > publication.yaml's ``language:`` > French.

    Read before click parses the command line, so that its errors and ``--help`` are translated too.
    """
    environ = os.environ if environ is None else environ
    for found in (_lang_argument(args), environ.get(ENVIRONMENT_VARIABLE), publication_language(start)):
        if found and found.strip():
            return normalise(found)
    return DEFAULT_LANGUAGE


def _lang_argument(args: Sequence[str]) -> str | None:
    """The value of the group's ``--lang`` (before the command's name), if given."""
    args = list(args)
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            return None  # the command's name: options after it are the command's
    return None


_LANGUAGE_LINE = re.compile(r"^language:[ \t]*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)[\"']?[ \t]*(?:#.*)?$", re.M)


def publication_language(start: Path | None = None) -> str | None:
    """publication.yaml's top-level ``language:``, read without parsing YAML (start-up stays fast).

    The model validates the same field when the file is loaded; this only picks the language early.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        path = folder / "publication.yaml"
        if path.is_file():
            try:
                found = _LANGUAGE_LINE.search(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                return None  # the load says what is wrong with the file
            return found[1] if found else None
    return None
