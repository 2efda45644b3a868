"""Which model: the API used, the open model to run, the quality needed and a frontier share.

A model named as a bar ("Opus-grade answers", "as good as GPT-4.1", "GPT-4o-mini quality is
plenty") is the quality needed, not a model to use; one that failed ("Qwen 32B didn't pass our
evals") asks for the tier above it. A size ("a 3B model would do") is a tier too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.models import QUALITY_ORDER
from bot.parse.facts import Fact
from bot.parse.names import Mention, mentions, says_api
from bot.parse.quantities import DECIMAL, number_value
from bot.parse.text import says_any
from bot.parse.unknown import unknown_model_facts


def model_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """The API model used, the open model to run, the quality needed, a frontier share."""
    share = _frontier_share(text)
    if share is not None:
        yield share
    apis = list(mentions(kb, "api_models", text))
    models = list(mentions(kb, "models", text))
    # "Mistral Small through their API" names the hosted model; otherwise the open one.
    apis = [a for a in apis if not _overlaps(a, models) or says_api(text, a.end)]
    models = [m for m in models if not _overlaps(m, apis)]
    named: list[tuple[str, Mention, str]] = [
        *(("api_model", m, kb.api_models[m.entry_id].quality_tier) for m in apis),
        *(("model", m, kb.models[m.entry_id].quality_tier) for m in models),
    ]
    for field, mention, tier in sorted(named, key=lambda n: (n[0], not _switched_to(text, n[1]), n[1].start)):
        yield _as_named(text, field, mention, tier)
    for fact in unknown_model_facts(kb, text):
        at = text.find(fact.span)
        failed = _FAILED.match(text, at + len(fact.span)) if at >= 0 and fact.value is not None else None
        if failed and fact.field == "model":
            below = kb.models[str(fact.value)].quality_tier
            yield Fact("quality", _above(below), f"{fact.span}{failed.group(0)}")
        else:
            yield fact
    rest = text.replace(share.span, " ") if share is not None else text
    for pattern, tier, cues in _QUALITY:
        if says_any(rest, cues) and (match := pattern.search(rest)):
            yield Fact("quality", tier, match.group(0))
    if _A_SIZE.search(rest) and (match := _SIZE_IS_ENOUGH.search(rest)):
        yield Fact("quality", _tier_of_size(float(match["size"])), match.group(0), f"a {match['size']}B model's tier")


_CLASS = re.compile(r"[\s-]*(?:level|class|quality|grade|equivalent|or\s+better|tier)\b")
_AS_GOOD_AS = re.compile(
    r"(?:as\s+(?:good|smart|capable|strong|accurate)\s+as|on\s+par\s+with|comparable\s+to|the\s+quality\s+of|"
    r"matching|match)\s+(?:the\s+)?$",
)
_NEEDED = re.compile(
    r"\b(?:need|needs|needed|must|should|has\s+to|have\s+to|want|wants|require[sd]?|something|anything)\b"
    r"[^.;!?\n]{0,24}$|\bat\s+least\s+$",
)
"""Before "as good as X": X is a bar the answers must meet, not a comparison asked about."""
_FAILED = re.compile(
    r"[^.;!?\n]{0,30}?(?:(?:was|is|were|are)(?:n'?t|\s+not)\s+(?:\w+\s+)?(?:good|smart|accurate|capable)\s+enough|"
    r"not\s+good\s+enough|didn'?t\s+(?:pass|cut\s+it|make\s+the\s+cut|do\s+well|hold\s+up)|"
    r"(?:failed|flunked)\s+(?:our|the)|fell\s+short|too\s+(?:dumb|weak|inaccurate))",
)


def _as_named(text: str, field: str, mention: Mention, tier: str) -> Fact:
    """A model named to use, as a bar to meet ("Sonnet-level", "as good as Opus"), or as one that failed."""
    said = text[mention.start : mention.end]
    after = text[mention.end : mention.end + 24]
    if _CLASS.match(after):
        return Fact("quality", tier, said + after.split(",")[0].rstrip())
    before = _AS_GOOD_AS.search(text, max(0, mention.start - 30), mention.start)
    if before and _NEEDED.search(text, max(0, before.start() - 40), before.start()):
        return Fact("quality", tier, text[before.start() : mention.end])
    if failed := _FAILED.match(text, mention.end):
        return Fact("quality", _above(tier), said + failed.group(0), f"more than {said}, which did not do")
    return Fact(field, mention.entry_id, said)


def _above(tier: str) -> str:
    return QUALITY_ORDER[min(QUALITY_ORDER.index(tier) + 1, len(QUALITY_ORDER) - 1)]


def _tier_of_size(billions: float) -> str:
    return "basic" if billions <= 4 else "good" if billions <= 15 else "strong" if billions <= 80 else "near-frontier"


def _overlaps(mention: Mention, others: list[Mention]) -> bool:
    return any(mention.start < o.end and o.start < mention.end for o in others)


def _switched_to(text: str, mention: Mention) -> bool:
    """ "…no wait, we moved to o3": a later correction outranks the first mention."""
    before = text[max(0, mention.start - 30) : mention.start]
    return bool(
        re.search(
            r"(?:moved|switched|migrated|changed|went)\s+(?:over\s+)?to\s+$|now\s+(?:on|using|use)\s+$|"
            r"instead\s+(?:of\s+\S+\s+)?(?:we\s+)?(?:use\s+)?$",
            before,
        )
    )


def _frontier_share(text: str) -> Fact | None:
    """ "10% need frontier reasoning", "1 in 10 needs a frontier model"; "100% need it" is everyone's quality."""
    for pattern, cued in zip(_FRONTIER_SHARES, _SHARE_CUES, strict=True):
        if cued(text) and (match := pattern.search(text)):
            if match.groupdict().get("of"):
                share = number_value(match["pct"]) / number_value(match["of"])
            else:
                share = number_value(match["pct"]) / 100
            return (
                Fact("quality", "frontier", match.group(0))
                if share == 1
                else Fact("frontier_share", share, match.group(0))
            )
    return None


