"""The models, API models and hardware a text names, the longer name winning where two overlap.

"Mistral Small 3 24B Instruct" is an open model, though "Mistral Small" alone is also an API's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.loader import KnowledgeBase
from bot.parse.names import mentions

TABLES = ("models", "api_models", "hardware")


@dataclass(frozen=True)
class Named:
    table: str
    entry_id: str
    start: int
    end: int


def named(kb: KnowledgeBase, text: str) -> list[Named]:
    found = [Named(table, m.entry_id, m.start, m.end) for table in TABLES for m in mentions(kb, table, text)]
    kept: list[Named] = []
    for name in sorted(found, key=lambda n: n.start - n.end):  # longest first
        if all(name.end <= other.start or name.start >= other.end for other in kept):
            kept.append(name)
    return sorted(kept, key=lambda n: n.start)
