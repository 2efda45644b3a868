"""The names knowledge-base entries answer to, matched one way for lookups, the parser, suggestions
and `knowledge check`: every spelling (`Named.spellings`) in its `normalise_name` form."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.base import Named, normalise_name

SIMILAR = 0.6
"""How alike (difflib's ratio) a name must be to an entry's to be offered as what was meant."""


def claimants(entries: Iterable[Named]) -> dict[str, dict[str, str]]:
    """Each normalised name -> the entries that answer to it (id -> the name as written), in order."""
    found: dict[str, dict[str, str]] = {}
    for entry in entries:
        for name in entry.spellings():
            found.setdefault(normalise_name(name), {}).setdefault(entry.id, name)
    return found


@cache
def owners(kb: KnowledgeBase, table: str) -> dict[str, str]:
    """Each normalised name in `table` -> the id of the entry it names (`knowledge check` keeps them unique;
    were two to claim one, the first would keep it)."""
    entries: dict[str, Named] = getattr(kb, table)
    return {name: next(iter(ids)) for name, ids in claimants(entries.values()).items()}


def owner_of(kb: KnowledgeBase, table: str, name: str) -> str | None:
    """The id of the entry of `table` that answers to `name`, if one does."""
    return owners(kb, table).get(normalise_name(name))


def closest(kb: KnowledgeBase, table: str, name: str, n: int = 3) -> list[tuple[float, str]]:
    """The entries of `table` whose names are most like `name`: (similarity, entry id), best first."""
    matcher = difflib.SequenceMatcher(b=normalise_name(name))
    scored: dict[str, float] = {}
    for candidate, entry_id in owners(kb, table).items():
        matcher.set_seq1(candidate)
        if (
            matcher.real_quick_ratio() >= SIMILAR
            and matcher.quick_ratio() >= SIMILAR
            and (ratio := matcher.ratio()) >= SIMILAR
        ):
            scored[entry_id] = max(ratio, scored.get(entry_id, 0.0))
    return sorted(((ratio, entry_id) for entry_id, ratio in scored.items()), reverse=True)[:n]
