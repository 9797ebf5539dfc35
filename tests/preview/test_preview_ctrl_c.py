"""Ctrl-C while the preview starts its threads: every thread it started is stopped, so the command ends.

(A Ctrl-C between a thread's start and its record let it run on: the French golden run of a
draft with errors, interrupted as its errors were printed, now and then never ended.)
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from dossier.preview.server import PreviewServer
from dossier.project import Project


def test_ctrl_c_while_the_threads_start_leaves_none_running(mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[threading.Thread] = []
    start = threading.Thread.start

    def start_then_ctrl_c(thread: threading.Thread) -> None:
        start(thread)
        started.append(thread)
        if len(started) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # as the first thread (the HTTP server's) has just started

    server = PreviewServer(Project.find(), mini_project / "issues/01/issue.yaml", port=0)
    monkeypatch.setattr(threading.Thread, "start", start_then_ctrl_c)
    try:
        with pytest.raises(KeyboardInterrupt):
            server.start()
    finally:
        monkeypatch.undo()
        server.stop()
    for thread in started:
        thread.join(timeout=60)  # generous: stopping takes well under a second
    assert [thread.name for thread in started if thread.is_alive()] == []
    assert len(started) >= 3  # the HTTP server's, the print loop's and the watcher's
