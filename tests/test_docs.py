"""Every command and option is documented in the README, and every command has --help."""

from __future__ import annotations

import re

import click
import pytest

from conftest import REPO, run
from dossier.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name: str):
    assert re.search(rf"`dossier {name}\b", README), f"README does not document `dossier {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_options_are_documented(name: str):
    command = cli.commands[name]
    for param in command.params:
        if isinstance(param, click.Option):
            for flag in param.opts:
                if flag.startswith("--"):
                    assert flag in README, f"README does not mention {flag} of dossier {name}"


@pytest.mark.parametrize("name", COMMANDS)
def test_help(name: str):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {name} ") or result.stdout.startswith(f"Usage: dossier {name} ")
    assert cli.commands[name].help and cli.commands[name].help.split(".")[0] in " ".join(result.stdout.split())
