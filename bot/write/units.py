"""A model's text cut into the units a reader is shown one at a time: lines and sentences.

A unit ends at a newline, or after a sentence's closing punctuation and the
space that follows it; until then it is held back. Each unit keeps its own
whitespace, so the units joined are the text.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"\n|[.!?][\"'\u2019\u201d)\]*_]*[ \t]")
_LIST_MARKER = re.compile(r"\s*(?:[-*•]\s*)?(?:\d{1,2}|[a-z])[.)]\s*")
""""1. " or "b) " opening a list item is not a sentence of its own."""


class Units:
    """Fed the text as it arrives, gives back each unit once it is complete."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, piece: str) -> list[str]:
        self.pending += piece
        units = []
        start = 0
        for boundary in _BOUNDARY.finditer(self.pending):
            unit = self.pending[start : boundary.end()]
            if _LIST_MARKER.fullmatch(unit):
                continue
            units.append(unit)
            start = boundary.end()
        self.pending = self.pending[start:]
        return units

    def rest(self) -> str:
        """What is left when the text has ended: the last unit, if it had no boundary."""
        rest, self.pending = self.pending, ""
        return rest


def split_units(text: str) -> list[str]:
    units = Units()
    return [*units.feed(text), *filter(None, [units.rest()])]