_QUALITY = (
    (
        re.compile(r"\bnear[- ]frontier|\bnearly\s+frontier|\bjust\s+(?:below|under|short\s+of)\s+frontier"),
        "near-frontier",
        ("frontier",),
    ),
    (
        re.compile(
            r"(?<!near-)(?<!near )\b(?:frontier|state[- ]of[- ]the[- ]art|sota|best\s+(?:model|available|possible)|"
            r"top[- ]tier\s+model)"
        ),
        "frontier",
        ("frontier", "state", "sota", "best", "top"),
    ),
    (re.compile(r"\b(?:7|8)b[- ]?(?:class|level)"), "good", ("class", "level")),
    (re.compile(r"\b70b[- ]?(?:class|level)"), "strong", ("class", "level")),
    (
        re.compile(
            r"\b(?:small|tiny)\s+model\s+(?:is|would\s+be)\s+(?:fine|enough|ok|plenty)|\bsimple\s+classification|"
            r"(?:fine|ok|enough|good)\s+with\s+a\s+(?:small|tiny)\s+model"
        ),
        "basic",
        ("small", "tiny", "simple"),
    ),
)
_A_SIZE = re.compile(r"\d\s*b\b")
_SIZE_IS_ENOUGH = re.compile(
    r"(?<![\w.])(?:\d+(?:\.\d+)?\s*b?\s*[-–]\s*)?(?P<size>\d+(?:\.\d+)?)\s*b\b(?:[- ](?:class|level|params?))?\s+"
    r"(?:model\s+)?(?:\w+\s+){0,2}?(?:would\s+(?:\w+\s+)?do\b|(?:is|would\s+be)\s+(?:\w+\s+)?(?:enough|fine|plenty|ok|"
    r"okay|sufficient)|should\s+do\b|suffices|will\s+do\b|is\s+good\s+enough)",
)
_HARD = r"(?:frontier|(?:deep|hard|complex|multi[- ]step)\b[^.;\n]{0,30}reasoning|the\s+best|gpt-?5|opus|sonnet|\bo3\b)"
_ONE_IN = re.compile(r"\d\s+(?:in|out\s+of)\s+\d")
_SHARE_CUES: tuple[Callable[[str], bool], ...] = (
    lambda text: "%" in text,
    lambda text: "%" in text,
    lambda text: "%" in text,
    lambda text: bool(_ONE_IN.search(text)),
)
_FRONTIER_SHARES = (
    re.compile(
        rf"(?P<pct>{DECIMAL})\s*%\s*(?:of\s+(?:them|those|the\s+\w+|requests|queries|tickets|cases|traffic)\s+)?"
        rf"(?:\w+\s+){{0,4}}?(?:need|needs|require|requires)\b[^.;\n]{{0,40}}?{_HARD}[^.;\n]*",
    ),
    re.compile(
        rf"{_HARD}[^.;\n]{{0,30}}?\bfor\s+(?:about\s+|around\s+|~)?(?P<pct>{DECIMAL})\s*%\s+of",
    ),
    re.compile(
        rf"(?:hardest|toughest|trickiest|most\s+complex|hard)\s+~?\s*(?P<pct>{DECIMAL})\s*%\s+(?:\w+\s+)?"
        rf"(?:go|goes|need|needs|get|gets|are\s+sent|sent)\s+(?:to\s+)?(?:\w+\s+){{0,2}}?{_HARD}",
    ),
    re.compile(
        rf"(?<![\w.])(?P<pct>\d+)\s+(?:in|out\s+of)\s+(?P<of>\d+)\s+(?:\w+\s+)?(?:need|needs|require|requires)\b"
        rf"[^.;\n]{{0,40}}?{_HARD}",
    ),
)
