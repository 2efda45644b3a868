"""How big a request is: tokens in and out, as people write them.

    "~800 tokens in, 200 out", "prompts are big, like 30k tokens of repo context"   explicit
    "prompts can be up to 4096 tokens but usually around 2,000"                     the usual, not the cap
    "a 40-page contract", "a ~1,000 word report"                                    pages and words
    "long prompts", "short answers", "a sentiment label"                            words, when no number

A number beats a word: "long prompts (~8k tokens)" is 8,000 tokens, not "long".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.parse.facts import Fact
from bot.parse.quantities import APPROX, DECIMAL, DIGIT_NUMBER, WORD_NUMBERS, number_starts, number_value
from bot.parse.words import TOKENS, VOLUME_NOUN, anchored, span_of

_SIZE = rf"(?:(?P<lo>\d+(?:[.,]\d+)?)\s*(?:-|–|to)\s*)?{DIGIT_NUMBER}\s*"
_NOT_DAILY = r"(?!\s*(?:/|per|a|an)\s*(?:day|week|month|hour|minute|second|year)\b)"
_INPUTS = (
    r"prompts?|promts?|inputs?|context|questions?|articles?|documents?|docs?|emails?|tickets?|transcripts?|"
    r"messages?|tweets?|posts?|files?|contracts?"
)
_OUTPUTS = r"answers?|answrs?|responses?|outputs?|completions?|replies|summar(?:y|ies)|labels?|reports?"
_FILLER = (
    rf"(?:(?!(?:from|with|and|but|plus|vs|than|into|per|for|get|gets|want|back|{_INPUTS}|{_OUTPUTS})\b)"
    r"[a-z'-]{1,20}+[,:]?\s+|\(\s*|<\s*|:\s*|,\s*){0,6}?"
)
_IN_OUT = re.compile(
    rf"{_SIZE}{TOKENS}?\s*(?P<side>in(?:put)?|prompt|of\s+input|of\s+context|out(?:put)?|of\s+output|completion|response)\b",
)
_SIZE_AFTER = re.compile(
    rf"(?P<side>{_INPUTS}|{_OUTPUTS})(?![\w-])[ \t]*{_FILLER}{APPROX}"
    rf"(?:{_SIZE}{TOKENS}{_NOT_DAILY}|(?<![$€£])(?P<num_k>{DECIMAL})\s*k\b{_NOT_DAILY}(?!\s+{VOLUME_NOUN})|"
    rf"(?P<bare>(?<![\w.$€£])\d[\d,]*)(?!\s*(?:[a-z%$€£/-]|\d|\.\d)))",
)
_SIZE_BEFORE = re.compile(
    rf"{_SIZE}[- ]?{TOKENS}[- ](?P<side>{_INPUTS}|summar(?:y|ies)|answers?|responses?|outputs?|completions?|labels?)",
)
_OF_CONTEXT = re.compile(
    rf"{_SIZE}{TOKENS}\s+of\s+(?:[a-z-]+\s+){{0,2}}?(?P<side>context|history|code|instructions|policy|documents?|"
    r"docs|notes|transcripts?|input|background|examples|text|data)\b",
)
_SIZE_CUE = re.compile(r"tok|in\b|out\b|prompt|input|output|context|completion|response|summar|answer|label")
"""What a size's number is followed by: a number with none of these after it is tried by no size pattern."""
_BACK = re.compile(
    r"(?:get|gets|getting|want|wants|return|returns|spits?)\s+(?:back\s+|out\s+)+"
    rf"(?:maybe\s+|about\s+|~\s*|around\s+|roughly\s+|like\s+)?{_SIZE}(?:{TOKENS}|(?!\s*[a-z]))",
)
_WORDS = re.compile(
    rf"{_SIZE}[- ]?words?\s+(?:of\s+(?:[a-z-]+\s+){{0,2}}?)?(?P<side>report|summary|answer|response|reply|output|"
    r"email|essay|article|document|transcript|text|notes|context|input)",
)
_USUALLY = re.compile(
    r"(?:usually|typically|normally|on\s+average|mostly|generally)\s+(?:it'?s\s+|they'?re\s+|are\s+|is\s+)?"
    rf"(?:around\s+|about\s+|~\s*)?{_SIZE}(?:{TOKENS})?",
)
_CAP = re.compile(r"(?:up\s+to|max(?:imum)?|at\s+most|limit|capped\s+at|can\s+be)\W+(?:\w+\W+){0,1}$")
_SYSTEM = re.compile(rf"system\s+prompt\s+(?:is\s+|of\s+|~\s*|about\s+|around\s+)*{_SIZE}{TOKENS}")
_EXTRA = re.compile(
    r"(?:user|dynamic|variable|rest|remaining)\s+(?:part|portion|message|input|bit|prompt)?\s*(?:adds|is|of|=)\s+"
    rf"(?:about\s+|~\s*|another\s+|around\s+)?{_SIZE}(?:{TOKENS})?",
)
_PAGES = re.compile(
    rf"(?<![\w.])(?P<n>\d+|{'|'.join(w for w in WORD_NUMBERS if len(w) > 2)})[- ]pages?\s+(?:long\s+)?"
    r"(?:of\s+(?:[a-z-]+\s+){0,2}?)?(?:documents?|docs?|pdfs?|reports?|contracts?|files?|text|policy|manuals?)",
)
_QUALITATIVE = (
    (re.compile(r"short\s+(?:prompts?|promts?|questions?|inputs?)"), "input_tokens", 200),
    (re.compile(r"long\s+(?:prompts?|promts?|inputs?|context)|prompts\s+are\s+long"), "input_tokens", 4000),
    (
        re.compile(
            r"(?:short|brief|one[- ]line|one[- ]word)\s+(?:answers?|answrs?|responses?|replies|outputs?)|"
            r"(?:classification|sentiment|category|class|intent)\s+labels?|label(?<=\blabel)s?\s+(?:out|only)\b|"
            r"yes/no"
        ),
        "output_tokens",
        50,
    ),
    (re.compile(r"summar(?:y|ies|ise|ize|ising|izing)\b"), "output_tokens", 300),
)
PAGE_TOKENS = 650  # a page of prose: ~500 words at ~1.3 tokens a word
WORD_TOKENS = 1.3
OUTPUT_SIDES = (
    "out", "output", "of output", "completion", "response", "answer", "answr", "summar", "repl", "label", "report",
)  # fmt: skip


