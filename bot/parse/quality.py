"""Which model: the API used, the open model to run, the quality needed and a frontier share."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.names import Mention, mentions, says_api
from bot.parse.quantities import DECIMAL, number_value
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
    # "GPT-4o-class" or "Llama 70B-level is fine" names a quality, not a model to use.
    for mention in sorted(apis, key=lambda m: (not _switched_to(text, m), m.start)):
        if quality := _as_a_class(text, mention, kb.api_models[mention.entry_id].quality_tier):
            yield quality
        else:
            yield Fact("api_model", mention.entry_id, text[mention.start : mention.end])
    for mention in sorted(models, key=lambda m: (not _switched_to(text, m), m.start)):
        if quality := _as_a_class(text, mention, kb.models[mention.entry_id].quality_tier):
            yield quality
        else:
            yield Fact("model", mention.entry_id, text[mention.start : mention.end])
    yield from unknown_model_facts(kb, text)
    rest = text.replace(share.span, " ") if share is not None else text
    for pattern, tier in _QUALITY:
        if match := pattern.search(rest):
            yield Fact("quality", tier, match.group(0))


_CLASS = re.compile(r"[\s-]*(?:level|class|quality|grade|equivalent|or\s+better|tier)\b")


def _as_a_class(text: str, mention: Mention, tier: str) -> Fact | None:
    after = text[mention.end : mention.end + 24]
    if not _CLASS.match(after):
        return None
    return Fact("quality", tier, text[mention.start : mention.end] + after.split(",")[0].rstrip())


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
    """ "10% need frontier reasoning"; "100% need it" is the quality all of them need."""
    for pattern in _FRONTIER_SHARES:
        if match := pattern.search(text):
            share = number_value(match["pct"]) / 100
            return (
                Fact("quality", "frontier", match.group(0))
                if share == 1
                else Fact("frontier_share", share, match.group(0))
            )
    return None


_QUALITY = (
    (
        re.compile(
            r"\b(?:frontier|state[- ]of[- ]the[- ]art|sota|best\s+(?:model|available|possible)|top[- ]tier\s+model)"
        ),
        "frontier",
    ),
    (re.compile(r"\b(?:7|8)b[- ]?(?:class|level)|\b(?:7|8)b\s+(?:model\s+)?is\s+(?:fine|enough|ok|plenty)"), "good"),
    (re.compile(r"\b70b[- ]?(?:class|level)|\b70b\s+(?:is|would\s+be)\s+(?:fine|enough|ok)"), "strong"),
    (
        re.compile(
            r"\b(?:small|tiny)\s+model\s+(?:is|would\s+be)\s+(?:fine|enough|ok|plenty)|\bsimple\s+classification|"
            r"(?:fine|ok|enough|good)\s+with\s+a\s+(?:small|tiny)\s+model"
        ),
        "basic",
    ),
)
_HARD = r"(?:frontier|(?:deep|hard|complex|multi[- ]step)\b[^.;\n]{0,30}reasoning|the\s+best|gpt-?5|opus|sonnet|\bo3\b)"
_FRONTIER_SHARES = (
    re.compile(
        rf"(?P<pct>{DECIMAL})\s*%\s*(?:of\s+(?:them|those|the\s+\w+|requests|queries|tickets|cases|traffic)\s+)?"
        rf"(?:need|needs|require|requires)\b[^.;\n]{{0,40}}?{_HARD}[^.;\n]*",
    ),
    re.compile(
        rf"{_HARD}[^.;\n]{{0,30}}?\bfor\s+(?:about\s+|around\s+|~)?(?P<pct>{DECIMAL})\s*%\s+of",
    ),
)
