"""printing/: the worker prints what the build's own process would, and fails alike."""

from __future__ import annotations

import array
import fcntl
import os
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from dossier.errors import DossierError
from dossier.i18n import use
from dossier.manifest import load_issue
from dossier.press.printing import InProcessPrinter, PrintJob
from dossier.press.printing.process import WorkerPrinter
from dossier.press.render import render_html
from dossier.project import Project


def _job(root: Path, **options: object) -> PrintJob:
    project = Project(root)
    issue = load_issue(project, project.manifest_for("1"))
    return PrintJob(project, render_html(project, issue), project.output_dir / "draft.html", identifier=issue.slug,
                    **options)


def test_the_worker_prints_the_same_pdf_as_this_process(mini_project: Path) -> None:
    job = _job(mini_project)
    worker = WorkerPrinter.start()
    try:
        in_worker = worker.print(job)
    finally:
        worker.close()
    here = InProcessPrinter().print(job)
    assert in_worker.data == here.data
    assert (in_worker.pages, in_worker.warnings) == (here.pages, here.warnings)
    assert in_worker.data.startswith(b"%PDF-")


def test_a_failure_in_the_worker_is_the_same_message_in_the_users_language(mini_project: Path) -> None:
    (mini_project / "styles/fonts/Inter-Bold.otf").unlink()
    use("fr")
    try:
        job = _job(mini_project)
    finally:
        use("en")
    assert job.language == "fr"
    with pytest.raises(DossierError) as here:
        job.run()
    worker = WorkerPrinter.start()
    try:
        with pytest.raises(DossierError) as there:
            worker.print(job)
    finally:
        worker.close()
    message = there.value.format_message()
    assert message.startswith("styles/fonts/Inter-Bold.otf: fichier introuvable") and "corrigez sa mention" in message
    assert "fichier introuvable" not in here.value.format_message()  # this process speaks English: the job carried French


def test_a_worker_that_died_is_a_clear_error(mini_project: Path) -> None:
    worker = WorkerPrinter.start()
    worker._process.kill()
    worker._process.wait()
    with pytest.raises(DossierError, match=r"the print worker stopped without an answer \(signal 9\)"):
        worker.print(_job(mini_project))
    worker.close()