@dataclass(frozen=True)
class _Size:
    rank: int
    """Lower is better: the usual size said, then a size said, pages or words, a cap, a word like "long"."""
    start: int
    value: float
    span: str
    reason: str | None = None


def size_facts(text: str) -> Iterator[Fact]:
    """The input and output tokens of a typical request, each from the best words said for it."""
    found: dict[str, list[_Size]] = {"input_tokens": [], "output_tokens": []}
    digits = [at for at in number_starts(text) if text[at].isdigit()]
    explicit = (
        (_BACK, "output_tokens"),
        (_IN_OUT, None),
        (_SIZE_BEFORE, None),
        (_OF_CONTEXT, "input_tokens"),
    )
    sized = [at for at in digits if _SIZE_CUE.search(text, at, at + 30)]
    for pattern, field in explicit:
        for match in anchored(pattern, text, sized) if pattern is not _BACK else pattern.finditer(text):
            if pattern is _OF_CONTEXT and re.search(
                r"back|out|return", text[max(0, match.start() - 15) : match.start()]
            ):
                continue
            _add(found, field or _side(match["side"]), 1, match, text)
    for match in _SIZE_AFTER.finditer(text):
        if text.endswith("system ", 0, match.start()) or text.endswith("-", 0, match.start()):
            continue  # "the system prompt is 2k tokens" is not the whole prompt
        if match["bare"] is None or ("token" in text and number_value(match["bare"]) >= 10):
            _add(found, _side(match["side"]), 1, match, text)
    _usual_sizes(text, found)
    system = _SYSTEM.search(text) if "system" in text else None
    if system and (extra := _EXTRA.search(text, system.end())):
        total = _value(system) + _value(extra)
        said = f"{span_of(text, system)} … {extra.group(0).strip()}"
        found["input_tokens"].insert(0, _Size(0, system.start(), total, said, "the system prompt and the rest"))
    for match in anchored(_WORDS, text, digits) if "word" in text else ():
        tokens = _value(match) * WORD_TOKENS
        reason = f"{_value(match):,.0f} words at about {WORD_TOKENS} tokens a word"
        found[_side(match["side"])].append(_Size(2, match.start(), tokens, match.group(0), reason))
    if "page" in text and (pages := _PAGES.search(text)):
        value = number_value(pages["n"]) if pages["n"] in WORD_NUMBERS or pages["n"].isdigit() else 0.0
        if value:
            reason = f"{pages['n']} pages at about {PAGE_TOKENS} tokens a page"
            found["input_tokens"].append(_Size(2, pages.start(), value * PAGE_TOKENS, pages.group(0), reason))
    for pattern, field, value in _QUALITATIVE:
        if worded := pattern.search(text):
            reason = f"'{worded.group(0)}' read as about {value} tokens"
            found[field].append(_Size(4, worded.start(), value, worded.group(0), reason))
    for field, sizes in found.items():
        if sizes:
            best = min(sizes, key=lambda s: (s.rank, s.start))
            value = round(best.value) if math.isfinite(best.value) else best.value
            yield Fact(field, value, best.span, best.reason)


def _side(side: str) -> str:
    return "output_tokens" if side.lower().startswith(OUTPUT_SIDES) else "input_tokens"


def _add(found: dict[str, list[_Size]], field: str, rank: int, match: re.Match[str], text: str) -> None:
    if _CAP.search(text, max(0, match.start() - 30), match.start()) or _CAP.search(match.group(0).split("token")[0]):
        rank = 3
    value = _value(match)
    if not 0 <= value < 1:  # "temperature=0.2 in the client" is no size; a negative one is noted
        found[field].append(_Size(rank, match.start(), value, span_of(text, match)))


def _value(match: re.Match[str]) -> float:
    groups = match.groupdict()
    if groups.get("num_k"):
        return number_value(groups["num_k"], "k")
    if groups.get("bare"):
        return number_value(groups["bare"])
    value = number_value(match["num"], match["mult"])
    if match["lo"]:
        low = number_value(
            match["lo"], match["mult"] if number_value(match["lo"]) < number_value(match["num"]) else None
        )
        return (low + value) / 2
    return value


def _usual_sizes(text: str, found: dict[str, list[_Size]]) -> None:
    """ "up to 4096 tokens but usually around 2,000": the usual size, for the side said just before."""
    for sizes in found.values():
        for size in list(sizes):
            end = min([i for c in ".;\n" if (i := text.find(c, size.start + len(size.span))) != -1] or [len(text)])
            if usual := _USUALLY.search(text, size.start, end):
                sizes.append(_Size(0, usual.start(), _value(usual), f"{size.span} … {usual.group(0).strip()}"))
                break
