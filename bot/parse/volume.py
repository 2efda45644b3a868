"""How much: volume per day, request sizes and the peak.

Volume is read by a few readers, most specific first; where two read the
same words, the first wins. The day's volume is the first figure that is not
a peak.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.parse.facts import Fact
from bot.parse.quantities import (
    APPROX,
    APPROX_BEFORE,
    DECIMAL,
    DIGIT_NUMBER,
    NUMBER,
    NUMBER_STARTS,
    PER,
    WORD_NUMBERS,
    number_value,
    per_day,
    time_unit,
)

TOKENS = r"(?:tokens?|toks?|tokns?|tkns?|tokes)"
ITEMS = (
    r"(?:requests?|reqs?|req\w*ests?|calls?|api\s+calls?|queries|query|messages?|msgs?|tickets?|documents?|docs?|"
    r"emails?|mails?|chats?|conversations?|prompts?|questions?|prs?|pull\s+requests?|reviews?|completions?|"
    r"generations?|summaries|inferences?|invocations?|transcripts?|articles?|pages?|items?|records?|notes?|"
    r"descriptions?|products?|files?|jobs?|tasks?|meetings?|contracts?|skus?|invoices?|posts?|comments?|"
    r"anfragen|abfragen|requ[eê]tes?|demandes?|solicitudes?|peticiones?|consultas?|rps|qps)"
)
_NOT_ITEMS = r"(?:times|hours|days|minutes|weeks|months|years|people|users|employees|engineers|devs|sres|persons)\b"
_NOUN = rf"(?:(?:[\w-]{{1,40}}+\s+){{0,2}}?{ITEMS}|(?!{_NOT_ITEMS})[a-zà-ü]{{3,40}}s)"
r"""An item counted: a known kind of request, or, failing that, any plural noun.

