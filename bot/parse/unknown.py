"""Model names the knowledge base does not hold ("llama3.1:405b", "qwen9:70b", "gpt-7-turbo").

Such a name is never dropped in silence: it is said in the notes with the closest
names we know, and the closest stands in for it, so the answer is about the
nearest thing we can price and size, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.names import closest
from bot.parse.facts import Fact
from bot.parse.names import mentions, says_api

MAX_UNKNOWN = 3
"""Names looked up per message; more are counted in one note (each look-up compares every name we know)."""
_SUFFIXES = (
    "turbo|mini|nano|pro|flash|lite|opus|sonnet|haiku|instruct|chat|small|medium|large|preview|latest|coder|vision"
)
_TABLES = {"models": ("model", "model"), "api_models": ("api_model", "API model")}


@dataclass(frozen=True)
class Unknown:
    table: str
    """"models" or "api_models": where the name would belong."""
    name: str
    start: int
    end: int
    closest: tuple[str, ...]
    """Entry ids of the names most like it, closest first; empty when none is close."""


@cache
def _families(kb: KnowledgeBase, table: str) -> frozenset[str]:
    """The words model names begin with ("llama", "qwen", "gpt", "claude"), from the knowledge base."""
    names: list[str] = list(getattr(kb, table))
    if table == "models":
        names += [tag for model in kb.models.values() for tag in model.ollama_tags]
    return frozenset(m.group(0) for name in names if (m := re.match(r"[a-z]{3,}", name.lower())))


@cache
def _candidates(kb: KnowledgeBase) -> re.Pattern[str]:
    """A family word followed by a version ("gpt-7-turbo", "llama 4 maverick" up to its known words),
    or anything shaped like an Ollama tag with a size ("foo:7b")."""
    families = "|".join(sorted(_families(kb, "models") | _families(kb, "api_models"), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w.:/-])(?:(?:{families})(?:[-\s](?:{_SUFFIXES})){{0,2}}[-\s]?[vr]?\d[\w.:-]{{0,40}}+(?:[-\s](?:{_SUFFIXES}|\d[\w.]{{0,10}}+)\b){{0,3}}"
        rf"|[a-z][\w.-]{{0,40}}+:\d+(?:\.\d+)?[bm]\b)"
    )


@dataclass(frozen=True)
class ModelLike:
    """What in a message looks like a model's name."""

    unknown: tuple[Unknown, ...]
    """Up to `MAX_UNKNOWN` names no entry answers to."""
    more: tuple[str, ...]
    """Unknown names past those, not looked up."""
    spans: tuple[tuple[int, int], ...]
    """Every model-like name, known or not ("claude 3 opus" around the known "opus"): never a volume."""


@lru_cache(maxsize=64)  # read once to mask the names, once for the facts
def model_like(kb: KnowledgeBase, text: str) -> ModelLike:
    known = [m for table in ("models", "api_models", "hardware") for m in mentions(kb, table, text)]
    found: list[Unknown] = []
    more: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _candidates(kb).finditer(text):
        name = match.group(0).rstrip(".:-")
        start, end = match.start(), match.start() + len(name)
        spans.append((start, end))
        if any(m.start < end and start < m.end for m in known):
            continue
        if len(found) == MAX_UNKNOWN:
            more.append(name)
            continue
        table, ids = _place(kb, name, says_api(text, end))
        found.append(Unknown(table, name, start, end, ids))
    return ModelLike(tuple(found), tuple(more), tuple(spans))


def _place(kb: KnowledgeBase, name: str, api: bool) -> tuple[str, tuple[str, ...]]:
    """The table a name belongs to, with the closest entries there: an Ollama tag is an open model, a
    name said to be an API's is an API model; else its family's, or the closer of the two when both have it."""
    family = re.split(r"[^a-z]", name, maxsplit=1)[0]
    tables = ["models"] if ":" in name else ["api_models"] if api else list(_TABLES)
    tables = [t for t in tables if any(family.startswith(f) for f in _families(kb, t))] or tables
    scored = {table: closest(kb, table, name) for table in tables}
    table = max(tables, key=lambda t: (scored[t][0][0] if scored[t] else 0.0, t == "api_models"))
    return table, tuple(entry_id for _, entry_id in scored[table])


def unknown_model_facts(kb: KnowledgeBase, text: str) -> list[Fact]:
    """For each unknown name, the closest entry standing in for it, or the name set aside; a note either way."""
    found = model_like(kb, text)
    facts = []
    for unknown in found.unknown:
        field, kind = _TABLES[unknown.table]
        entries = getattr(kb, unknown.table)
        said = f"I don't know the {kind} '{unknown.name}'"
        if not unknown.closest:
            facts.append(Fact(field, None, unknown.name, problem=f"{said}, nor one close to it"))
            continue
        like = ", ".join(f"{entries[i].name} ({i})" if entries[i].name != i else i for i in unknown.closest)
        are = "is" if len(unknown.closest) == 1 else "are"
        facts.append(
            Fact(
                field,
                unknown.closest[0],
                unknown.name,
                reason=f"the closest we know to '{unknown.name}'",
                how="inferred",
                problem=f"{said}; the closest {are} {like}",
            )
        )
    if more := found.more:
        names = ", ".join(more[:3]) + (", …" if len(more) > 3 else "")
        facts.append(Fact("", None, names, problem=f"{len(more):,} more model names I don't know were not looked up"))
    return facts
