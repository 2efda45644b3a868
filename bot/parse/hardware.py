"""Hardware the team already owns, with how many, or hardware it is considering."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.names import Mention, mentions
from bot.parse.quantities import DECIMAL, WORD_NUMBERS, number_value

_OWNED_CUE = re.compile(
    r"(?:we|i)\s+(?:have|own|got|already\s+(?:have|own))|we'?ve\s+got|i'?ve\s+got|^\s*have\s+an?\b|"
    r"home\s*lab|in\s+my\s+lab|sitting\s+(?:idle|around|unused|there)|idle|unused|doing\s+nothing|"
    r"(?:collecting|gathering)\s+dust|spare|lying\s+around|(?:under|on)\s+(?:my|our|a)\s+desk|"
    r"in\s+(?:our|the|a)\s+(?:rack|closet|cupboard|office|server\s+room|dc|data\s*cent(?:er|re))|our\s+own|"
    r"(?:it'?s|is|we'?re|are|currently|today|already|now)\s+(?:\w+\s+)?(?:running|serving|hosted|deployed)\b|"
    r"\b(?:runs|serves)\s+(?:today\s+|currently\s+|already\s+)?(?:on|from)\b|"
    r"(?<!could )(?<!would )(?<!can )(?<!should )(?<!if )(?<!to )\bwe\s+(?:run|operate)\b|"
    r"(?:gives?|lends?|lent|loans?|loaned|donated|given)\s+(?:to\s+)?us\b|free\s+of\s+charge|at\s+no\s+cost|"
    r"\bfor\s+free\b|on\s+loan|(?<!not )(?<!n't )(?<!never )\b(?:bought|purchased)\b|"
    r"current(?:ly)?\s+(?:\w+\s+)?(?:box|server|setup|hardware|rig|machine|cluster)|\bexisting\b",
)
_OWNED_NEAR = re.compile(r"\balready\b(?!\s+(?:considering|thinking|looking|pricing|priced|quoted))")
"""Within a few words of the name: "a pair of L40S already"."""
_COUNT_AFTER = re.compile(
    rf"[^.(\n]{{0,20}}\(\s*(?P<count>\d+|{'|'.join(w for w in WORD_NUMBERS if w not in ('few', 'several', 'a', 'an'))})"
    r"\s+of\s+them",
)
_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$")
_COUNT_BEFORE = re.compile(
    rf"(?P<count>{DECIMAL}|(?:a|the)\s+(?:pair|couple)\s+of|"
    rf"{'|'.join(w for w in WORD_NUMBERS if w not in ('few', 'several'))})"
    r"\s*(?:x\s*|×\s*)?(?:nvidia\s+|geforce\s+|apple\s+|amd\s+|mac\s+studios?\s+)?\(?\s*$",
)
_GPUS_AFTER = re.compile(
    r"\s*(?:nodes?|servers?|box(?:es)?|machines?|systems?|chassis)?\s*(?:\(\s*|with\s+)(?P<gpus>\d+)\s*(?:x\s*)?"
    r"gpus?(?P<each>\s+each)?",
)


def hardware_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Hardware the team already owns (with how many), or hardware it is considering."""
    owned: dict[str, float] = {}
    spans: list[str] = []
    considering: Mention | None = None
    for mention in mentions(kb, "hardware", text):
        clause = _clause_around(text, mention)
        count, said_from = _count(text, mention)
        near = text[max(0, mention.start - 30) : mention.end + 30]
        if (
            _OWNED_CUE.search(clause)
            or _OURS_BEFORE.search(near[: mention.start - max(0, mention.start - 30)])
            or (_OWNED_NEAR.search(near))
        ):
            # One device named twice ("a Framework Desktop with the Ryzen AI Max+ 395") is one device.
            owned[mention.entry_id] = max(owned[mention.entry_id], count) if mention.entry_id in owned else count
            spans.append(text[said_from : mention.end])
        elif considering is None:
            considering = mention
    if owned:
        yield Fact("owned", [{"hardware": h, "count": n} for h, n in owned.items()], "; ".join(spans))
    if considering is not None and considering.entry_id not in owned:
        yield Fact("hardware", considering.entry_id, text[considering.start : considering.end])


def _count(text: str, mention: Mention) -> tuple[float, int]:
    """How many ("two 4090s", "the couple of L40S", "the 3090s (4 of them)"), and where a count before begins.

    Left as read (a "-2" or "2.5" is refused by the workload's bounds, with a note), never rounded.
    """
    reach = max(0, mention.start - 25)
    before = _COUNT_BEFORE.search(text[reach : mention.start])
    if gpus := _GPUS_AFTER.match(text, mention.end, mention.end + 30):
        each = number_value(before["count"]) if before and gpus["each"] else 1
        return each * number_value(gpus["gpus"]), reach + before.start() if before else mention.start
    if before:
        return number_value(before["count"]), reach + before.start()
    if after := _COUNT_AFTER.match(text[mention.end : mention.end + 40]):
        return number_value(after["count"]), mention.start
    return 1, mention.start


def _clause_around(text: str, mention: Mention) -> str:
    """The sentence around a mention, at most 80 characters either side (searched only that far,
    so a message naming hardware a thousand times is not read a thousand times over)."""
    reach = max(0, mention.start - 80)
    start = max(text.rfind(".", reach, mention.start), text.rfind("\n", reach, mention.start), reach)
    stop = mention.end + 80
    ends = [i for i in (text.find(".", mention.end, stop), text.find("\n", mention.end, stop)) if i != -1]
    return text[start : min([*ends, stop])]