Words are bounded and taken whole (`{1,40}+`): an unbounded `[\w-]+` after a number let a
10,000-character run like "1-1-1-…" be re-scanned from every place a number starts."""
_AMOUNT = NUMBER + r"\s*(?:(?:de|of)\s+)?"
"""An amount, tried where a number starts (see `_anchored`); "about" before it joins the span."""
_ADVERB = r"(?P<adverb>hourly|daily|nightly|weekly|monthly)"
_PER_TIME = rf"(?:{PER}{time_unit()}|\s+{_ADVERB}|\s+(?:in|over)\s+(?:a|one|1)\s+{time_unit('unit_in')})"
_SEPARATOR = r"[.;!?\n]"

_VOLUME = re.compile(
    rf"{_AMOUNT}(?:(?P<daily_adj>daily|nightly|weekly|monthly|hourly)\s+)?(?P<what>{TOKENS}|{_NOUN})"
    rf"(?:\s+(?:(?:through|to|into|via|with|from|on|in|at|for|of)\s+)?(?:[\w.:-]{{1,40}}+\s+){{0,3}}?)??{_PER_TIME}",
)
_RATE = re.compile(rf"{_AMOUNT}(?P<what>rps|qps|req/s|requests?/s|rpm|tpm|tps|tokens?/s)\b")
_BARE = re.compile(
    rf"{_AMOUNT}(?:\s*/\s*{time_unit()}|\s+(?:per|a|an|each|every)\s+(?P<unit_word>second|minute|hour|day|night|week|month)\b)",
)
_TOTAL = re.compile(
    rf"{_AMOUNT}(?P<what>{TOKENS}|{_NOUN})[^.;!?\n]{{0,40}}?\b(?:over|across|within|during|spread\s+over|in)\s+"
    rf"(?:the\s+next\s+)?(?P<span>{DECIMAL}|{'|'.join(WORD_NUMBERS)})\s+(?P<unit>days?|weeks?|months?)\b",
)
_DAILY = re.compile(
    rf"(?:daily\s+(?:total|volume|average)?|(?:average|typical|normal|usual)\s+day)\s*(?:is|sees|has|gets|of|:)?\s*"
    rf"{APPROX}{_AMOUNT}(?P<what>{TOKENS}|{_NOUN})",
)
_BUSIEST_HOUR = re.compile(rf"busiest\s+hour\s+(?:sees|has|gets|is|brings)?\s*{APPROX}{_AMOUNT}")
_CADENCE = re.compile(r"\b(?:nightly|every\s+night|each\s+night|daily|every\s+day|each\s+day)\b")
_COUNTED = re.compile(rf"{_AMOUNT}(?P<what>{TOKENS}|{_NOUN})")
_PEOPLE = re.compile(
    rf"{_AMOUNT}(?:\w+\s+)?(?:employees|users|people|staff|agents|members|customers|students|seats|clinicians|"
    rf"doctors|nurses|lawyers|analysts|engineers|developers)\b",
)
_EACH = re.compile(r"\beach\b|\bper\s+(?:person|user|head|employee|agent)\b|\bevery\s+(?:one|user|employee)\b")

_PEAK_WORDS = re.compile(
    r"\bpeaks?|\bpeaking|\bbursts?|\bspikes?|\bbusiest|\bat\s+most|\bmax(?:imum)?\b|\bspitzen?|\bpics?\b|\bpicos?\b",
)
_PEAK_AFTER = re.compile(r"\s*(?:at|during|in|on)?\s*(?:the\s+|our\s+)?(?:peaks?|busiest|rush|spikes?|bursts?)\b")
_AVERAGE_AFTER = re.compile(r"\s*\(?(?:on\s+)?(?:average|avg|normally|typically|usually|baseline)\b")


@dataclass(frozen=True)
class _Reading:
    match: re.Match[str]
    per_day: float
    """Amount a day (for a peak, at the peak's rate)."""
    is_tokens: bool
    peak: bool | None = None
    """None: decided from the words around it."""
    problem: str | None = None
    """Why the amount cannot be read as a volume ("a period of 0 days"): it is set aside with a note."""


def volume_facts(text: str) -> Iterator[Fact]:
    """Tokens or requests a day, the peak, and the size of a request."""
    yield from _volumes(text)
    yield from _sizes(text)


def _volumes(text: str) -> Iterator[Fact]:
    readings = _readings(text)
    if not any(r.peak is not True and not _is_peak(text, r) for r in readings):
        readings += _cadence_readings(text, readings)
    for reading in sorted(readings, key=lambda r: r.match.start()):
        span = _span(text, reading.match)
        if reading.problem is not None:
            field = "tokens_per_day" if reading.is_tokens else "requests_per_day"
            yield Fact(field, None, span, problem=reading.problem)
            continue
        if reading.peak is True or (reading.peak is None and _is_peak(text, reading)):
            if not reading.is_tokens:
                yield Fact("peak_requests_per_s", reading.per_day / 86_400, span)
            continue
        amount, reason = reading.per_day, None
        if not reading.is_tokens and (people := _people_before(text, reading.match)):
            amount, reason = amount * people[0], f"{people[0]:,.0f} people each {reading.per_day:g} a day"
            span = f"{people[1]} … {span}"
        yield Fact("tokens_per_day" if reading.is_tokens else "requests_per_day", amount, span, reason)


def _readings(text: str) -> list[_Reading]:
    chosen: list[_Reading] = []
    taken_starts: list[int] = []  # of the chosen spans, which never overlap: sorted, so a check is a bisection
    taken_ends: list[int] = []

    def add(reading: _Reading) -> None:
        start, end = reading.match.span()
        at = bisect.bisect_left(taken_starts, start)
        if (at > 0 and taken_ends[at - 1] > start) or (at < len(taken_starts) and taken_starts[at] < end):
            return
        taken_starts.insert(at, start)
        taken_ends.insert(at, end)
        chosen.append(reading)

    for match in _DAILY.finditer(text):
        add(_Reading(match, number_value(match["num"], match["mult"]), _is_tokens(match["what"]), peak=False))
    for match in _BUSIEST_HOUR.finditer(text):
        add(_Reading(match, number_value(match["num"], match["mult"]) * 24, False, peak=True))
    starts = [m.start() for m in NUMBER_STARTS.finditer(text)]
    for match in _anchored(_TOTAL, text, starts):
        days = number_value(match["span"]) / per_day(match["unit"])
        amount, is_tokens = number_value(match["num"], match["mult"]), _is_tokens(match["what"])
        if days > 0:
            add(_Reading(match, amount / days, is_tokens, peak=False))
        else:
            add(_Reading(match, amount, is_tokens, peak=False, problem=f"a period of {match['span']} {match['unit']}"))
    for match in _anchored(_VOLUME, text, starts):
        unit = next((match[g] for g in ("unit", "unit_in", "adverb", "daily_adj") if match[g]), "day")
        add(_Reading(match, number_value(match["num"], match["mult"]) * per_day(unit), _is_tokens(match["what"])))
    for match in _anchored(_RATE, text, starts):
        what = match["what"].lower()
        per_second = number_value(match["num"], match["mult"]) / (60 if what in ("rpm", "tpm") else 1)
        add(_Reading(match, per_second * 86_400, what.startswith(("tpm", "tps", "token"))))
    for match in _anchored(_BARE, text, starts):
        unit = match["unit"] or match["unit_word"]
        add(_Reading(match, number_value(match["num"], match["mult"]) * per_day(unit), False))
    return chosen


def _cadence_readings(text: str, taken: list[_Reading]) -> list[_Reading]:
    """ "Nightly job … for ~50k SKUs": an amount in a sentence that says it happens every day."""
    readings = []
    for sentence in re.finditer(r"[^.;!?\n]+", text):
        if _CADENCE.search(sentence.group(0)):
            inside = [m.start() for m in NUMBER_STARTS.finditer(text, sentence.start(), sentence.end())]
            for match in _anchored(_COUNTED, text, inside, sentence.end()):
                if match["num"].strip().lower() not in ("a", "an") and all(
                    match.end() <= r.match.start() or match.start() >= r.match.end() for r in taken
                ):
                    readings.append(
                        _Reading(match, number_value(match["num"], match["mult"]), _is_tokens(match["what"]), False)
                    )
                    return readings
    return readings


def _anchored(
    pattern: re.Pattern[str], text: str, starts: list[int], end: int | None = None
) -> Iterator[re.Match[str]]:
    """Matches of `pattern` beginning where a number begins, left to right, not overlapping."""
    after = 0
    for start in starts:
        if start >= after and (match := pattern.match(text, start, len(text) if end is None else end)):
            yield match
            after = match.end()


def _span(text: str, match: re.Match[str]) -> str:
    """The words a figure was read from, with an "about" just before it."""
    approx = APPROX_BEFORE.search(text, max(0, match.start() - 16), match.start())
    return text[approx.start() if approx else match.start() : match.end()].strip()


def _is_tokens(what: str) -> bool:
    return bool(re.fullmatch(TOKENS, what.lower().split()[-1]))


def _is_peak(text: str, reading: _Reading) -> bool:
    """A figure is a peak when a peak word stands just before it in its clause, or right after it."""
    start, end = reading.match.start(), reading.match.end()
    after = text[end : end + 25]
    if _AVERAGE_AFTER.match(after):
        return False
    if _PEAK_AFTER.match(after):
        return True
    before = re.split(r"[.;,!?\n]", text[max(0, start - 40) : start])[-1]
    return bool(_PEAK_WORDS.search(before))


PEOPLE_REACH = 240
"""How far before a rate to look for the people it is each one's: a sentence, not the whole message
(which, read again for every rate, made a long message take quadratic time)."""


def _people_before(text: str, match: re.Match[str]) -> tuple[float, str] | None:
    """ "400 employees and each asks 5 questions a day": how many people, when the rate is each one's."""
    before = re.split(_SEPARATOR, text[max(0, match.start() - PEOPLE_REACH) : match.start()])[-1]
    if not _EACH.search(f"{before} {match.group(0)}"):
        return None
    people = list(_anchored(_PEOPLE, before, [m.start() for m in NUMBER_STARTS.finditer(before)]))
    if not people or not _EACH.search(before[people[-1].end() :] + match.group(0)):
        return None
    last = people[-1]
    return number_value(last["num"], last["mult"]), last.group(0).strip()


_SIZE = DIGIT_NUMBER + r"\s*"
_IN_OUT = re.compile(
    rf"{_SIZE}{TOKENS}?\s*(?P<side>in(?:put)?|prompt|of\s+input|of\s+context|out(?:put)?|of\s+output|completion|response)\b",
)
_SIZE_AFTER = re.compile(
    rf"(?P<side>prompts?|promts?|inputs?|context|questions?|answers?|answrs?|responses?|outputs?|completions?|replies|"
    rf"summar(?:y|ies))[ \t]+(?:are\s+|is\s+|of\s+|average\s+|averaging\s+|each\s+|run\s+|at\s+|around\s+)*"
    rf"{APPROX}(?:{_SIZE}{TOKENS}|(?<![$€£])(?P<num_k>{DECIMAL})\s*k\b)",
)
_SIZE_BEFORE = re.compile(
    rf"{_SIZE}[- ]?{TOKENS}[- ](?P<side>prompts?|inputs?|questions?|answers?|responses?|outputs?|completions?)",
)
_PAGES = re.compile(
    rf"(?<![\w.])(?P<n>\d+|{'|'.join(w for w in WORD_NUMBERS if len(w) > 2)})[- ]pages?\s+(?:long\s+)?"
    r"(?:documents?|docs?|pdfs?|reports?|contracts?|files?)",
)
_QUALITATIVE = (
    (re.compile(r"\bshort\s+(?:prompts?|promts?|questions?|inputs?)"), "input_tokens", 200),
    (re.compile(r"\blong\s+(?:prompts?|promts?|inputs?|context)|\bprompts\s+are\s+long"), "input_tokens", 4000),
    (
        re.compile(
            r"\b(?:short|brief|one[- ]line|one[- ]word)\s+(?:answers?|answrs?|responses?|replies|outputs?)|"
            r"\bclassification\s+labels?|\byes/no\b"
        ),
        "output_tokens",
        50,
    ),
    (re.compile(r"\bsummar(?:y|ies|ise|ize|ising|izing)\b"), "output_tokens", 300),
)
PAGE_TOKENS = 650  # a page of prose: ~500 words at ~1.3 tokens a word
OUTPUT_SIDES = ("out", "output", "of output", "completion", "response", "answer", "answr", "summar", "repl")


def _sizes(text: str) -> Iterator[Fact]:
    seen: set[str] = set()
    digits = [m.start() for m in re.finditer(r"(?<![\w.$€£])\d", text)]
    for pattern in (_IN_OUT, _SIZE_AFTER, _SIZE_BEFORE):
        found = pattern.finditer(text) if pattern is _SIZE_AFTER else _anchored(pattern, text, digits)
        for match in found:
            side = match["side"].lower()
            field = "output_tokens" if side.startswith(OUTPUT_SIDES) else "input_tokens"
            if field not in seen:
                seen.add(field)
                groups = match.groupdict()
                value = (
                    number_value(groups["num_k"], "k")
                    if groups.get("num_k")
                    else number_value(match["num"], match["mult"])
                )
                yield Fact(field, round(value) if math.isfinite(value) else value, _span(text, match))
    if "input_tokens" not in seen and (pages := _PAGES.search(text)):
        try:
            value = number_value(pages["n"])
        except (KeyError, ValueError):
            value = 0.0
        if value:
            seen.add("input_tokens")
            reason = f"{pages['n']} pages at about {PAGE_TOKENS} tokens a page"
            yield Fact("input_tokens", round(value * PAGE_TOKENS), pages.group(0), reason)
    for pattern, field, value in _QUALITATIVE:
        if field not in seen and (said := pattern.search(text)):
            seen.add(field)
            yield Fact(field, value, said.group(0), f"'{said.group(0)}' read as about {value} tokens")
