"""arguments.yaml and sources.yaml: the reasons that bear on local versus cloud, and what they cite."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from bot.knowledge.schema.base import Entry, KebabId, Listed, Text

Stance = Literal["local", "cloud", "depends"]
"""Which side an argument favours: running locally, a cloud API, or it depends."""

# Short phrases only: a quote is there to let a reader find the passage, not to
# reproduce the text.
MAX_QUOTE_WORDS = 20


class CitedSource(Listed):
    """A text or public reference that arguments cite."""

    id: KebabId
    title: Text
    kind: Literal["text", "reference"]
    """`text`: one of the texts the project began from; `reference`: public material."""
    file: str | None = None
    """For a `text`: its file name in the shared sources folder."""
    url: str | None = None
    publisher: str | None = None

    @model_validator(mode="after")
    def _text_has_file(self) -> CitedSource:
        if self.kind == "text" and not self.file:
            raise ValueError("a source of kind 'text' needs 'file', its name in the shared sources folder")
        return self


class Citation(Entry):
    """Where an argument comes from: a source id and, optionally, a short phrase from it."""

    source: KebabId
    quote: str | None = None
    """A short phrase copied exactly from the source, so a reader can find the passage."""
    locator: str | None = None
    """Where in the source: a section heading, an article number, a speaker."""

    @model_validator(mode="after")
    def _quote_is_short(self) -> Citation:
        if self.quote is not None and len(self.quote.split()) > MAX_QUOTE_WORDS:
            raise ValueError(f"quote is longer than {MAX_QUOTE_WORDS} words; cite a short phrase")
        return self


class Figure(Entry):
    """A number an argument rests on, kept as data so answers can check and reuse it."""

    name: Text
    value: float
    unit: Text


class Argument(Listed):
    """One reason that bears on local versus cloud, stated in the project's own words."""

    id: KebabId
    title: Text
    stance: Stance
    claim: Text
    applies_when: Text
    """The situations in which the argument carries weight."""
    cited: list[Citation] = Field(min_length=1)
    figures: list[Figure] = Field(default_factory=list)
    counters: list[KebabId] = Field(default_factory=list)
    """Ids of arguments this one answers or weakens."""
