"""Finding the knowledge base's models, API models and hardware in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from bot.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class Mention:
    entry_id: str
    start: int
    end: int


@cache
def _pattern(kb: KnowledgeBase, table: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every name in `table`, longest first, and the entry each names.

    Separators are optional and interchangeable ("gpt-4o-mini", "gpt 4o mini",
    "gpt4o-mini"), and a trailing plural "s" is allowed ("two 4090s").
    """
    owner: dict[str, str] = {}
    for entry_id, entry in getattr(kb, table).items():
        for name in _spellings(entry):
            owner.setdefault(_key(name), entry_id)
    alternatives = sorted(owner, key=len, reverse=True)
    sources = [r"[\s._\-]?".join(re.escape(part) for part in key.split(" ")) for key in alternatives]
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(f"({s})" for s in sources) + r")s?(?![\w])", re.IGNORECASE)
    return pattern, {str(i + 1): owner[key] for i, key in enumerate(alternatives)}


def _spellings(entry: object) -> Iterable[str]:
    yield getattr(entry, "id")
    yield getattr(entry, "name")
    yield from getattr(entry, "aliases", [])
    yield from getattr(entry, "ollama_tags", [])
    model = getattr(entry, "model", None)
    if isinstance(model, str) and hasattr(entry, "provider"):
        yield model


def _key(name: str) -> str:
    """A name split into its parts at separators and at letter-digit boundaries."""
    parts = re.split(r"[\s._\-]+", name.lower().strip())
    return " ".join(p for p in parts if p)


def mentions(kb: KnowledgeBase, table: str, text: str) -> Iterator[Mention]:
    pattern, owners = _pattern(kb, table)
    for match in pattern.finditer(text):
        group = next(index for index, value in enumerate(match.groups(), 1) if value is not None)
        yield Mention(owners[str(group)], match.start(), match.end())


def mask_names(kb: KnowledgeBase, text: str) -> str:
    """`text` with model and hardware names blanked out, so "llama 70b" or "4090" is never a volume."""
    chars = list(text)
    for table in ("models", "api_models", "hardware"):
        for mention in mentions(kb, table, text):
            chars[mention.start : mention.end] = " " * (mention.end - mention.start)
    return "".join(chars)
