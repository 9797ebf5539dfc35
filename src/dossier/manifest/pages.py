"""The back pages of a numéro: the publisher's page and inserts, shared through publication.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .fields import ImagePath, Markdown, Strict, Text, Url


class Action(Strict):
    """A button-like link on a back page; without url it prints as a label."""

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
    """A back page: the publisher's page or an insert, shared by every numéro."""

    layout: Literal["about", "insert"] = Field("about", description="about: the publisher's page; insert: a promotional page.")
    sommaire: Text | None = Field(None, description="Its line in the sommaire; without it the page is not listed.")
    kicker: Text | None = Field(None, description="A short line above the title.")
    title: Text = Field(description="The page's title.")
    subtitle: Text | None = Field(None, description="A line under the title.")
    meta: list[Text] = Field([], description="Lines of text under the subtitle.")
    intro: Markdown | None = Field(None, description="The opening text, Markdown.")
    actions: list[Action] = Field([], description="Button-like links: label and url.")
    note: Text | None = Field(None, description="A small note.")
    sections: list[PageSection] = Field([], description="Sections of blocks, styled as missions, facts or calls.")
    contact: Markdown | None = Field(None, description="The contact line at the bottom, Markdown.")
    image: ImagePath | None = Field(None, description="An image; in publication.yaml, from the project root.")
    alt: Text | None = Field(None, description="The image's text alternative.")
