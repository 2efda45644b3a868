"""currencies.yaml: what a currency is worth in US dollars, and how it is written."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import StringConstraints

from bot.knowledge.schema.base import Listed, Positive, Text


class Currency(Listed):
    """What one unit of a currency is worth in US dollars, and how it is written."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    """The ISO 4217 code."""
    name: Text
    symbol: Text
    """Written before an amount; a symbol of letters ("CHF") is followed by a space."""
    spellings: list[Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]]
    usd_per_unit: Positive
    source: Text
    as_of: date
    notes: str | None = None
