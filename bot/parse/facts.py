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
    """Stated: read by the rules from the words in `span`; inferred: filled in by a model, or the
    closest entry standing in for a name we don't know."""
    problem: str | None = None
    """Why the words cannot be taken as they stand ("a period of 0 days", "I don't know the model 'x'").
    With no value the words are set aside; with one, the value stands in for them. Either way the
    reader is told (see `bot.parse.build`)."""
    doubt: str | None = None
    """A question the words raise about this field, asked in the answer ("You gave two volumes: …").
    The fact is then not taken: its value, if any, is the other reading the question offers."""


@dataclass(frozen=True)
class Doubt:
    """What the words leave in doubt about a field, to be asked in the answer.

    Two volumes that disagree, data said to be public and personal, a value that cannot be.
    """

    field: str
    question: str
    alternative: object = None
    """The other reading, when there is one: the answer is worked out under it too, and only asks
    when the two disagree."""
