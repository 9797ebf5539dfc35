"""The partner list: who receives a numéro, read from a spreadsheet's CSV export or a YAML list.

Every problem (bad address, duplicate, malformed row) is reported with its line,
all at once, before anything is sent.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DossierError, Problem
from ..manifest.model import email_address

# Headers a spreadsheet may use for the address column; all mean "email".
EMAIL_COLUMNS = {"email", "e_mail", "mail", "courriel"}
# Columns every partner has, empty when the list has no such column, so that
# templates may test {% if partner.name %} without a strict-undefined error.
STANDARD_COLUMNS = ("name", "organisation")


class PartnerListError(DossierError):
    """Every problem found in a partner list, one ``file:line: field: message`` per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.line, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems) + "\nnothing was sent: correct the list and run again")


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

    def __iter__(self) -> Iterator[Partner]:
        return iter(self.partners)

    def __len__(self) -> int:
        return len(self.partners)


def column_name(header: str) -> str:
    """A header as templates name it: 'Organisation' → organisation, 'Nom complet' → nom_complet."""
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return "email" if name in EMAIL_COLUMNS else name


def load_partners(path: Path, shown: str | None = None) -> PartnerList:
    """Read a .csv (UTF-8, header row) or .yaml partner list; raise PartnerListError listing every problem."""
    shown = shown or str(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".yaml", ".yml"}:
        raise DossierError(f"{shown}: not a partner list: give a .csv file (UTF-8, header row) or a .yaml list")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")  # spreadsheets often add a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DossierError(
            f"{shown}:{line}: not UTF-8 text: export the list again as 'CSV UTF-8' "
            "(in LibreOffice: character set Unicode (UTF-8))"
        ) from None
    problems: list[Problem] = []
    columns, rows = _csv_rows(text, shown, problems) if suffix == ".csv" else _yaml_rows(text, shown, problems)
    return _validate(path, shown, columns, rows, problems)


Row = tuple[int, dict[str, str]]


def _csv_rows(text: str, shown: str, problems: list[Problem]) -> tuple[tuple[str, ...], list[Row]]:
    first_line = text.split("\n", 1)[0]
    # French spreadsheets export with ';'; a header has no quotes worth sniffing.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise PartnerListError([Problem(shown, 1, "", "the list is empty: write a header row with an email column")]) from None
    columns = [column_name(h) for h in header]
    named = [c for c in columns if c]
    if "email" not in named:
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise PartnerListError([
            Problem(shown, 1, "", f"no 'email' column (the header has {found}): name the column of addresses 'email'")
        ])
    for name in sorted({c for c in named if named.count(c) > 1}):
        problems.append(Problem(shown, 1, name, "column given twice: rename or delete one"))
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # blank rows, often at the end of an export
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
                problems.append(Problem(
                    shown, line, "",
                    f"{len(cells)} cells but the header has {len(columns)} columns: "
                    f"check the separators ('{delimiter}') and quotes on this row",
                ))
                continue
            values = {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns) if c}
            rows.append((line, values))
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, "", f"CSV syntax error: {exc}: check the quotes on this row"))
    return tuple(named), rows


def _yaml_rows(text: str, shown: str, problems: list[Problem]) -> tuple[tuple[str, ...], list[Row]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PartnerListError(
            [Problem(shown, mark.line + 1 if mark else 0, "", f"YAML syntax error: {exc.problem or exc.context}")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, BEL…), known by its position
        line = text.count("\n", 0, exc.position) + 1
        raise PartnerListError([Problem(shown, line, "", f"invisible control character U+{exc.character:04X} in the "
                                                         "text: delete it")]) from None
    if not isinstance(node, yaml.SequenceNode):
        line = node.start_mark.line + 1 if node else 1
        raise PartnerListError([Problem(shown, line, "", "expected a list of partners (lines starting with '- ')")])
    rows: list[Row] = []
    columns: dict[str, None] = {"email": None}
    for item in node.value:
        line = item.start_mark.line + 1
        if isinstance(item, yaml.ScalarNode):  # "- name@example.org"
            rows.append((line, {"email": str(item.value)}))
            continue
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(shown, line, "", "expected a partner: an address, or fields such as email: and name:"))
            continue
        values: dict[str, str] = {}
        reported = len(problems)
        for key_node, value_node in item.value:
            key = column_name(str(key_node.value))
            if not isinstance(value_node, yaml.ScalarNode):
                problems.append(Problem(shown, key_node.start_mark.line + 1, key, "expected text, not a list or mapping"))
                continue
            if key in values:
                problems.append(Problem(shown, key_node.start_mark.line + 1, key, "given twice: keep one"))
                continue
            values[key] = _scalar_text(value_node)
            columns.setdefault(key, None)
        if len(problems) > reported:
            continue
        if "email" not in values:
            problems.append(Problem(shown, line, "email", "missing: every partner needs an address"))
            continue
        rows.append((line, values))
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


def _validate(path: Path, shown: str, columns: tuple[str, ...], rows: list[Row], problems: list[Problem]) -> PartnerList:
    first_line: dict[str, int] = {}
    partners: list[Partner] = []
    for line, values in rows:
        try:
            address = email_address(values.get("email", ""))
        except ValueError as exc:
            problems.append(Problem(shown, line, "email", f"{exc}, or delete the row"))
            continue
        key = address.lower()
        if key in first_line:
            problems.append(Problem(
                shown, line, "email", f"'{address}' is already on line {first_line[key]}: delete one of the two rows"
            ))
            continue
        first_line[key] = line
        if broken := _header_breaks(values):
            problems.append(Problem(shown, line, broken, "contains a line break or an invisible control character: "
                                                         "keep the field on one line"))
            continue
        fields = {name: "" for name in STANDARD_COLUMNS} | values | {"email": address}
        partners.append(Partner(address, line, fields))
    if problems:
        raise PartnerListError(problems)
    if not partners:
        raise PartnerListError([Problem(shown, 1, "", "no partners in the list: add one row per partner")])
    return PartnerList(path, shown, tuple(dict.fromkeys((*columns, *STANDARD_COLUMNS))), tuple(partners))
