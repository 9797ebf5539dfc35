"""The back pages of a numéro: the publisher's page and inserts, shared through publication.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..i18n import N_
from .fields import ImagePath, Markdown, Strict, Text, Url


class Action(Strict):
    __doc__ = N_("A button-like link on a back page; without url it prints as a label.")

    label: Text
    url: Url | None = None


class PageItem(Strict):
    title: Text | None = None
    text: Markdown


class PageBlock(Strict):
    title: Text
    text: Markdown | None = None
    items: list[PageItem] = []
    action: Action | None = None


class PageSection(Strict):
    title: Text | None = None
    intro: Markdown | None = None
    style: Literal["missions", "facts", "calls"] = "missions"
    blocks: list[PageBlock] = []


class Page(Strict):
    __doc__ = N_("A back page: the publisher's page or an insert, shared by every numéro.")

    layout: Literal["about", "insert"] = Field("about",
        description=N_("about: the publisher's page; insert: a promotional page.")
    )
    sommaire: Text | None = Field(None, description=N_("Its line in the sommaire; without it the page is not listed."))
    kicker: Text | None = Field(None, description=N_("A short line above the title."))
    title: Text = Field(description=N_("The page's title."))
    subtitle: Text | None = Field(None, description=N_("A line under the title."))
    meta: list[Text] = Field([], description=N_("Lines of text under the subtitle."))
    intro: Markdown | None = Field(None, description=N_("The opening text, Markdown."))
    actions: list[Action] = Field([], description=N_("Button-like links: label and url."))
    note: Text | None = Field(None, description=N_("A small note."))
    sections: list[PageSection] = Field([], description=N_("Sections of blocks, styled as missions, facts or calls."))
    contact: Markdown | None = Field(None, description=N_("The contact line at the bottom, Markdown."))
    image: ImagePath | None = Field(None, description=N_("An image; in publication.yaml, from the project root."))
    alt: Text | None = Field(None, description=N_("The image's text alternative."))
