"""What a rule found: a field, its value, and the words it was read from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Fact:
    field: str
    value: object
    span: str
    reason: str | None = None
    """How the words became the value, when that is not obvious ("20 pages at 650 tokens")."""
    how: Literal["stated", "inferred"] = "stated"
    """Stated: read by the rules from the words in `span`; inferred: filled in by a model."""
