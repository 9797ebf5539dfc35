"""DKIM signatures of the messages sent (dkimpy), and the List-Id every message carries.

Invariants: the private key is never in the project folder nor in a file git tracks (a
project folder is copied, zipped and shared; a key there is a key given away): such a
key_file is refused before anything is sent. The key is read once, checked by signing a
probe, and each message is signed as it is composed, headers chosen for RFC 8058
(List-Unsubscribe and List-Unsubscribe-Post must be covered) and DMARC (From). A header
named here is signed once more than it occurs ("oversigned"): a second From, Subject or
List-Unsubscribe, or a one-click header where there was none, cannot be added on the way.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import dkim

from ..errors import DossierError
from ..files import display_path
from ..i18n import _
from ..manifest.model import Issue, Publication
from ..project import Project

KEY_VARIABLE = "DOSSIER_DKIM_KEY"
SIGNED_HEADERS = (b"From", b"To", b"Subject", b"Date", b"Message-ID", b"Reply-To", b"List-Id", b"List-Unsubscribe",
                  b"List-Unsubscribe-Post", b"MIME-Version", b"Content-Type")
# Relaxed headers survive a relay that re-folds them; the body as it is (simple): ours has CRLF lines of
# quoted-printable and base64 without trailing spaces, which relays pass on, and relaxed body canonicalization
# costs dkimpy three regular-expression passes over 400 KB (29 ms of CPU per message against 19).
CANONICALIZATION = (b"relaxed", b"simple")
MAX_KEY_FILE = 64 * 1024


@dataclass(frozen=True)
class DkimSigner:
    selector: str
    domain: str
    key: bytes = field(repr=False)

    def sign(self, message: bytes) -> bytes:
        """The message with its DKIM-Signature header first."""
        signature = dkim.sign(message, self.selector.encode("ascii"), self.domain.encode("ascii"), self.key,
                              canonicalize=CANONICALIZATION, include_headers=[*SIGNED_HEADERS, *SIGNED_HEADERS])
        return signature + message


def list_id(issue: Issue, sender_domain: str) -> str:
    """List-Id (RFC 2919): the series' name and a label of our own domain: 'Dossier spécial <dossier-special.example.org>'."""
    series = " ".join(str(issue.publication.series).split())
    ascii_name = unicodedata.normalize("NFKD", series).encode("ascii", "ignore").decode("ascii")
    label = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "dossier"
    return f"{series} <{label}.{sender_domain}>"


def load_signer(project: Project, issue: Issue, where: str) -> DkimSigner | None:
    """The signer of the numéro's ``mail.dkim`` (``where``: the file as shown), None without it; DossierError for a
    key it refuses."""
    return load_signer_from(project, issue.publication, where)


def load_signer_from(project: Project, publication: Publication, where: str) -> DkimSigner | None:
    """The signer of a publication's ``mail.dkim``: see ``load_signer``."""
    settings = publication.mail.dkim
    from_environment = os.environ.get(KEY_VARIABLE, "").strip()
    if settings is None:
        if from_environment:
            raise DossierError(_("{variable} is set but {where} has no mail.dkim: add `mail: {{dkim: {{selector: …, domain: "
                                 "…}}}}`, the selector and domain of the public key published in DNS").format(
                variable=KEY_VARIABLE, where=where))
        return None
    shown_setting = KEY_VARIABLE if from_environment else f"{where}: mail.dkim.key_file"
    text = from_environment or settings.key_file
    if not text:
        raise DossierError(_("{where}: mail.dkim: no private key: set key_file (a file outside the project folder) or "
                             "{variable}").format(where=where, variable=KEY_VARIABLE))
    path = (project.root / Path(text).expanduser()).resolve()
    _refuse_a_shared_key(project, path, shown_setting)
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise DossierError(_("{setting}: {file} is not a DKIM private key (too large)").format(
                setting=shown_setting, file=path))
        key = path.read_bytes()
    except OSError as exc:
        raise DossierError(_("{setting}: cannot read the DKIM private key {file}: {error}").format(
            setting=shown_setting, file=path, error=exc.strerror or exc)) from None
    signer = DkimSigner(settings.selector, settings.domain, key)
    try:
        signer.sign(b"From: probe@example.org\r\nSubject: probe\r\n\r\nprobe\r\n")
    except (dkim.DKIMException, ValueError, IndexError) as exc:
        raise DossierError(_("{setting}: {file} is not a DKIM private key dkimpy can sign with ({error}): give the PEM "
                             "file (-----BEGIN PRIVATE KEY-----) whose public key is published at {record}").format(
            setting=shown_setting, file=path, error=exc, record=f"{settings.selector}._domainkey.{settings.domain}")) from None
    return signer


def _refuse_a_shared_key(project: Project, path: Path, setting: str) -> None:
    if path.is_relative_to(project.root.resolve()):
        raise DossierError(_("{setting}: {file} is in the project folder: a private key must stay outside it (the "
                             "folder is copied, shared and committed); move it, e.g. to ~/.config/dossier/dkim.pem").format(
            setting=setting, file=display_path(path, project.root)))
    if _tracked_by_git(path):
        raise DossierError(_("{setting}: {file} is tracked by git: a private key must never be in a repository; move it "
                             "out, remove it from the repository and make a new key").format(setting=setting, file=path))


def _tracked_by_git(path: Path) -> bool:
    if not path.parent.is_dir():
        return False
    try:
        found = subprocess.run(["git", "-C", str(path.parent), "ls-files", "--error-unmatch", "--", path.name],
                               capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False  # no git: nothing can track it
    return found.returncode == 0
