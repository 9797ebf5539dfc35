"""The partner list: who receives a numéro, read from a spreadsheet (.xlsx, .ods, .csv) or a YAML list.

Every problem (bad address, duplicate, malformed row) is reported with its line (a workbook's:
its sheet and cell), all at once, before anything is sent. Columns are known by their French
or English headers (COLUMN_HEADERS); every column is also kept under its own header's name
(« Ville » → ``partner.ville``) for the templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DossierError, Problem
from ..i18n import _
from ..manifest.model import email_address
from ..tables import TABLE_SUFFIXES, Table, match_columns, read_table

# The columns a greeting or a template may use, each with the headers an office's list gives it
# (French or English; matched without case, accents or spacing: tables.header_key).
COLUMN_HEADERS = {
    "email": ("e-mail", "mail", "courriel", "adresse e-mail", "adresse email", "adresse mail", "adresse courriel",
              "adresse électronique", "adresse de courriel", "mél", "email address", "e-mail address"),
    "first_name": ("prénom", "first name", "firstname", "given name"),
    "last_name": ("nom de famille", "last name", "lastname", "surname", "family name"),
    "name": ("nom complet", "nom et prénom", "prénom et nom", "prénom nom", "nom prénom", "full name", "contact"),
    "title": ("civilité", "civ", "salutation", "titre de civilité"),
    "organisation": ("organization", "structure", "organisme", "établissement", "entreprise", "société",
                     "collectivité", "institution", "company"),
}
# Columns every partner has, empty when the list has no such column, so that
# templates may test {% if partner.name %} without a strict-undefined error.
STANDARD_COLUMNS = ("name", "first_name", "last_name", "title", "organisation")
# How a civilité is written out in a greeting: « Mme » → « Madame, ».
TITLES = {"mme": "Madame", "madame": "Madame", "mlle": "Madame", "mademoiselle": "Madame",
          "m": "Monsieur", "mr": "Monsieur", "monsieur": "Monsieur"}


class PartnerListError(DossierError):
    """Every problem found in a partner list, one ``file:line: field: message`` per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, len(p.column), p.column, p.field, p.message))
        super().__init__("\n".join([*(str(p) for p in self.problems), _("nothing was sent: correct the list and run again")]))


@dataclass(frozen=True)
class Partner:
    """One recipient: the address and every column of its row (``partner.name`` in templates)."""

    email: str
    line: int
    fields: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        """The address as the ledger compares it: case-insensitively."""
        return self.email.lower()

    def __getattr__(self, name: str) -> str:
        # Templates write partner.organisation; unknown columns stay undefined (an error).
        if name.startswith("_") or name == "fields":
            raise AttributeError(name)
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> str:
        return self.fields[name]


@dataclass(frozen=True)
class PartnerList:
    path: Path
    shown: str  # the file as the user names it in messages
    columns: tuple[str, ...]
    partners: tuple[Partner, ...]
    read_as: str = ""  # how a spreadsheet was read, for the summary: its sheet, or its CSV encoding and separator

    def __iter__(self) -> Iterator[Partner]:
        return iter(self.partners)

    def __len__(self) -> int:
        return len(self.partners)


def column_name(header: str) -> str:
    """A header as templates name it: 'Organisation' → organisation, 'Nom complet' → nom_complet, 'Courriel' → email."""
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return "email" if match_columns([header], {"email": COLUMN_HEADERS["email"]}) else name


def load_partners(path: Path, shown: str | None = None) -> PartnerList:
    """Read a .xlsx, .ods, .csv or .yaml partner list; raise PartnerListError listing every problem."""
    shown = shown or str(path)
    suffix = path.suffix.lower()
    if suffix not in {*TABLE_SUFFIXES, ".yaml", ".yml"}:
        raise DossierError(_("{file}: not a partner list: give a spreadsheet (.xlsx, .ods or .csv, a header row) "
                             "or a .yaml list").format(file=shown))
    problems: list[Problem] = []
    if suffix in TABLE_SUFFIXES:
        table = read_table(path, shown)
        problems += table.problems
        columns, rows = _table_rows(table, problems)
        return _validate(path, shown, columns, rows, problems, table)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DossierError(_("{where}: not UTF-8 text: save the list again in UTF-8").format(where=f"{shown}:{line}")) \
            from None
    columns, rows = _yaml_rows(text, shown, problems)
    return _validate(path, shown, columns, rows, problems, None)


Row = tuple[int, dict[str, str], "Located"]
Located = dict[str, int]  # field → its column (from 0), to locate a cell in a workbook


def _table_rows(table: Table, problems: list[Problem]) -> tuple[tuple[str, ...], list[Row]]:
    if not table.header:
        raise PartnerListError([table.problem(1, None, "", _("the list is empty: write a header row with an email column"))])
    matched = match_columns(table.header, COLUMN_HEADERS)
    if "name" not in matched.values() and "first_name" not in matched.values():
        # « Nom » alone is the whole name; beside « Prénom » it is the family name.
        matched |= match_columns(table.header, {"name": ("nom", "nom et prénom")})
    else:
        matched |= {i: f for i, f in match_columns(table.header, {"last_name": ("nom",)}).items() if i not in matched}
    raw = {index: column_name(text) for index, text in enumerate(table.header) if text}
    if "email" not in matched.values():
        found = ", ".join(h for h in table.header if h) or _("nothing")
        raise PartnerListError([table.problem(table.header_line, None, "", _(
            "no column of addresses (the header has {found}): name it « Adresse e-mail », « Courriel » or « email »")
            .format(found=found))])
    for name in sorted(set(matched.values())):
        given = [i for i, f in matched.items() if f == name]
        if len(given) > 1:
            problems.append(table.problem(table.header_line, given[1], name, _(
                "column given twice («\u202f{first}\u202f» and «\u202f{second}\u202f»): rename or delete one").format(
                first=table.header[given[0]], second=table.header[given[1]])))
    rows: list[Row] = []
    for row in table.rows:
        values: dict[str, str] = {}
        located: Located = {}
        for index, cell in enumerate(row.cells):
            for key in dict.fromkeys((raw.get(index), matched.get(index))):
                if key and key not in values:
                    values[key], located[key] = cell, index
        rows.append((row.line, values, located))
    columns = tuple(dict.fromkeys([*raw.values(), *matched.values()]))
    return columns, rows


