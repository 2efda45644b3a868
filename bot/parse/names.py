"""Finding the knowledge base's models, API models and hardware in free text.

Names are compared as the knowledge checks compare them (case, spaces, dots,
dashes and underscores ignored), over runs of consecutive words, so "gpt-4o
mini", "GPT 4o mini" and "gpt4o-mini" are one name. Set lookups over a
message's words keep this fast however many names the knowledge base holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import normalise_name

_WORD = re.compile(r"[A-Za-z0-9][\w.+:'’-]*")
_TRAILING = ".:-'’"


@dataclass(frozen=True)
class Mention:
    entry_id: str
    start: int
    end: int


@dataclass(frozen=True)
class _Names:
    owner: dict[str, str]
    """Normalised name -> entry id."""
    prefixes: frozenset[str]
    """Every beginning of a normalised name: a run of words that is not one can stop growing."""


@cache
def _names(kb: KnowledgeBase, table: str) -> _Names:
    owner: dict[str, str] = {}
    for entry_id, entry in getattr(kb, table).items():
        for name in entry.spellings():
            owner.setdefault(normalise_name(name), entry_id)
    prefixes = frozenset(name[:i] for name in owner for i in range(1, len(name) + 1))
    return _Names(owner, prefixes)


def mentions(kb: KnowledgeBase, table: str, text: str) -> tuple[Mention, ...]:
    """Each name of `table` in `text`, the longest at each place, left to right."""
    return _mentions(kb, table, text)


@lru_cache(maxsize=64)  # one message is scanned by several rules
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each word's start, end and normalised form."""
    words = []
    for match in _WORD.finditer(text):
        word = match.group(0).rstrip(_TRAILING)
        words.append((match.start(), match.start() + len(word), normalise_name(word)))
    return tuple(words)


@lru_cache(maxsize=64)
def _mentions(kb: KnowledgeBase, table: str, text: str) -> tuple[Mention, ...]:
    names = _names(kb, table)
    words = _words(text)
    found: list[Mention] = []
    i = 0
    while i < len(words):
        best = None
        joined = ""
        for j in range(i, len(words)):
            joined += words[j][2]
            for candidate in (joined, joined[:-1] if joined.endswith("s") else ""):  # "two 4090s"
                if candidate in names.owner:
                    best = (j, names.owner[candidate])
            if joined not in names.prefixes:
                break
        if best is None:
            i += 1
            continue
        j, entry_id = best
        found.append(Mention(entry_id, words[i][0], words[j][1]))
        i = j + 1
    return tuple(found)


def mask_names(kb: KnowledgeBase, text: str) -> str:
    """`text` with model and hardware names blanked out, so "llama 70b" or "4090" is never a volume."""
    chars = list(text)
    for table in ("models", "api_models", "hardware"):
        for mention in mentions(kb, table, text):
            chars[mention.start : mention.end] = " " * (mention.end - mention.start)
    return "".join(chars)
