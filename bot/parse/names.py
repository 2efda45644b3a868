"""Finding the knowledge base's models, API models and hardware in free text.

Names are compared as the knowledge checks compare them (case, spaces, dots,
dashes and underscores ignored), over runs of consecutive words, so "gpt-4o
mini", "GPT 4o mini" and "gpt4o-mini" are one name. Set lookups over a
message's words keep this fast however many names the knowledge base holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.names import owners
from bot.knowledge.schema.base import normalise_name
from bot.parse.text import single_spaced

_WORD = re.compile(r"[A-Za-z0-9][\w.+:'’]*")
_TRAILING = ".:-'’"
_JOINS = re.compile(r"[\s._/:()-]*")
"""What may stand between the words of one name: "gpt 4o mini", "gpt-4o-mini", "llama 3.1"."""


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
    owner = owners(kb, table)
    prefixes = frozenset(name[:i] for name in owner for i in range(1, len(name) + 1))
    return _Names(owner, prefixes)


def says_api(text: str, end: int) -> bool:
    """Whether the name ending at `end` is said to be used through an API ("Mistral Small through their API")."""
    return bool(_API_AFTER.match(text, end))


_API_AFTER = re.compile(r"[^.;\n]{0,30}\bapi\b")


def mentions(kb: KnowledgeBase, table: str, text: str) -> tuple[Mention, ...]:
    """Each name of `table` in `text`, the longest at each place, left to right."""
    if table in SCANNED:
        return _scanned(kb, text)[SCANNED.index(table)]
    return _mentions(kb, (table,), text)[0]


SCANNED = ("models", "api_models", "hardware")
"""The tables every message is read for: found in one pass over its words, not one pass each."""


@lru_cache(maxsize=64)  # one message is scanned by several rules
def _scanned(kb: KnowledgeBase, text: str) -> tuple[tuple[Mention, ...], ...]:
    return _mentions(kb, SCANNED, text)


@lru_cache(maxsize=64)  # one message is scanned by several rules
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each word's start, end and normalised form."""
    words = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        word = (word[:-2] if word.endswith(("'s", "’s")) else word).rstrip(_TRAILING)  # "gpt-4o's price": gpt-4o
        words.append((match.start(), match.start() + len(word), normalise_name(word)))
    return tuple(words)


@cache
def _prefixes(kb: KnowledgeBase, tables: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_names(kb, table).prefixes for table in tables))


@lru_cache(maxsize=64)
def _mentions(kb: KnowledgeBase, tables: tuple[str, ...], text: str) -> tuple[tuple[Mention, ...], ...]:
    """For each of `tables`, its names in `text`: at each word, the longest run of words that is one."""
    owners = [_names(kb, table).owner for table in tables]
    prefixes = _prefixes(kb, tables)
    words = _words(text)
    best: list[list[tuple[int, str] | None]] = []  # at each word, per table: the last word of the longest name
    for i in range(len(words)):
        found: list[tuple[int, str] | None] = [None] * len(tables)
        joined = ""
        for j in range(i, len(words)):
            if j > i and not _JOINS.fullmatch(text, words[j - 1][1], words[j][0]):
                break  # "$4,090" is an amount, not a "4090"
            joined += words[j][2]
            for candidate in (joined, joined[:-1] if joined.endswith("s") else ""):  # "two 4090s"
                for at, owner in enumerate(owners):
                    if candidate in owner:
                        found[at] = (j, owner[candidate])
            if joined not in prefixes:
                break
        best.append(found)
    return tuple(_walk(text, words, [found[at] for found in best]) for at in range(len(tables)))


def _walk(
    text: str, words: tuple[tuple[int, int, str], ...], best: list[tuple[int, str] | None]
) -> tuple[Mention, ...]:
    """The names left to right, each the longest at its place, none inside another."""
    found: list[Mention] = []
    i = 0
    while i < len(words):
        here = best[i]
        if here is None or _cut_short(text, words, here[0]):
            i += 1
            continue
        j, entry_id = here
        found.append(Mention(entry_id, words[i][0], words[j][1]))
        i = j + 1
    return tuple(found)


_SUFFIXES = re.compile(
    r"level|class|grade|tier|quality|equivalent|like|style|sized|based|powered|only|instruct|chat|it|hf|awq|gptq|"
    r"gguf|exl2|mlx|q\d\w*|fp\d+|int\d|bf16|\d+bit|s"
)


def _cut_short(text: str, words: tuple[tuple[int, int, str], ...], last: int) -> bool:
    """Whether a name ends inside a longer hyphenated one: "claude-sonnet" in "claude-sonnet-9", but not
    "sonnet" in "sonnet-level" or "Qwen2.5-72B-Instruct" in "Qwen2.5-72B-Instruct-AWQ"."""
    end = words[last][1]
    if end >= len(text) or text[end] != "-" or last + 1 >= len(words) or words[last + 1][0] != end + 1:
        return False
    return not _SUFFIXES.fullmatch(words[last + 1][2])


def mask_names(kb: KnowledgeBase, text: str, unknown: Iterable[tuple[int, int]] = ()) -> str:
    r"""`text` with model and hardware names blanked out, so "llama 70b" or "4090" is never a volume.

    Each name becomes one space, and spaces stay single, so a message of names in a row
    ("4090 4090 4090 …") leaves no long run of spaces (see `single_spaced`).
    """
    found = sorted(
        [
            *((m.start, m.end) for table in ("models", "api_models", "hardware") for m in mentions(kb, table, text)),
            *unknown,
        ]
    )
    pieces, at = [], 0
    for start, end in found:
        if start >= at:
            pieces += [text[at:start], " "]
            at = end
        else:  # overlapping names ("llama 3.1" inside "llama 3.1 70b"): blank the longer reach
            at = max(at, end)
    return single_spaced("".join([*pieces, text[at:]]))
