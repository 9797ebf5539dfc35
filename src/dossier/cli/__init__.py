"""The ``dossier`` command line: the group (``group``), the numéro's commands (``numeros``), the mailing's
(``mail``), and click's words in the run's language (``words``).

Every word it prints goes through ``dossier.i18n``. The commands are thin: each imports its
feature inside itself, so the CLI starts at once; they are added here, one line each.
"""

from __future__ import annotations

from . import intake, mail, numeros
from .group import cli, echo

__all__ = ["cli", "echo", "main"]

for _command in (numeros.validate, numeros.build, numeros.check, numeros.new, numeros.preview, numeros.site,
                 numeros.schema, intake.import_, mail.send, mail.unsubscribe, mail.resubscribe, mail.suppressed,
                 mail.inbox, mail.import_unsubscribes, mail.doctor):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="dossier")
