"""Follow-ups: "what if we double the volume?", "the data is confidential", "use a 5090 instead"."""

from __future__ import annotations

import re
from typing import Any

from bot.knowledge.loader import KnowledgeBase
from bot.parse import Parsed, build, read_facts
from bot.parse.facts import Fact
from bot.parse.quantities import DECIMAL, number_value
from bot.parse.text import clean, truncate
from bot.workload import Workload

_FACTOR_STEMS = (("doubl", 2.0), ("twice", 2.0), ("tripl", 3.0), ("quadrupl", 4.0), ("halv", 0.5), ("half", 0.5))
_SCALE = re.compile(
    r"\b(?P<word>double[sd]?|twice|triple[sd]?|quadruple|halve[sd]?|half)\b|"
    rf"(?P<times>{DECIMAL})\s*(?:x|×|times)(?!\w)|"
    rf"(?:grows?|increases?|goes\s+up)\s+(?:by\s+)?(?P<pct>{DECIMAL})\s*%",
    re.IGNORECASE,
)
_VOLUME_WORDS = re.compile(
    r"volume|traffic|load|requests|tokens|usage|queries|users|calls|scale|it\b|that\b", re.IGNORECASE
)
_ENGINEERS = re.compile(
    rf"(?P<n>{DECIMAL}|(?<![\w.])(?:one|two|three|four|five|six|seven|eight|nine|ten))\s+(?:engineers|people|devs)\b",
    re.IGNORECASE,
)


def refine(previous: Workload, text: str, kb: KnowledgeBase) -> Parsed:
    """`previous` changed by what a follow-up says; what it does not mention stays as it was."""
    read, note = truncate(text or "")
    notes = [note] if note else []
    cleaned = clean(read)
    facts = [*_relative_volume(previous, cleaned, kb), *_staffing(cleaned), *read_facts(cleaned, kb)]
    base: dict[str, Any] = previous.model_dump(exclude_defaults=True, exclude={"provenance"})
    base["provenance"] = dict(previous.provenance)
    return build(facts, kb, notes, base)


def _relative_volume(previous: Workload, text: str, kb: KnowledgeBase) -> list[Fact]:
    match = _SCALE.search(text)
    if match is None or not _VOLUME_WORDS.search(text):
        return []
    if match["word"]:
        factor = next(value for stem, value in _FACTOR_STEMS if match["word"].lower().startswith(stem))
    elif match["times"]:
        factor = number_value(match["times"])
    else:
        factor = 1 + number_value(match["pct"]) / 100
    span = match.group(0)
    if previous.tokens_per_day is not None:
        field, before = "tokens_per_day", previous.tokens_per_day
    else:
        field = "requests_per_day"
        before = previous.requests_per_day or kb.defaults.requests_per_day.value
    facts = [Fact(field, before * factor, span, f"{factor:g} x the {before:,.0f} before")]
    if previous.peak_requests_per_s is not None:
        facts.append(
            Fact("peak_requests_per_s", previous.peak_requests_per_s * factor, span, f"{factor:g} x the peak before")
        )
    return facts


def _staffing(text: str) -> list[Fact]:
    """In a follow-up about the team, "we have 3 engineers now" is the people who can run it."""
    match = _ENGINEERS.search(text)
    return [Fact("ops_staff", number_value(match["n"]), match.group(0))] if match else []