def _yaml_rows(text: str, shown: str, problems: list[Problem]) -> tuple[tuple[str, ...], list[Row]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PartnerListError(
            [Problem(shown, mark.line + 1 if mark else 0, "", _("YAML syntax error: {what}").format(
                what=exc.problem or exc.context))]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, BEL…), known by its position
        line = text.count("\n", 0, exc.position) + 1
        message = _("invisible control character U+{code:04X} in the text: delete it").format(code=exc.character)
        raise PartnerListError([Problem(shown, line, "", message)]) from None
    if not isinstance(node, yaml.SequenceNode):
        line = node.start_mark.line + 1 if node else 1
        raise PartnerListError([Problem(shown, line, "", _("expected a list of partners (lines starting with '- ')"))])
    rows: list[Row] = []
    columns: dict[str, None] = {"email": None}
    for item in node.value:
        line = item.start_mark.line + 1
        if isinstance(item, yaml.ScalarNode):  # "- name@example.org"
            rows.append((line, {"email": str(item.value)}, {}))
            continue
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(shown, line, "", _("expected a partner: an address, or fields such as email: and name:")))
            continue
        values: dict[str, str] = {}
        reported = len(problems)
        for key_node, value_node in item.value:
            key = column_name(str(key_node.value))
            if not isinstance(value_node, yaml.ScalarNode):
                problems.append(Problem(shown, key_node.start_mark.line + 1, key, _("expected text, not a list or mapping")))
                continue
            if key in values:
                problems.append(Problem(shown, key_node.start_mark.line + 1, key, _("given twice: keep one")))
                continue
            values[key] = _scalar_text(value_node)
            columns.setdefault(key, None)
        if len(problems) > reported:
            continue
        if "email" not in values:
            problems.append(Problem(shown, line, "email", _("missing: every partner needs an address")))
            continue
        rows.append((line, values, {}))
    return tuple(columns), rows


def _scalar_text(node: yaml.ScalarNode) -> str:
    # As written: a phone number 0612… keeps its zero; an empty value (null) is empty text.
    return "" if node.tag == "tag:yaml.org,2002:null" else str(node.value).strip()


# A field may reach a header (the name is in To; any column may be in the subject's template)
# and must never add a line to it. A spreadsheet cell may hold line breaks (CR, LF): the
# subject folds them, but the name may not have them; nor may any field hold other controls
# (VT, FF, NEL, U+2028…), which no spreadsheet writes.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\r\n]")


def _header_breaks(values: dict[str, str]) -> str | None:
    """The first column whose value holds a control character (or, for the name, a line break)."""
    for name, value in values.items():
        if _CONTROLS.search(value) or (name == "name" and _LINE_BREAKS.search(value)):
            return name
    return None


def _validate(path: Path, shown: str, columns: tuple[str, ...], rows: list[Row], problems: list[Problem],
              table: Table | None) -> PartnerList:
    def problem(line: int, located: Located, field: str, message: str) -> Problem:
        if table is None:
            return Problem(shown, line, field, message)
        return table.problem(line, located.get(field), field, message)

    first_line: dict[str, int] = {}
    partners: list[Partner] = []
    for line, values, located in rows:
        try:
            address = email_address(values.get("email", ""))
        except ValueError as exc:
            problems.append(problem(line, located, "email", _("{problem}, or delete the row").format(problem=exc)))
            continue
        key = address.lower()
        if key in first_line:
            problems.append(problem(
                line, located, "email", _("'{address}' is already on line {line}: delete one of the two rows").format(
                    address=address, line=first_line[key])
            ))
            continue
        first_line[key] = line
        if broken := _header_breaks(values):
            problems.append(problem(line, located, broken, _("contains a line break or an invisible control character: "
                                                             "keep the field on one line")))
            continue
        fields = {name: "" for name in STANDARD_COLUMNS} | values | {"email": address}
        partners.append(Partner(address, line, _greeting_fields(fields)))
    if problems:
        raise PartnerListError(problems)
    if not partners:
        raise PartnerListError([Problem(table.where if table else shown, 1, "",
                                        _("no partners in the list: add one row per partner"))])
    return PartnerList(path, shown, tuple(dict.fromkeys((*columns, *STANDARD_COLUMNS))), tuple(partners),
                       table.describe() if table else "")


def _greeting_fields(fields: dict[str, str]) -> dict[str, str]:
    """The name from « Prénom » and « Nom » when no column gives it whole; « Mme » written out as « Madame »."""
    if not fields["name"]:
        fields["name"] = " ".join(part for part in (fields["first_name"], fields["last_name"]) if part)
    title = fields["title"]
    fields["title"] = TITLES.get(title.casefold().rstrip(".").strip(), title)
    return fields
