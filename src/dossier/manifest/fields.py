"""The manifest's field types: validators that check and typeset a value, with the JSON Schema editors see.

Text fields get French spacing as they are validated, so every later stage (HTML, PDF,
mail) sees typeset text. Image paths are checked against the files on disk through the
validation context (``base``: the manifest's folder, ``root``: the project folder) and
come out project-relative.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema

from ..i18n import N_, _, translation
from .images import image_problem
from .titles import field_title
from .typography import markdown_links, typeset

# Dates a numéro or an article can plausibly have (PDF/A cannot write year 0, for one).
FIRST_YEAR, LAST_YEAR = 1900, 2200
# A numéro's number: issues/NN/ and the PDF's name are made from it.
MAX_NUMBER = 9999
NumeroNumber = Annotated[
    int, Field(strict=True, ge=1, le=MAX_NUMBER), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_NUMBER})
]

# What "dossier new" writes where the editor must write, in the publication's language ("À compléter");
# "dossier check" reports what is left of it.
PLACEHOLDER = N_("To be completed")


def placeholder(language: str) -> str:
    """The placeholder in ``language`` (a publication's)."""
    return translation(language).gettext(PLACEHOLDER)


IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".svg", ".webp", ".gif"}
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _text(value: str, info: ValidationInfo) -> str:
    if not value.strip():
        raise ValueError(_("must not be empty"))
    return typeset(" ".join(value.split()), _language(info))


def _language(info: ValidationInfo) -> str:
    """The language of the entry being validated: its ``lang`` (declared first, so known here), else French."""
    return (info.data or {}).get("lang") or "fr"


def _lang(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value.strip()):
        raise ValueError(_("'{value}' is not a language tag: write e.g. en, fr, de or en-GB").format(value=value))
    return value.strip()


# What an address must start with; the JSON Schema uses it too, so editors flag the same addresses.
URL_START = r"^(https?://[^/\s]+\.[^/\s]+|mailto:[^@\s]+@[^@\s]+\.\w+)"


def _url(value: str) -> str:
    value = value.strip()
    if value in {"#", ""} or value.startswith("#"):
        raise ValueError(_("'{value}' is a placeholder, not an address: leave the url out until it is known").format(
            value=value))
    if re.search(r"\s", value):
        raise ValueError(_("'{value}' contains a space: write the address without spaces").format(value=value))
    if not re.match(URL_START, value):
        raise ValueError(_("'{value}' is not a web address: write it in full, starting with https://").format(value=value))
    return value


def _markdown(value: str) -> str:
    for target in markdown_links(value):
        try:
            _url(target)
        except ValueError as exc:
            raise ValueError(_("link {problem}").format(problem=exc)) from None
    if not value.strip():
        raise ValueError(_("must not be empty"))
    return value.strip()


def _image(value: str, info: ValidationInfo) -> str:
    context = info.context or {}
    base, root = context.get("base"), context.get("root")
    if Path(value).suffix.lower() not in IMAGE_SUFFIXES:
        raise ValueError(_("'{value}' is not an image: use a .jpg, .png, .svg or .webp file").format(value=value))
    if base is None or root is None:
        return value
    path = (Path(base) / value).resolve()
    if not path.is_relative_to(Path(root).resolve()):
        raise ValueError(_("'{value}' is outside the project folder: copy the image into the numéro's folder").format(
            value=value))
    if not path.is_file():
        raise ValueError(_("image '{value}' not found: put the file beside the manifest or correct the name").format(
            value=value))
    if problem := image_problem(path):
        raise ValueError(_("image '{value}' {problem}").format(value=value, problem=problem))
    return path.relative_to(Path(root).resolve()).as_posix()


def _colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(_("'{value}' is not a colour: write it as #RRGGBB in quotes, e.g. `colour: \"#1b4f72\"`").format(
            value=value))
    return value.lower()


def _as_str(value: Any) -> Any:
    # YAML reads 2020 or 3.0 as numbers; a text field takes them as written.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


