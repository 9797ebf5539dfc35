"""The import command: initiatives, resources or readings from a spreadsheet into a numéro's manifest.

A thin click command over ``dossier.importer``; ``dossier.cli`` adds it to the group.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import N_, _
from ..project import Project
from .group import command, echo
from .words import argument, option

# The value names this command's help shows, for the catalog (words.TranslatedMetavar translates them).
METAVARS = (N_("KIND"), N_("NAME"), N_("HEADER=FIELD"))
# The kinds of rows, as typed: the French names work too.
KINDS = {"initiatives": "initiatives", "resources": "resources", "readings": "readings",
         "ressources": "resources", "lectures": "readings"}


def _kind(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if value.strip().lower() not in KINDS:
        raise click.BadParameter(_("'{value}': write initiatives, ressources or lectures").format(value=value), ctx, param)
    return KINDS[value.strip().lower()]


def _mapping(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    from ..importer.columns import HEADERS

    fields = sorted({name for kind in HEADERS.values() for name in kind})
    mapping = {}
    for value in values:
        header, sep, field = value.rpartition("=")
        if not sep or not header.strip() or field.strip() not in fields:
            raise click.BadParameter(_("'{value}': write 'Column header=field', the field one of {fields}").format(
                value=value, fields=", ".join(fields)), ctx, param)
        mapping[header.strip()] = field.strip()
    return mapping


@command(name="import", help=N_("""Add initiatives (or resources, readings) from a spreadsheet to a numéro. {issue}

    FILE is a .xlsx, .ods or .csv table (a Google Forms export as it comes), one row per entry,
    its columns named in French or English (Thème, Titre, Lieu, Porteur(s), Texte, Lien, Photo,
    Texte alternatif…; several porteurs in one cell separated by « ; » or a line break). Columns
    it does not know are ignored and named. Without --write it only shows what it would add;
    with --write it adds it to the manifest, every other line kept, comments included."""))
@argument("issue")
@argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--kind", metavar="KIND", callback=_kind,
        help=N_("What the rows are: initiatives, resources or readings (default: told by the columns)."))
@option("--sheet", metavar="NAME", help=N_("The sheet to read (default: the workbook's first visible sheet)."))
@option("--theme", metavar="NAME", help=N_("The theme of rows that name none (initiatives, readings)."))
@option("--mapping", "mapping", metavar="HEADER=FIELD", multiple=True, callback=_mapping,
        help=N_("A column whose header the import does not know, and its field: --mapping 'Nom du projet=title'."))
@option("--write", is_flag=True, help=N_("Write the entries into the manifest (without it: only show them)."))
def import_(issue: str, file: Path, kind: str | None, sheet: str | None, theme: str | None, mapping: dict[str, str],
            write: bool) -> None:
    from ..importer import plan_import, write_import

    project = Project.find()
    plan = plan_import(project, issue, file, kind=kind, sheet=sheet, mapping=mapping, theme=theme)
    echo("\n".join(plan.lines()))
    if write:
        write_import(plan)
        echo(_("written to {manifest}: check it with dossier check {number}").format(
            manifest=plan.shown_manifest, number=issue), err=True)
    else:
        echo(_("nothing written: add --write to add them to the manifest"), err=True)
