"""The project folder the CLI works in: publication.yaml, issues/, templates/, styles/, output/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DossierError
from .i18n import _

if TYPE_CHECKING:
    from .manifest import Issue

PUBLICATION_FILE = "publication.yaml"
# The kinds of file a numéro's pages load (stylesheets, images, fonts), with their media types.
ASSET_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
MANIFEST_FILE = "issue.yaml"


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` that holds publication.yaml."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / PUBLICATION_FILE).is_file():
                return cls(folder)
        raise DossierError(_("{folder}: no {file} here or in any parent folder: run dossier inside the project folder")
                           .format(folder=here, file=PUBLICATION_FILE))

    @property
    def publication_file(self) -> Path:
        return self.root / PUBLICATION_FILE

    @property
    def issues_dir(self) -> Path:
        return self.root / "issues"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def output_paths(self, slug: str, *, archive: bool = False, draft: bool = False) -> tuple[Path, Path]:
        """Where a numéro's HTML draft and PDF go, by its slug (the archive copy and a --draft build have names of
        their own: a draft never takes the final PDF's place)."""
        stem = f"{slug}-brouillon" if draft else slug
        pdf_name = f"{stem}-pdfa.pdf" if archive else f"{stem}.pdf"
        return self.output_dir / f"{stem}.html", self.output_dir / pdf_name

    @property
    def mail_templates_dir(self) -> Path:
        return self.templates_dir / "mail"

    def numbers(self) -> frozenset[int]:
        """The numbers of the numéros in issues/ (folders NN holding a manifest), without loading them."""
        if not self.issues_dir.is_dir():
            return frozenset()
        return frozenset(
            int(folder.name) for folder in self.issues_dir.iterdir()
            if folder.name.isdecimal() and (folder / MANIFEST_FILE).is_file()  # isdigit takes "²", int refuses it
        )

    def layout_files(self) -> Iterator[Path]:
        """The files every numéro's print reads: templates (not the mail's) and styles/ (fonts included)."""
        for folder in (self.templates_dir, self.styles_dir):
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and not _ignored(path) and not path.is_relative_to(self.mail_templates_dir):
                        yield path

    def sources(self, issue: Issue) -> list[Path]:
        """Every file a build of ``issue`` reads: its manifest, publication.yaml, the layout, every image.

        The one list that staleness tests, the preview's watcher and its asset allow-list use.
        """
        files = [issue.manifest, self.publication_file, *self.layout_files()]
        files += [self.root / image.path for image in issue.images()]
        return list(dict.fromkeys(files))

    def manifest_for(self, issue: str | Path) -> Path:
        """Resolve ISSUE: a folder (issues/03), a manifest file, or a number (3)."""
        text = str(issue)
        if re.fullmatch(r"\d{1,4}", text):
            candidates = [self.issues_dir / f"{int(text):02d}", self.issues_dir / text]
            for folder in candidates:
                if (folder / MANIFEST_FILE).is_file():
                    return folder / MANIFEST_FILE
            raise DossierError(_(
                "{manifest}: no numéro {number} in issues/: create it with 'dossier new --number {number}' "
                "or check the number"
            ).format(manifest=f"{candidates[0].relative_to(self.root)}/{MANIFEST_FILE}", number=int(text)))
        path = Path(text)
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            path = path / MANIFEST_FILE
        if not path.is_file():
            raise DossierError(_("{issue}: no such manifest: give a folder under issues/, its {file}, or a number")
                               .format(issue=text, file=MANIFEST_FILE))
        return path.resolve()


def _ignored(path: Path) -> bool:
    """Editors' swap and backup files are not part of anything."""
    return path.name.startswith((".", "#")) or path.name.endswith("~")