# The JSON Schema of each type, as an editor sees the YAML: plain strings with the patterns the validators check;
# "x-widget" (an annotation text editors ignore) tells the editing view which control a field gets.
_TEXT_SCHEMA = {"type": "string", "minLength": 1}
_IMAGE_PATTERN = r"\.(" + "|".join(
    "".join(f"[{c}{c.upper()}]" for c in suffix[1:]) for suffix in sorted(IMAGE_SUFFIXES)
) + ")$"  # no inline (?i) in JSON Schema's regex dialect
_DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"

_LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

Text = Annotated[str, BeforeValidator(_as_str), AfterValidator(_text), WithJsonSchema(_TEXT_SCHEMA)]
Markdown = Annotated[str, BeforeValidator(_as_str), AfterValidator(_markdown),
                     WithJsonSchema({**_TEXT_SCHEMA, "x-widget": "markdown"})]
Url = Annotated[str, AfterValidator(_url), WithJsonSchema({"type": "string", "pattern": URL_START + r"\S*$"})]
ImagePath = Annotated[str, AfterValidator(_image),
                      WithJsonSchema({"type": "string", "pattern": _IMAGE_PATTERN, "x-widget": "image"})]
Lang = Annotated[
    str,
    AfterValidator(_lang),
    WithJsonSchema({"type": "string", "pattern": _LANG_PATTERN,
                    "description": N_("The language of this entry when it is not French (a BCP 47 tag: en, de, en-GB…): "
                                      "its typography and hyphenation follow it.")}),
]
# The publication's language: a tag like Lang's, without Lang's description (which is about entries).
LanguageTag = Annotated[str, AfterValidator(_lang), WithJsonSchema({"type": "string", "pattern": _LANG_PATTERN})]
Colour = Annotated[str, AfterValidator(_colour),
                   WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "x-widget": "colour"})]


def _site_url(value: str) -> str:
    value = _url(value)
    if not value.startswith("https://") or "?" in value or "#" in value.split("//", 1)[1]:
        raise ValueError(_("'{value}' is not a site's address: write the folder's https:// address, "
                           "e.g. https://example.org/dossiers/").format(value=value))
    # The site's folder: numéros are at site_url + "03/", so it ends with a slash.
    return value if value.endswith("/") else value + "/"


SiteUrl = Annotated[str, AfterValidator(_site_url), WithJsonSchema({"type": "string", "pattern": r"^https://\S*$"})]


class Month(BaseModel):
    """A month without a day (``2020-04``)."""

    model_config = ConfigDict(frozen=True)
    year: int
    month: int

    def french(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


def _issue_date(value: Any) -> Any:
    date = _parse_date(value)
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(_("'{value}': the year {year} is not plausible: write a year from {first} to {last}").format(
            value=value, year=date.year, first=FIRST_YEAR, last=LAST_YEAR))
    return date


def _parse_date(value: Any) -> dt.date | Month:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date | Month):
        return value
    if isinstance(value, str):
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value.strip()):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12:
                return Month(year=year, month=month)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
    raise ValueError(_("'{value}' is not a date: write YYYY-MM-DD (2020-04-03) or YYYY-MM (2020-04)").format(value=value))


def _article_date(value: Any, info: ValidationInfo) -> Any:
    try:
        return _issue_date(value)
    except ValueError:
        if isinstance(value, str) and value.strip():
            return typeset(value.strip(), _language(info))  # free text such as "avril 2020"
        raise


IssueDate = Annotated[
    dt.date | Month, BeforeValidator(_issue_date),
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN, "x-widget": "date"})
]
ArticleDate = Annotated[dt.date | Month | str, BeforeValidator(_article_date), WithJsonSchema(_TEXT_SCHEMA)]


def french_date(value: dt.date | Month | str | None) -> str:
    """3 avril 2020, avril 2020, or free text as written."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day}\u00a0{MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, Month):
        return value.french()
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, field_title_generator=field_title)
