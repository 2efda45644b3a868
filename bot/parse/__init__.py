"""Reads a team's own words into a `Workload`, each fact with the words it came from.

Rules read what is plainly stated; nothing is guessed here. What the text does
not say stays unset, and the checker assumes it from the defaults, saying so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.knowledge.loader import KnowledgeBase
from bot.parse.build import MAX_NOTES, Parsed, build
from bot.parse.data import data_facts
from bot.parse.facts import Doubt, Fact
from bot.parse.hardware import hardware_facts
from bot.parse.jobs import job_facts
from bot.parse.latency import latency_facts
from bot.parse.levers import lever_facts
from bot.parse.money import money_facts
from bot.parse.names import mask_names
from bot.parse.quality import model_facts
from bot.parse.quantities import long_numbers
from bot.parse.service import service_facts
from bot.parse.spend import spend_facts
from bot.parse.team import team_facts
from bot.parse.text import clean, truncate
from bot.parse.unknown import model_like
from bot.parse.volume import volume_facts


def parse(text: str, kb: KnowledgeBase) -> Parsed:
    """Read a description of a workload; never raises on any text."""
    read, note = truncate(text or "")
    notes = [note] if note else []
    cleaned = clean(read)
    parsed = build(read_facts(cleaned, kb), kb, notes)
    parsed.on_topic = about_serving_models(cleaned)
    return parsed


_TOPIC = re.compile(
    r"self[- ]?host|host(?:ing)?\s+(?:it|our\s+own|ourselves|locally|in[- ]house)|on[- ]?prem|locally|\blocal\b|"
    r"\bcloud\b|\bapis?\b|\bllms?\b|\bmodels?\b|\bgpus?\b|inference|openai|anthropic|claude|gemini|\bgpt|ollama|"
    r"vllm|llama|mistral|\btokens?\b|our\s+own\s+(?:box|server|hardware|machine|cluster)|run\s+(?:it\s+)?ourselves",
)


def about_serving_models(text: str) -> bool:
    """Whether a message is about running a language model at all, however little it says."""
    return bool(_TOPIC.search(text.lower()))


def read_facts(text: str, kb: KnowledgeBase) -> list[Fact]:
    """Every fact the rules find, in the order of the rules; the first of a field counts.

    The rules match lower-case text (case-insensitive matching is several times
    slower); each span is then given back in the writer's own case. A run of digits too long
    to be a figure is set aside first, whole, so no rule reads a part of it.
    """
    text, runs = long_numbers(text)
    low = _lower_in_place(text)
    facts = [
        *(
            Fact("", None, run, problem=f"a number of {digits:,} digits is no figure of a workload")
            for run, digits in runs
        ),
        *volume_facts(mask_names(kb, low, model_like(kb, low).spans)),
        *model_facts(kb, low),
        *data_facts(kb, low),
        *lever_facts(low),
        *service_facts(low),
        *latency_facts(low),
        *job_facts(low),
        *team_facts(low),
        *hardware_facts(kb, low),
        *money_facts(kb, low),
        *spend_facts(kb, low),
    ]
    return [_in_original_case(fact, text, low) for fact in facts]


def _in_original_case(fact: Fact, text: str, low: str) -> Fact:
    """`fact` with its words, and those a doubt quotes, as the message writes them."""
    doubt = fact.doubt
    if doubt is not None:
        doubt = _QUOTED.sub(lambda said: f"'{_original_case(said.group(1), text, low)}'", doubt)
    return replace(fact, span=_original_case(fact.span, text, low), doubt=doubt)


_QUOTED = re.compile(r"'([^']+)'")


def _lower_in_place(text: str) -> str:
    """Lower case that keeps every character where it was (some lower to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _original_case(span: str, text: str, low: str) -> str:
    """`span`, found in `low`, as `text` writes it; spans joined from several places part by part."""
    for joiner in ("; ", " … "):
        if joiner in span and span not in low:
            return joiner.join(_original_case(part, text, low) for part in span.split(joiner))
    at = low.find(span)
    return text[at : at + len(span)] if at >= 0 else span


__all__ = ["MAX_NOTES", "Doubt", "Fact", "Parsed", "about_serving_models", "build", "parse", "read_facts"]
