"""The price levers a team's words imply: a prompt prefix every request repeats, a fine-tune of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.quantities import DIGIT_NUMBER, number_value

_PREFIX = (
    r"(?:system\s+prompt|shared\s+(?:prefix|context|instructions|prompt)"
    r"|same\s+(?:\w+\s+)?(?:prompt|context|instructions|prefix))"
)
_CACHED = (
    re.compile(rf"{_PREFIX}[^.;\n]{{0,30}}?{DIGIT_NUMBER}\s*(?:tokens?|toks?)"),
    re.compile(rf"{DIGIT_NUMBER}[- ]?(?:tokens?|toks?)\s+(?:of\s+)?(?:the\s+)?{_PREFIX}"),
    re.compile(rf"{DIGIT_NUMBER}\s*(?:tokens?\s+)?of\s+(?:that|those|it|them)\s+(?:is|are)\s+(?:the\s+)?same\b"),
)
_FINE_TUNED = re.compile(
    r"\bour\s+(?:own\s+)?(?:lora\s+|qlora\s+)?fine[- ]?tune\b|\bfine[- ]?tuned\s+(?:model|version|\w+\s+model)|"
    r"\b(?:a|our|the|their)\s+(?:own\s+)?fine[- ]?tuned\b|"
    r"\bwe\s+(?:have\s+)?fine[- ]?tuned\b|\brun(?:ning)?\s+a\s+(?:lora\s+)?fine[- ]?tune\b|"
    r"\b(?:q?lora)\s+(?:adapter|fine)",
)


def lever_facts(text: str) -> Iterator[Fact]:
    """A prompt prefix every request repeats (cached by APIs), and a fine-tune of the team's own."""
    cued = any(word in text for word in ("prompt", "prefix", "context", "instructions", "same"))
    match = next((m for pattern in _CACHED if (m := pattern.search(text))), None) if cued else None
    if match and (value := round(number_value(match["num"], match["mult"]))):
        yield Fact("cached_input_tokens", value, match.group(0), "repeated in every request: APIs cache it")
    if ("tun" in text or "lora" in text) and (match := _FINE_TUNED.search(text)):
        yield Fact("fine_tuned", True, match.group(0))
