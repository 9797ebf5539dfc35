"""The French runs of the commands that serve or ask a server: dossier preview (a live server, started, waited on,
stopped with Ctrl-C) and dossier doctor (a DNS server on 127.0.0.1); golden files as tests/test_french_runs.py's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dns_support import dns_server, resolving_through
from french_support import compare_golden
from smtp_support import MAIL_SETTINGS, configure_mail
from test_dkim_dns import dkim_settings, rsa_key, zone

WAIT = 300  # seconds at most for the preview's line: never reached unless it is broken


def preview_run(root: Path, *arguments: str, until: str) -> tuple[str, str]:
    """``dossier --lang fr preview ARGUMENTS`` in ``root``: its output up to the first line holding ``until``, then
    Ctrl-C (SIGINT) and the rest of its output until it exits (0). (stdout, stderr)."""
    command = [sys.executable, "-m", "dossier", "--lang", "fr", "preview", *arguments]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", env={**os.environ, "PYTHONUNBUFFERED": "1"})
    watchdog = threading.Timer(WAIT, process.kill)  # a broken preview fails the test instead of hanging it
    watchdog.start()
    try:
        lines = []
        assert process.stderr is not None
        while line := process.stderr.readline():
            lines.append(line)
            if until in line or line.startswith("l’impression a échoué"):  # the awaited line, or no print to come
                break
        assert lines and until in lines[-1], "".join(lines)
        process.send_signal(signal.SIGINT)
        stdout, rest = process.communicate(timeout=WAIT)
    finally:
        watchdog.cancel()
        process.kill()
    assert process.returncode == 0, (process.returncode, "".join(lines) + rest)
    return stdout, "".join(lines) + rest


def test_preview_in_french(mini_project: Path) -> None:
    stdout, stderr = preview_run(mini_project, "1", "--port", "0", until="pages imprimées")
    compare_golden("preview-start", ["preview", "1", "--port", "0"], stdout, stderr)

    manifest = mini_project / "issues/01/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    stdout, stderr = preview_run(mini_project, "1", "--port", "0", until="subtitel")
    compare_golden("preview-errors", ["preview", "1", "--port", "0"], stdout, stderr)


@pytest.fixture
def sender(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith(("DOSSIER_SMTP_", "DOSSIER_DKIM")):
            monkeypatch.delenv(name)
    return project


def test_doctor_in_french(sender: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dossier.cli import cli

    key, public = rsa_key(tmp_path / "cles")
    configure_mail(sender, MAIL_SETTINGS + dkim_settings(key))
    for name, records, exit_code in (("doctor", zone(public), 0), ("doctor-missing", {}, 1)):
        with dns_server(records) as (_zone, port), resolving_through(port):
            result = CliRunner().invoke(cli, ["--lang", "fr", "doctor"], catch_exceptions=False)
        assert result.exit_code == exit_code, result.output
        compare_golden(name, ["doctor"], result.stdout, result.stderr)
