"""Hostile and careless mailing input: refusals at any stage, header breaks, over-long addresses, huge lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run
from smtp_support import FaultyHandler
from test_send import PARTNERS, clean_smtp_environment, ledger_records, pdf, start_server, write_partners  # noqa: F401


@pytest.mark.parametrize("reply", ["554 5.6.0 message content rejected", "500 5.5.2 line too long"])
def test_a_refusal_at_data_is_that_partners_failure_and_the_batch_goes_on(
    project: Path, pdf: bytes, start_server: Callable, reply: str  # noqa: F811
) -> None:
    server = start_server(FaultyHandler(refuse_data={"marie@example.net": reply}))
    result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    assert result.exit_code == 1
    assert server.handler.to() == ["jean.dupont@example.org", "bob@example.com"]
    assert server.handler.connections == 1, "a refusal is no lost connection"
    assert result.stderr.splitlines()[-2] == f"fake-partners.csv:3: marie@example.net: {reply}"
    assert ledger_records(project)["marie@example.net"].status == "failed"
    again = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")  # tries her again, and only her
    assert again.exit_code == 1
    assert server.handler.to() == ["jean.dupont@example.org", "bob@example.com"]


@pytest.mark.parametrize("char", ["\r", "\n", "\x0b", "\x0c", "\x85", "\u2028"])
def test_a_line_break_in_a_partner_field_is_reported_before_anything_is_written(
    project: Path, pdf: bytes, char: str  # noqa: F811
) -> None:
    partners = project / "fake-partners.csv"
    partners.write_text('email,name,organisation\na@example.org,Ann,Ville\nb@example.org,"Bob' + char
                        + 'Bcc: x@example.org",Ville\n', encoding="utf-8")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "fake-partners.csv:3: name: contains a line break or an invisible control character: keep the field on one line"
    )
    assert not (project / "output/mail-03").exists()


def test_yaml_partner_fields_are_checked_too(project: Path, pdf: bytes) -> None:  # noqa: F811
    (project / "partners.yaml").write_text('- email: a@example.org\n  organisation: "Ville\\u2028Bcc: x"\n',
                                           encoding="utf-8")
    result = run("send", "3", "--partners", "partners.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("partners.yaml:1: organisation: contains a line break")


def test_over_long_addresses_are_refused_and_the_last_dry_run_is_kept(project: Path, pdf: bytes) -> None:  # noqa: F811
    assert run("send", "3", "--partners", "fake-partners.csv").exit_code == 0
    before = sorted(p.name for p in (project / "output/mail-03").iterdir())
    long_local = "a" * 65 + "@example.org"
    long_total = "b" * 60 + "@" + ".".join(["c" * 60] * 4) + ".org"
    write_partners(project / "fake-partners.csv", [(long_local, "A"), (long_total, "B"), ("ok@example.org", "C")])
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert [line.split(":")[1] for line in result.stderr.splitlines()[:2]] == ["2", "3"]
    assert "too long for an email address (at most 64 characters before the @, 254 in all)" in result.stderr
    assert sorted(p.name for p in (project / "output/mail-03").iterdir()) == before


def test_a_long_list_writes_the_first_messages_and_counts_the_rest(project: Path, pdf: bytes) -> None:  # noqa: F811
    write_partners(project / "fake-partners.csv", [(f"p{n}@example.org", f"P{n}") for n in range(12)])
    result = run("send", "3", "--partners", "fake-partners.csv", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert len(list((project / "output/mail-03").glob("*.eml"))) == 5
    assert result.stdout.splitlines()[:2] == [
        "dry run: 5 messages written to output/mail-03/ (nothing sent)",
        "  7 more messages were checked but not written (--limit N writes the first N)",
    ]
    assert not list((project / "output").glob(".mail-03*")), "no temporary folder is left behind"


def test_a_file_name_is_bounded_whatever_the_address(project: Path, pdf: bytes) -> None:  # noqa: F811
    address = "x" * 64 + "@" + "d" * 63 + ".example.org"
    write_partners(project / "fake-partners.csv", [(address, "X")])
    assert run("send", "3", "--partners", "fake-partners.csv").exit_code == 0
    (name,) = [p.name for p in (project / "output/mail-03").glob("*.eml")]
    assert len(name) <= 70


def test_a_read_only_ledger_says_not_to_move_it(project: Path, pdf: bytes, start_server: Callable) -> None:  # noqa: F811
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("needs root to bind-mount a read-only folder")
    start_server()
    assert run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes").exit_code == 0
    folder = project / ".dossier"
    if subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode != 0:
        pytest.skip("bind mounts are not allowed here")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        write_partners(project / "fake-partners.csv", [*PARTNERS[:3], ("new@example.org", "New")])
        result = run("send", "3", "--partners", "fake-partners.csv", "--send", "--yes")
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)
    assert result.exit_code == 1
    assert "do not delete or move it" in result.stderr and "mailed again" in result.stderr
    assert "Traceback" not in result.output


def test_ctrl_c_outside_the_sending_loop_is_a_sentence_not_aborted(
    project: Path, pdf: bytes, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from dossier import mail

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(mail, "prepare_mailing", interrupted)
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 130
    assert "Aborted" not in result.output
    assert result.stderr == ("interrupted (Ctrl-C): every message the server accepted is recorded in the ledger; "
                             "run the same command again to send the rest\n")


def test_a_control_character_in_a_yaml_list_is_located(project: Path, pdf: bytes) -> None:  # noqa: F811
    (project / "partners.yaml").write_bytes(b'- email: a@example.org\n- email: b@example.org\n  name: "B\x07"\n')
    result = run("send", "3", "--partners", "partners.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "partners.yaml:3: invisible control character U+0007 in the text: delete it"
