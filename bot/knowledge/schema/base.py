"""What every entry of `knowledge/` shares: strict validation, ids, names and the numbers they hold."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

KebabId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
ModelId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([.-][a-z0-9]+)*$", max_length=64)]
"""Model ids keep the version dots people write (llama-3.1-8b, qwen2.5-7b)."""
ProviderId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([_-][a-z0-9]+)*$", max_length=64)]
"""Provider ids as genai-prices spells them (huggingface_groq, x-ai), and GPU clouds alike."""
QuantId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=16)]
"""Quantisation ids keep llama.cpp's spelling in lower case (q4_k_m), as users type them."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LARGEST_FIGURE = 1e12
"""No figure in the knowledge base comes near it: a larger one is a typo, and would overflow the sums."""
Positive = Annotated[float, Field(gt=0, le=LARGEST_FIGURE)]
Count = Annotated[int, Field(gt=0, le=LARGEST_FIGURE)]


class Entry(BaseModel):
    """Common settings: unknown fields are errors, so a typo cannot pass silently; nor can .inf or .nan."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Listed(Entry):
    """An entry of a list file, known by its id."""

    id: str


class Named(Listed):
    """An entry people refer to by name: its id, its name, and the other ways they write it."""

    name: str
    aliases: list[Text] = []

    def spellings(self) -> list[str]:
        """Every name this entry answers to (`knowledge check` keeps them unique across entries)."""
        return [self.id, self.name, *self.aliases]


_IGNORED_IN_NAMES = str.maketrans("", "", " \t\n\r\f\v\u00a0_.-")


def normalise_name(name: str) -> str:
    """The form names are compared in: case, spaces, dashes, dots and underscores ignored."""
    return name.casefold().translate(_IGNORED_IN_NAMES)
