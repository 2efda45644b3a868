"""Where the data may go, as teams say it, and the price levers their words imply.

    "air-gapped", "nothing may leave our network", PHI, PII            must-stay
    "stays in our AWS account", "inside our VPC"                        own-cloud
    "a BAA with AWS", "our DPA with Anthropic covers it", "zero retention"  under-contract
    "GDPR", "must be processed in the UK"                               in-region
    "public data", "nothing sensitive"                                  may-leave

A contract or a cloud account said outright outranks the care a kind of data would call for
on its own: "patient notes, but we have a BAA with AWS" may go to a provider with a BAA.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.names import mentions
from bot.parse.quantities import DIGIT_NUMBER, number_value

_MUST_STAY = (
    (r"\bpii\b|personally\s+identifiable|personal\s+data|customer\s+data", "pii"),
    (
        r"\bphi\b|patient|medical\s+records?|health\s+(?:data|records?)|clinical|patientendaten|donn[ée]es\s+m[ée]dicales",
        "phi",
    ),
    (r"\bhipaa\b", "hipaa"),
    (r"source[- ]code|our\s+code(?:base)?\s+(?:can'?t|cannot|must\s+not|may\s+not)", "source-code"),
    (r"intellectual\s+property|\bip\b|trade\s+secrets?|proprietary", "ip"),
    (r"\bconfidential\b|classified", "confidential"),
)
_SOFT_REASONS = ("ip", "confidential", "source-code")
_CANNOT_LEAVE = re.compile(
    r"(?:can'?t|cannot|can\s+not|must\s+not|mustn'?t|may\s+not|never|not\s+allowed\s+to|shouldn'?t|won'?t)\s+"
    r"(?:be\s+)?(?:leave|go|be\s+sent|sent|go\s+out|leave\s+our|be\s+shared|send)|no\s+third[- ]part(?:y|ies)|"
    r"stays?\s+(?:on[- ]prem|in[- ]house|inside)|air[- ]?gapped|darf\s+nichts\s+raus|d[üu]rfen\s+nicht\s+raus|"
    r"ne\s+(?:doit|peut)\s+pas\s+sortir|no\s+puede\s+salir",
)
_OWN_CLOUD = re.compile(
    r"(?:our|its|their)\s+own\s+(?:cloud|aws|gcp|azure)(?:\s+(?:account|tenancy|tenant|subscription|project))?"
    r"|\b(?:our|its|their)\s+vpc\b"
    r"|\b(?:in|inside|within)\s+our\s+(?:aws|gcp|azure|google\s+cloud|cloud)\s+"
    r"(?:account|tenancy|tenant|subscription|project|environment)",
)
_TERMS = (
    ("baa", re.compile(r"\bbaas?\b|business\s+associate\s+(?:agreement|addendum)")),
    ("dpa", re.compile(r"\bdpas?\b|data\s+processing\s+(?:agreement|addendum)")),
    ("zdr", re.compile(r"zero[- ](?:data[- ])?retention|\bzdr\b")),
)
_GDPR = re.compile(r"\bgdpr\b|\bdsgvo\b|\brgpd\b")
_REGION_WORDS = (
    ("eu", r"eu|eea|europe|european\s+union|germany|france|deutschland|der\s+eu|europa"),
    ("uk", r"uk|britain|united\s+kingdom|england"),
    ("us", r"us|usa|united\s+states"),
)
_REGION_NAMES = "|".join(words for _, words in _REGION_WORDS)
_RESIDENCY = re.compile(
    rf"data\s+residency|(?:stay|remain|kept|be\s+kept|hosted|stored|processed)\s+(?:with)?in\s+(?:the\s+)?"
    rf"(?P<region>{_REGION_NAMES}|switzerland|country|region)\b|\b(?P<only>eu|uk|us)[- ]only\b|"
    r"in\s+(?:deutschland|der\s+eu|europa)\s+bleiben|rester\s+en\s+(?:france|europe)",
)
_PUBLIC = re.compile(
    r"public\s+(?:\w+\s+){0,2}(?:data|posts?|content|documents?|pages?|filings?|info(?:rmation)?)|"
    r"nothing\s+(?:is\s+)?sensitive|not\s+sensitive|(?:all|only)\s+public|no\s+sensitive",
)
CONTRACT_WINDOW = 60
"""Characters either side of "BAA" or "DPA" where the provider it is with is named."""


def data_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Where the data may be processed, why, and under which terms or in which region."""
    reasons = [(tag, m) for pattern, tag in _MUST_STAY if (m := re.search(pattern, text))]
    tags = [tag for tag, _ in reasons]
    spans = [m.group(0) for _, m in reasons]
    leave, own_cloud = _CANNOT_LEAVE.search(text), _OWN_CLOUD.search(text)
    terms = [(term, m) for term, pattern in _TERMS if (m := pattern.search(text))]
    gdpr, residency = _GDPR.search(text), _RESIDENCY.search(text)
    if leave:
        yield from _policy("must-stay", tags or ["confidential"], [*spans, leave.group(0)])
    elif own_cloud:
        yield from _policy("own-cloud", tags, [*spans, own_cloud.group(0)])
    elif terms:
        said = [m.group(0) for _, m in terms]
        yield from _policy("under-contract", tags, [*spans, *said])
        yield Fact("data_terms", [term for term, _ in terms], "; ".join(said))
        if providers := _contract_providers(kb, text, [m for _, m in terms]):
            yield Fact("data_providers", [p for p, _ in providers], "; ".join(span for _, span in providers))
    elif [t for t in tags if t not in _SOFT_REASONS] or (reasons and not (gdpr or residency)):
        yield from _policy("must-stay", tags, spans)
    elif gdpr or residency:
        found = [(tag, m) for tag, m in (("gdpr", gdpr), ("residency", residency)) if m]
        yield from _policy("in-region", [tag for tag, _ in found], [m.group(0) for _, m in found])
        if (where := _region(gdpr, residency)) is not None:
            yield Fact("data_region", where, (residency or gdpr).group(0))  # type: ignore[union-attr]
    elif public := _PUBLIC.search(text):
        yield from _policy("may-leave", ["public"], [public.group(0)])


