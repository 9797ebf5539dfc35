"""Real mail servers for the inbox tests, each on loopback with its own configuration in a temporary folder.

Exim (Debian's exim4-daemon-light) takes mail for example.org: known users and the
VERP bounce addresses are delivered to mbox files, anyone else gets a DSN sent back.
Dovecot (dovecot-imapd) serves one Maildir user over IMAP. Both are installed by
scripts/test (DOSSIER_APT_PACKAGES) and never started by the install; each is started
in the foreground by its fixture and stopped, with its whole process group, after
the test. They need root (their users and privileged files): elsewhere the tests skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from smtp_support import free_port

STARTUP_TIMEOUT = 120.0  # an upper bound: waits end as soon as the server answers
EXIM = shutil.which("exim4", path="/usr/sbin:/usr/bin:/sbin:/bin")
DOVECOT = shutil.which("dovecot", path="/usr/sbin:/usr/bin:/sbin:/bin")


def require(binary: str | None, package: str) -> str:
    if os.geteuid() != 0:
        pytest.skip(f"{package} runs as root only (the tests run as root in CI)")
    if binary is None:
        pytest.skip(f"{package} is not installed (scripts/test installs it)")
    return binary


def wait_for(condition: Callable[[], bool], what: str, timeout: float = STARTUP_TIMEOUT) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Daemon:
    """A server process in the foreground, in its own process group, in a folder of its own."""

    def __init__(self, name: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"dossier-{name}-"))
        self.folder.chmod(0o755)  # the servers' own users must reach their files
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, command: list[str]) -> None:
        log = (self.folder / "stderr.log").open("wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: listening(self.port) or self.process.poll() is not None, f"{command[0]} listening")
        if self.process.poll() is not None:
            raise AssertionError(f"{command[0]} did not start:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("*log")) if p.is_file())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STARTUP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


EXIM_CONFIG = """
primary_hostname = mx.example.org
domainlist local_domains = example.org
qualify_domain = example.org
spool_directory = {folder}/spool
log_file_path = {folder}/%slog
pid_file_path = {folder}/exim.pid
local_interfaces = 127.0.0.1
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
keep_environment =
acl_smtp_rcpt = accept_all
bounce_return_message = true

begin acl
accept_all:
  accept

begin routers
bounces:
  driver = accept
  local_part_prefix = bounces+
  transport = bounces_mbox
known:
  driver = accept
  local_parts = {known}
  transport = known_mbox

begin transports
bounces_mbox:
  driver = appendfile
  file = {folder}/mail/bounces.mbox
  user = Debian-exim
known_mbox:
  driver = appendfile
  file = {folder}/mail/known.mbox
  user = Debian-exim
"""


class Exim(Daemon):
    """Exim for example.org: ``known`` local parts get their mail, unknown ones bounce to the sender."""

    def __init__(self, known: list[str]) -> None:
        super().__init__("exim")
        exim = pwd.getpwnam("Debian-exim")
        (self.folder / "mail").mkdir()
        config = self.folder / "exim.conf"
        config.write_text(EXIM_CONFIG.format(folder=self.folder, known=" : ".join(known)), encoding="utf-8")
        config.chmod(0o644)  # Exim refuses a configuration others may write
        for path in (self.folder, self.folder / "mail"):
            os.chown(path, exim.pw_uid, exim.pw_gid)
        os.chown(config, 0, 0)

    @property
    def bounces(self) -> Path:
        return self.folder / "mail" / "bounces.mbox"

    def start_server(self) -> Exim:
        assert EXIM is not None
        self.start([EXIM, "-C", str(self.folder / "exim.conf"), "-bdf", "-oX", str(self.port)])
        return self

    def delivered(self, count: int) -> bool:
        """Whether ``count`` messages have completed (accepted, bounced, DSN delivered)."""
        log = self.folder / "mainlog"
        return log.is_file() and log.read_text(errors="replace").count(" Completed") >= count


DOVECOT_CONFIG = """
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{folder}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


class Dovecot(Daemon):
    """Dovecot serving user ``chaire`` (password PASSWORD) over plain IMAP on 127.0.0.1."""

    USER = "chaire"
    PASSWORD = "imap-pw-never-shown"

    def __init__(self) -> None:
        super().__init__("dovecot")
        nobody = pwd.getpwnam("nobody")
        (self.folder / "mail").mkdir()
        os.chown(self.folder / "mail", nobody.pw_uid, nobody.pw_gid)
        (self.folder / "passwd").write_text(f"{self.USER}:{{PLAIN}}{self.PASSWORD}\n", encoding="utf-8")
        (self.folder / "dovecot.conf").write_text(DOVECOT_CONFIG.format(folder=self.folder, port=self.port),
                                                  encoding="utf-8")

    def start_server(self) -> Dovecot:
        assert DOVECOT is not None
        self.start([DOVECOT, "-c", str(self.folder / "dovecot.conf"), "-F"])
        return self

    def env(self, port: int | None = None) -> dict[str, str]:
        return {"DOSSIER_IMAP_HOST": "127.0.0.1", "DOSSIER_IMAP_PORT": str(port or self.port),
                "DOSSIER_IMAP_SECURITY": "none", "DOSSIER_IMAP_USER": self.USER, "DOSSIER_IMAP_PASSWORD": self.PASSWORD}


class DroppingProxy:
    """A loopback TCP proxy that hangs up on the client while the server sends a message body.

    Connection i is cut when the server's replies hold ``cut_on`` for the ``cuts[i]``-th
    time, after ``keep`` of that reply got through (half of it: a lost link mid-reply; none:
    the server answered, the client never heard); connections beyond the list are passed
    through whole.
    """

    def __init__(self, target_port: int, cuts: list[int], cut_on: bytes = b"BODY[]", keep: float = 0.5) -> None:
        self.target_port, self.cuts, self.cut_on, self.keep = target_port, cuts, cut_on, keep
        self.connections = 0
        self.cut = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port), timeout=STARTUP_TIMEOUT)
            nth = self.cuts[self.connections] if self.connections < len(self.cuts) else None
            self.connections += 1
            threading.Thread(target=self._pump, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, nth), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, nth: int | None) -> None:
        seen = 0
        try:
            while data := source.recv(65536):
                if nth is not None:
                    seen += data.count(self.cut_on)
                    if seen >= nth:
                        sink.sendall(data[: int(len(data) * self.keep)])
                        self.cut += 1
                        break
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self.listener.close()