def _cold(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment for a fresh process that prints in a worker, and the empty folder its TMPDIR names."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    environment.pop("DOSSIER_PRINT_IN_PROCESS", None)
    return environment, temporary


def test_a_cold_build_leaves_weasyprint_to_the_worker_and_no_temporary_files(mini_project: Path, tmp_path: Path) -> None:
    environment, temporary = _cold(tmp_path)
    script = (
        "import sys\n"
        "from dossier.press import build_issue\n"
        "from dossier.project import Project\n"
        "result = build_issue(Project.find(), '1')\n"
        "print(result.pages, 'weasyprint' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=300)
    assert done.returncode == 0, done.stderr
    pages, imported = done.stdout.split()
    assert int(pages) > 0
    assert imported == "False"
    assert (mini_project / "output").is_dir() and any((mini_project / "output").glob("*.pdf"))
    assert list(temporary.iterdir()) == []  # WeasyPrint's copies of the fonts went with the worker's folder


def _worker_of(pid: int, timeout: float = 120) -> int:
    """The print worker the build ``pid`` started, once it exists."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = children.read_text().split()
        # Once on the job's pipe: just forked, it is not yet (and held then, it never would be).
        if pids and os.readlink(f"/proc/{pids[0]}/fd/0").startswith("pipe:"):
            return int(pids[0])
        time.sleep(0.01)
    raise AssertionError("the build started no print worker")


def _wait_for_the_job(worker: int, timeout: float = 120) -> None:
    """Until the build has written (part of) the job into the held worker's standard input."""
    with open(f"/proc/{worker}/fd/0", "rb", buffering=0) as pipe:  # the same pipe; nothing is read from it
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            queued = array.array("i", [0])
            fcntl.ioctl(pipe.fileno(), termios.FIONREAD, queued)
            if queued[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the build sent its worker no job")


def test_ctrl_c_stops_the_build_and_its_worker_and_leaves_nothing(mini_project: Path, tmp_path: Path) -> None:
    environment, temporary = _cold(tmp_path)
    build = subprocess.Popen([sys.executable, "-m", "dossier", "build", "1", "--force"], stderr=subprocess.PIPE,
                             text=True, env=environment, start_new_session=True)
    worker = _worker_of(build.pid)
    os.kill(worker, signal.SIGSTOP)  # held: the build waits on it until the Ctrl-C, however fast this machine
    _wait_for_the_job(worker)  # so the build is past its start-up, inside the command
    os.killpg(build.pid, signal.SIGINT)  # what the terminal does: the build's process group
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 130
    assert err == "interrupted (Ctrl-C): files are written whole or not at all, so nothing was left half-written\n"
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # stopped, then reaped by the build
    assert list(temporary.iterdir()) == []
    assert not (mini_project / "output").exists()


def test_the_command_starts_its_worker_first_and_stops_it_when_nothing_is_printed(mini_project: Path,
                                                                                 tmp_path: Path) -> None:
    environment, temporary = _cold(tmp_path)
    for printed in (True, False):
        done = subprocess.run([sys.executable, "-m", "dossier", "build", "1"], capture_output=True, text=True,
                              env=environment, timeout=300)
        assert done.returncode == 0, done.stderr
        assert ("unchanged" not in done.stderr) is printed, done.stderr
        assert list(temporary.iterdir()) == []  # the worker's folder: used, or not, and removed


def _gone(pid: int, timeout: float = 60) -> bool:
    """Whether process ``pid`` has ended (reaped, or a zombie nobody waits for) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.02)
    return False


def _held_build(mini_project: Path, tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], int, Path]:
    """A build whose worker is held (SIGSTOP) with its job sent: the build waits on it, however fast this machine."""
    environment, temporary = _cold(tmp_path)
    build = subprocess.Popen([sys.executable, "-m", "dossier", "--lang", "en", "build", "1", "--force", *extra],
                             stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True)
    worker = _worker_of(build.pid)
    os.kill(worker, signal.SIGSTOP)
    _wait_for_the_job(worker)
    return build, worker, temporary


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_stops_the_build_and_its_worker_and_leaves_nothing(number: int, mini_project: Path,
                                                                              tmp_path: Path) -> None:
    build, worker, temporary = _held_build(mini_project, tmp_path)
    os.kill(build.pid, number)  # a `timeout`, a closed terminal: to the build alone, not its group
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 128 + number
    name = signal.Signals(number).name
    assert err == f"stopped ({name}): files are written whole or not at all, so nothing was left half-written\n"
    assert _gone(worker)
    assert list(temporary.iterdir()) == []
    assert not (mini_project / "output").exists()


def test_a_killed_build_takes_its_worker_and_its_files_with_it(mini_project: Path, tmp_path: Path) -> None:
    build, worker, temporary = _held_build(mini_project, tmp_path)
    os.kill(build.pid, signal.SIGKILL)  # nothing of the build runs any more
    build.wait(timeout=60)
    os.kill(worker, signal.SIGCONT)  # the kernel's SIGTERM (the build died) waits for the held worker to run
    assert _gone(worker)
    assert list(temporary.iterdir()) == []  # the worker removed the folder the build gave it
    assert not (mini_project / "output").exists()


def test_a_print_that_runs_away_is_stopped_by_its_time_budget(mini_project: Path, tmp_path: Path) -> None:
    os.environ["DOSSIER_PRINT_TIMEOUT"] = "1"  # _cold copies this environment
    try:
        build, worker, temporary = _held_build(mini_project, tmp_path)  # held: it never answers
    finally:
        del os.environ["DOSSIER_PRINT_TIMEOUT"]
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 1
    assert err.startswith("dossier-special-01: the print took more than 1 s and was stopped:"), err
    assert "DOSSIER_PRINT_TIMEOUT" in err and "Traceback" not in err
    assert _gone(worker)
    assert list(temporary.iterdir()) == []
    assert not (mini_project / "output").exists()