def _policy(policy: str, reasons: list[str], spans: list[str]) -> Iterator[Fact]:
    span = "; ".join(spans)
    yield Fact("data_policy", policy, span)
    if reasons:
        yield Fact("data_reasons", reasons, span)


def _contract_providers(kb: KnowledgeBase, text: str, said: list[re.Match[str]]) -> list[tuple[str, str]]:
    """Providers named next to the contract: "our DPA with Anthropic covers it"."""
    found: dict[str, str] = {}
    for match in said:
        start = max(0, match.start() - CONTRACT_WINDOW)
        for mention in mentions(kb, "providers", text[start : match.end() + CONTRACT_WINDOW]):
            found.setdefault(mention.entry_id, text[start + mention.start : start + mention.end])
    return list(found.items())


def _region(gdpr: re.Match[str] | None, residency: re.Match[str] | None) -> str | None:
    """The region named, or the EU for GDPR alone; None for "our region"."""
    named = (residency["region"] or residency["only"] or residency[0]) if residency is not None else ""
    for region, words in _REGION_WORDS:
        if re.search(rf"\b(?:{words})\b", named):
            return region
    return "eu" if gdpr is not None else None


_PREFIX = (
    r"(?:system\s+prompt|shared\s+(?:prefix|context|instructions|prompt)"
    r"|same\s+(?:\w+\s+)?(?:prompt|context|instructions|prefix))"
)
_CACHED = (
    re.compile(rf"{_PREFIX}[^.;\n]{{0,30}}?{DIGIT_NUMBER}\s*(?:tokens?|toks?)"),
    re.compile(rf"{DIGIT_NUMBER}[- ]?(?:tokens?|toks?)\s+(?:of\s+)?(?:the\s+)?{_PREFIX}"),
)
_FINE_TUNED = re.compile(
    r"\bour\s+(?:own\s+)?fine[- ]?tune\b|\bfine[- ]?tuned\s+(?:model|version|\w+\s+model)|\bwe\s+fine[- ]?tuned\b"
    r"|\brun(?:ning)?\s+a\s+fine[- ]?tune\b",
)


def lever_facts(text: str) -> Iterator[Fact]:
    """A prompt prefix every request repeats (cached by APIs), and a fine-tune of the team's own."""
    match = next((m for pattern in _CACHED if (m := pattern.search(text))), None)
    if match and (value := round(number_value(match["num"], match["mult"]))):
        yield Fact("cached_input_tokens", value, match.group(0), "repeated in every request: APIs cache it")
    if match := _FINE_TUNED.search(text):
        yield Fact("fine_tuned", True, match.group(0))
