"""The manifest's model: one pydantic model serves validation and the JSON Schema.

The field types (and what each checks) are in ``fields``; here is the shape of a numéro,
of publication.yaml, and what a numéro is made of (``Issue.images()``).

Descriptions are what editors read in the JSON Schema: English source strings marked with
``N_`` and translated when the schema is written. A model's description is its docstring,
so the models that editors see set ``__doc__ = N_("…")`` instead of a docstring.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Field, PrivateAttr, Tag, model_validator

from ..colours import cover_rule, theme_palette
from ..i18n import N_, _
from .addresses import email_address
from .fields import (
    PLACEHOLDER,
    ArticleDate,
    Colour,
    ImagePath,
    IssueDate,
    Lang,
    LanguageTag,
    Markdown,
    Month,
    NumeroNumber,
    SiteUrl,
    Strict,
    Text,
    Url,
    french_date,
    placeholder,
)
from .mail_settings import MailSettings
from .pages import Action, Page, PageBlock, PageItem, PageSection
from .yamlfile import FieldPath

__all__ = ["PLACEHOLDER", "placeholder", "Action", "MailSettings", "Month", "Page", "PageBlock", "PageItem", "PageSection",
           "email_address", "french_date"]


class BackIssue(Strict):
    __doc__ = N_("A \"(Re)lire\" entry: an earlier numéro.")

    number: NumeroNumber = Field(description=N_("The earlier numéro's number."))
    date: IssueDate | None = Field(None, description=N_("When it came out: YYYY-MM-DD or YYYY-MM."))
    url: Url | None = Field(None, description=N_("Its address in full (https://…); leave it out while unknown, never '#'."))


class Initiative(Strict):
    __doc__ = N_("A \"bonne pratique\": one card in a theme of the practices part.")

    # First: the fields after it are typeset in its language.
    lang: Lang | None = Field(None, description=N_("This entry's language when it is not French: en, de, en-GB…"))
    title: Text = Field(description=N_("The card's title."))
    place: Text | None = Field(None, description=N_("The place tag at the top of the card, e.g. Montréal."))
    porteurs: list[Text] = Field(min_length=1, description=N_("Who carries the initiative: one or more."))
    text: Markdown = Field(description=N_("The card's text, Markdown: *emphasis*, **bold**, [links](https://…)."))
    image: ImagePath | None = Field(None, description=N_("An image beside the manifest: .jpg, .png, .svg or .webp."))
    alt: Text | None = Field(None, description=N_("The image's text alternative, read by screen readers."))
    url: Url | None = Field(None, description=N_("The \"En savoir plus\" link, in full (https://…); never '#'."))
    highlight: bool = Field(
        False, description=N_("Presented in the newsletter e-mail (default: each theme's first initiative).")
    )

    @model_validator(mode="after")
    def _alt_needs_image(self) -> Initiative:
        if self.alt is not None and self.image is None:
            raise ValueError(_("alt is given without an image: add the image or remove alt"))
        return self


class PracticeTheme(Strict):
    __doc__ = N_("One theme of \"Bonnes pratiques\" with its initiatives.")

    theme: Text = Field(description=N_("The theme's name, on its coloured band and in the sommaire."))
    colour: Colour | None = Field(
        None, description=N_("The theme's colour, #RRGGBB; default: the publication's palette, in order.")
    )
    initiatives: list[Initiative] = Field(min_length=1, description=N_("The theme's cards: at least one."))


class Resource(Strict):
    __doc__ = N_("A tile of \"S'informer & s'outiller\".")

    # First: the fields after it are typeset in its language.
    lang: Lang | None = Field(None, description=N_("This entry's language when it is not French: en, de, en-GB…"))
    organisation: Text = Field(description=N_("The organisation, printed unless a logo is given."))
    title: Text = Field(description=N_("The resource's title."))
    url: Url | None = Field(None, description=N_("Its address in full (https://…); never '#'."))
    logo: ImagePath | None = Field(
        None, description=N_("The organisation's logo beside the manifest, printed instead of its name.")
    )


class Article(Strict):
    __doc__ = N_("A reading of \"Analyse & prospective\".")

    # First: the fields after it are typeset in its language.
    lang: Lang | None = Field(None, description=N_("This entry's language when it is not French: en, de, en-GB…"))
    source: Text = Field(description=N_("The newspaper, review or site."))
    title: Text = Field(description=N_("The article's title."))
    date: ArticleDate | None = Field(None, description=N_("YYYY-MM-DD, YYYY-MM or free text such as \"printemps 2020\"."))
    url: Url | None = Field(None, description=N_("Its address in full (https://…); never '#'."))


class ReadingTheme(Strict):
    __doc__ = N_("A theme of \"Analyse & prospective\" with its articles.")

    theme: Text = Field(description=N_("The theme's name."))
    articles: list[Article] = Field(min_length=1, description=N_("The theme's articles: at least one."))


class Colours(Strict):
    accent: Colour = Field("#123a5a", description=N_("Titles, rules, links and the cover: #RRGGBB."))
    themes: list[Colour] = Field(
        default=["#c23c30", "#144e41", "#8b6523", "#5428a1"],
        min_length=1,
        description=N_("One colour per theme of \"Bonnes pratiques\", in order; more themes get colours made to differ "
                       "from these, each carrying white text."),
    )


class Publication(Strict):
    __doc__ = N_("Publication-wide content every numéro reuses (publication.yaml).")

    language: LanguageTag = Field("fr", description=N_(
        "The publication's language (fr, en…): of dossier's messages, of what dossier new writes, of the schema's "
        "descriptions. DOSSIER_LANG or --lang change the messages for one run."))
    series: Text = Field("Dossier spécial", description=N_("The series' name, in the running footer."))
    publisher: Text = Field(description=N_("The publisher's full name: the PDF's author."))
    publisher_short: Text | None = Field(None, description=N_("The publisher's short name, e.g. Chaire A&NMT."))
    byline: Text | None = Field(None, description=N_("The cover's byline."))
    url: Url | None = Field(None, description=N_("The publisher's web site, printed on the cover."))
    site_url: SiteUrl | None = Field(
        None, description=N_("Where `dossier site` is published, e.g. https://example.org/dossiers/: "
                             "\"(Re)lire\" links and the newsletter's links go to the web editions there.")
    )
    logo: ImagePath | None = Field(None, description=N_("Image from the project root, on the cover in place of the publisher."))
    colours: Colours = Field(Colours(), description=N_("The accent colour and the themes' palette."))
    pages: dict[str, Page] = Field({}, description=N_("Back pages by name; a numéro's pages list names them."))
    mail: MailSettings = MailSettings()


# A back page is named (a key of publication.yaml's pages) or written inline; the
# discriminator keeps pydantic from reporting a failed guess for the other form.
PageEntry = Annotated[
    Annotated[str, Tag("str")] | Annotated[Page, Tag("Page")],
    Discriminator(lambda value: "str" if isinstance(value, str) else "Page"),
]


@dataclass(frozen=True)
class ImageUse:
    """An image printed by a numéro: the field that names it, the project-relative file, its alt text."""

    field: FieldPath
    path: str
    alt: str | None


class Issue(Strict):
    __doc__ = N_("A numbered dossier: the manifest issues/NN/issue.yaml.")

    number: NumeroNumber = Field(description=N_("The numéro: 4 for issues/04."))
    title: Text = Field("Dossier spécial", description=N_("The title on the cover."))
    subtitle: Text = Field(description=N_("The theme line, on the cover and in the running footer."))
    date: IssueDate | None = Field(
        None, description=N_("When it comes out: YYYY-MM-DD or YYYY-MM; on the cover and in the PDF's metadata.")
    )
    edito: Markdown = Field(description=N_("The édito, Markdown; its first paragraph is set as the lead."))
    cover_image: ImagePath | None = Field(
        None, description=N_("A photograph for the cover's lower half, beside the manifest (.jpg, .png, .webp); "
                             "portrait or landscape, it is cropped to fit. Without it the cover lists the numéro's themes.")
    )
    cover_alt: Text | None = Field(None, description=N_("What the cover photograph shows, for screen readers."))
    cover_credit: Text | None = Field(None, description=N_("The photograph's credit line, e.g. \"Photo : Jeanne Martin\"."))
    back_issues: list[BackIssue] = Field([], description=N_("The \"(Re)lire\" box: earlier numéros."))
    practices: list[PracticeTheme] = Field([], description=N_("\"Bonnes pratiques\": one entry per theme, with its cards."))
    resources: list[Resource] = Field([], description=N_("\"S'informer & s'outiller\": one tile per resource."))
    readings: list[ReadingTheme] = Field([], description=N_("\"Analyse & prospective\": articles by theme."))
    pages: list[PageEntry] | None = Field(
        None,
        description=N_("Back pages in order: names of pages in publication.yaml, or pages written here. "
                       "Default: every page of publication.yaml."),
    )
    # Required once load.py has merged publication.yaml in; in the manifest it is an optional partial override.
    publication: Publication = Field(
        description=N_("This numéro's overrides of publication.yaml (merged over it), e.g. another accent colour.")
    )

    # Set by load_issue: the manifest this numéro was read from.
    _manifest: Path | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _cover_text_needs_image(self) -> Issue:
        if (self.cover_alt or self.cover_credit) and not self.cover_image:
            raise ValueError(_("cover_alt or cover_credit is given without cover_image: add the photograph or remove them"))
        return self

    @property
    def manifest(self) -> Path:
        """The manifest file this numéro was loaded from."""
        if self._manifest is None:
            raise ValueError("this Issue was not loaded from a manifest")
        return self._manifest

    def images(self) -> Iterator[ImageUse]:
        """Every image the numéro prints, in print order, with the field that names it.

        Back pages and the publisher's logo included: this is the one list that build,
        preview, check and mail use. Paths are project-relative (validated to exist).
        """
        if self.cover_image:
            yield ImageUse(("cover_image",), self.cover_image, self.cover_alt)
        if self.publication.logo:
            yield ImageUse(("publication", "logo"), self.publication.logo, self.publication.publisher)
        for t, theme in enumerate(self.practices):
            for i, initiative in enumerate(theme.initiatives):
                if initiative.image:
                    yield ImageUse(("practices", t, "initiatives", i, "image"), initiative.image, initiative.alt)
        for r, resource in enumerate(self.resources):
            if resource.logo:
                yield ImageUse(("resources", r, "logo"), resource.logo, resource.organisation)
        for field, page in self._back_pages_with_fields():
            if page.image:
                yield ImageUse((*field, "image"), page.image, page.alt)

    def _back_pages_with_fields(self) -> Iterator[tuple[FieldPath, Page]]:
        """The back pages in print order, each with where it is written (the numéro or publication.yaml)."""
        if self.pages is None:
            for name, page in self.publication.pages.items():
                yield ("publication", "pages", name), page
            return
        for index, entry in enumerate(self.pages):
            if isinstance(entry, str):
                yield ("publication", "pages", entry), self.publication.pages[entry]
            else:
                yield ("pages", index), entry

    def back_pages_with_fields(self) -> Iterator[tuple[FieldPath, Page]]:
        """The back pages in print order, each with the field where it is written (for checks' locations)."""
        return self._back_pages_with_fields()

    @property
    def back_pages(self) -> list[Page]:
        """The back pages in print order: references resolved, publication's by default."""
        if self.pages is None:
            return list(self.publication.pages.values())
        return [self.publication.pages[p] if isinstance(p, str) else p for p in self.pages]

    def theme_colour(self, index: int) -> str:
        """The theme's own colour, else the palette's (publication.yaml's, extended: dossier.colours.theme_palette)."""
        theme = self.practices[index]
        return theme.colour or theme_palette(self.publication.colours.themes, len(self.practices))[index]

    def theme_cover_rule(self, index: int) -> str:
        """The theme's colour as its rule on the cover: 3:1 or more against the accent."""
        return cover_rule(self.theme_colour(index), self.publication.colours.accent)

    @property
    def slug(self) -> str:
        return f"dossier-special-{self.number:02d}"


def model_at(path: FieldPath, root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The model whose fields are written at ``path`` of a manifest (list indices and page names passed over)."""
    current: Any = root or Issue
    for part in path:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:  # a key of a mapping such as publication.pages
            continue
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_order(path: FieldPath) -> list[str]:
    """The fields of the model at ``path`` in the order the model declares them (new keys are written so)."""
    found = model_at(path)
    return list(found.model_fields) if found else []
