"""How much: volume per day and the peak.

Volume is read by a few readers, most specific first; where two read the same words, the
first wins. A rate is then scaled by what it is each of (`bot.parse.multiply`: people,
sessions, the hours in use). The day's volume is the first figure that is not a peak; a
later one that corrects it ("…wait no, 4k") replaces it, one that disagrees with it becomes
the answer's question, and one about the future ("50k at launch") is left alone. With no
rate at all, a total over a period or a batch's cadence gives the volume (`bot.parse.totals`).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot import units
from bot.parse.facts import Fact
from bot.parse.multiply import Scaled, scale
from bot.parse.periods import hours_window
from bot.parse.quantities import (
    APPROX,
    DECIMAL,
    NUMBER,
    PER,
    number_starts,
    number_value,
    per_day,
    time_unit,
)
from bot.parse.sizes import size_facts
from bot.parse.totals import impossible_totals, total_facts
from bot.parse.words import AMOUNT, TOKENS, VOLUME_NOUN, anchored, is_tokens
from bot.units import HOURS_PER_DAY, SECONDS_PER_DAY, SECONDS_PER_MINUTE, per_second

_ADVERB = r"(?P<adverb>hourly|daily|nightly|weekly|monthly|yearly|annually)"
_PER_TIME = rf"(?:{PER}{time_unit()}|\s+{_ADVERB}|\s+(?:in|over)\s+(?:a|one|1)\s+{time_unit('unit_in')})"
_BETWEEN = (
    r"(?:\s+(?:(?:through|to|into|via|with|from|on|in|at|for|of|per)\s+)?[a-zà-ü][\w.:-]{0,39}+"
    r"(?:\s+[a-zà-ü][\w.:-]{0,39}+){0,2})??"
)
"""Words between what is counted and its period: "7 msgs to the bot per day", "350 questions per workspace a day"."""

_RATES = re.compile(
    rf"{AMOUNT}(?:(?:(?P<daily_adj>daily|nightly|weekly|monthly|hourly)\s+)?(?P<what>{TOKENS}|{VOLUME_NOUN}){_BETWEEN}"
    rf"{_PER_TIME}|(?P<rate>rps|qps|req/s|requests?/s|rpm|tpm|tps|tokens?/s)\b|"
    rf"\s*/\s*{time_unit('bare_unit')}|\s+(?:per|a|an|each|every)\s+"
    r"(?P<unit_word>second|minute|hour|day|night|week|month|year)\b)",
)
"""An amount and its period, tried once where each number starts: "40k requests a day", "50 rps", "3000/min"."""
_DAILY = re.compile(
    rf"(?:daily\s+(?:total|volume|average)?|(?:average|typical|normal|usual)\s+day)\s*(?:is|sees|has|gets|of|:)?\s*"
    rf"{APPROX}{AMOUNT}(?P<what>{TOKENS}|{VOLUME_NOUN})",
)
_BUSIEST_HOUR = re.compile(rf"busiest\s+hour\s+(?:sees|has|gets|is|brings)?\s*{APPROX}{AMOUNT}")
_HOUR_PEAK = re.compile(rf"{AMOUNT}(?P<what>{VOLUME_NOUN})\s+in\s+(?:the|our|a)\s+(?:busiest|peak)\s+hour")
_FREQUENCY = re.compile(
    rf"(?:(?P<lo>\d+)\s*(?:-|–|to)\s*)?(?:{NUMBER}\s*(?:x|times)|(?P<once>once|twice))\s+(?:a|per|each|every)\s+"
    r"(?P<unit>day|week|month|hour|shift)\b",
)
_EVERY = re.compile(
    r"(?:a|one)\s+(?:\w+\s+)?(?P<what>message|msg|request|query|question|prompt|call|completion)\s+every\s+~?\s*"
    rf"(?P<num>{DECIMAL})\s*(?P<unit>s|secs?|seconds?|mins?|minutes?|hours?)\b",
)
_PEAK_WORDS = re.compile(
    r"\bpeaks?|\bpeaking|\bbursts?|\bspikes?|\bbusiest|\bat\s+most|\bmax(?:imum)?\b|\bspitzen?|\bpics?\b|\bpicos?\b",
)
_PEAK_AFTER = re.compile(r"\s*(?:at|during|in|on)?\s*(?:the\s+|our\s+)?(?:peaks?|busiest|rush|spikes?|bursts?)\b")
_AVERAGE_AFTER = re.compile(r"\s*\(?(?:on\s+)?(?:average|avg|normally|typically|usually|baseline)\b")
_CORRECTION = re.compile(
    r"\b(?:wait|sorry|correction|actually|i\s+mean|make\s+that|rather|scratch\s+that|that'?s\s+old|now)\b|\bno,",
)
_LATER = re.compile(
    r"\b(?:will\s+be|we'?ll\s+be|next\s+(?:year|quarter|month)|at\s+launch|after\s+launch|expect(?:ed|ing)?|"
    r"grow(?:s|ing)?\s+to|target|planned|by\s+(?:q[1-4]|20\d\d|next)|soon|eventually|could\s+reach|projected)\b",
)
_BARE_AFTER = re.compile(
    rf"(?:[.…]+\s*|[^.;\n]){{0,24}}?(?:\b(?P<or>or)\s+(?:maybe\s+|perhaps\s+|possibly\s+|even\s+|(?:was|is)\s+it\s+)?|"
    rf"(?:wait|sorry|correction|i\s+mean|make\s+that|scratch\s+that)\b[\s,.:!…]*(?:no\b[\s,.!]*)?(?:it'?s\s+)?)"
    rf"~?\s*{NUMBER}(?![\w%]|\s*[a-z%])",
)
DISAGREE = 1.5
"""Two volumes of one kind further apart than this are a question, not a choice."""


@dataclass(frozen=True)
class _Reading:
    match: re.Match[str]
    per_day: float
    """Amount a day (for a peak, at the peak's rate; for a rate per hour, over 24 hours)."""
    is_tokens: bool
    peak: bool | None = None
    """None: decided from the words around it."""
    unit: str = "day"
    frequency: bool = False
    """ "3 times a day": a volume only as each person's."""


def volume_facts(text: str) -> Iterator[Fact]:
    """Tokens or requests a day, the peak, and the size of a request."""
    yield from _volumes(text)
    yield from size_facts(text)


def _volumes(text: str) -> Iterator[Fact]:
    readings = _readings(text)
    window = hours_window(text) if any(r.unit.startswith("h") for r in readings) else None
    found: dict[str, list[tuple[_Reading, Scaled]]] = {"tokens_per_day": [], "requests_per_day": []}
    peaks: list[Fact] = []
    for reading in sorted(readings, key=lambda r: r.match.start()):
        said = scale(text, reading.match, reading.per_day, reading.unit, window, frequency=reading.frequency)
        if said is None:
            continue
        field = "tokens_per_day" if reading.is_tokens else "requests_per_day"
        if reading.peak is True or (reading.peak is None and _is_peak(text, reading, said.start)):
            if not reading.is_tokens:
                peaks.append(Fact("peak_requests_per_s", per_second(said.per_day), said.span))
            continue
        found[field].append((reading, said))
        if said.peak_per_s is not None and not reading.is_tokens:
            peaks.append(Fact("peak_requests_per_s", said.peak_per_s, said.span, "the rate within those hours"))
    taken = [(r.match.start(), r.match.end()) for r in readings]
    if not found["tokens_per_day"] and not found["requests_per_day"]:
        yield from total_facts(text, taken)
    elif "0" in text or "-" in text:
        yield from impossible_totals(text, taken)
    for field, volumes in found.items():
        yield from _settled(text, field, volumes)
    yield from peaks


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
        add(_Reading(match, number_value(match["num"], match["mult"]), is_tokens(match["what"]), peak=False))
    if "busiest" in text or "peak" in text:
        for match in _BUSIEST_HOUR.finditer(text):
            add(_Reading(match, number_value(match["num"], match["mult"]) * HOURS_PER_DAY, False, peak=True))
        for match in _HOUR_PEAK.finditer(text):
            add(_Reading(match, number_value(match["num"], match["mult"]) * HOURS_PER_DAY, False, peak=True))
    starts = number_starts(text)
    for match in anchored(_RATES, text, starts):
        amount = number_value(match["num"], match["mult"])
        if match["what"]:
            unit = next((match[g] for g in ("unit", "unit_in", "adverb", "daily_adj") if match[g]), "day")
            add(_Reading(match, amount * per_day(unit), is_tokens(match["what"]), unit=unit.lower()))
        elif rate := match["rate"]:
            a_second = amount / (SECONDS_PER_MINUTE if rate in ("rpm", "tpm") else 1)
            add(_Reading(match, units.per_day(a_second), rate.startswith(("tpm", "tps", "token")), unit="second"))
        else:
            unit = match["bare_unit"] or match["unit_word"]
            add(_Reading(match, amount * per_day(unit), False, unit=unit.lower()))
    if "time" in text or "once" in text or "twice" in text:
        for match in _FREQUENCY.finditer(text):
            unit = "day" if match["unit"] == "shift" else match["unit"]  # a shift a day, unless said otherwise
            add(_Reading(match, _times(match) * per_day(unit), False, unit=unit, frequency=True))
    if "every" in text:
        for match in _EVERY.finditer(text):
            seconds = number_value(match["num"]) * {"s": 1, "m": 60, "h": 3600}[match["unit"][0]]
            if seconds > 0:
                add(_Reading(match, SECONDS_PER_DAY / seconds, False, unit="second", frequency=True))
    return chosen


def _times(match: re.Match[str]) -> float:
    """ "3-4 times", "twice", "5x": how many times, a range at its middle."""
    if match["once"]:
        return 1.0 if match["once"] == "once" else 2.0
    value = number_value(match["num"], match["mult"])
    return (number_value(match["lo"]) + value) / 2 if match["lo"] else value


def _settled(text: str, field: str, found: list[tuple[_Reading, Scaled]]) -> Iterator[Fact]:
    """The first volume of a kind, unless a later one corrects it; one that disagrees is asked about.

    A value that cannot be a volume (negative, absurd) is passed on as it is, to be set aside with
    a note; the volumes that can be are settled among themselves.
    """
    valid = []
    for reading, said in found:
        if _possible(field, said.per_day):
            valid.append((reading, said))
        else:
            yield Fact(field, said.per_day, said.span, said.reason)
    if not valid:
        return
    reading, chosen = valid[0]
    doubts = []
    for later_reading, later in valid[1:]:
        before = text[max(reading.match.end(), later.start - 40) : later.start]
        if _LATER.search(before) or _LATER.search(text[later.end : later.end + 25]):
            continue
        if _CORRECTION.search(before) or _CORRECTION.search(text[later.end : later.end + 12]):
            reading, chosen = later_reading, later
        elif _apart(chosen.per_day, later.per_day):
            doubts.append(later)
    reason = chosen.reason
    if (alternative := _BARE_AFTER.match(text, reading.match.end())) and alternative["num"]:
        value = chosen.per_day * number_value(alternative["num"], alternative["mult"]) / _amount(reading)
        said = Scaled(value, f"{chosen.span} {alternative.group(0).strip()}", None, chosen.start, alternative.end())
        if alternative["or"]:
            doubts.append(said)
        elif _possible(field, value):
            chosen, reason = said, None
    yield Fact(field, chosen.per_day, chosen.span, reason)
    for other in doubts:
        if _apart(chosen.per_day, other.per_day) and _possible(field, other.per_day):
            question = f"You gave two volumes, '{chosen.span}' and '{other.span}': which is it?"
            yield Fact(field, other.per_day, other.span, doubt=question)


def _possible(field: str, value: float) -> bool:
    """Whether a workload could hold this volume (see `bot.workload.Workload`)."""
    return 0 < value <= (1e13 if field == "tokens_per_day" else 1e10) and math.isfinite(value)


def _amount(reading: _Reading) -> float:
    match = reading.match
    return number_value(match["num"], match["mult"]) if match["num"] else 1.0


def _apart(one: float, other: float) -> bool:
    low, high = sorted((one, other))
    return low <= 0 or high / low > DISAGREE


def _is_peak(text: str, reading: _Reading, start: int) -> bool:
    """A figure is a peak when a peak word stands just before it in its clause, or right after it."""
    end = reading.match.end()
    after = text[end : end + 25]
    if _AVERAGE_AFTER.match(after):
        return False
    if _PEAK_AFTER.match(after):
        return True
    before = re.split(r"[.;,!?\n]", text[max(0, start - 40) : start])[-1]
    if _PEAK_WORDS.search(before):
        return True
    if start < reading.match.start():  # "at peak, 250 users each send …": the words before the people count
        clause = re.split(r"[.;!?\n]", text[max(0, start - 60) : reading.match.start()])[-1]
        return bool(_PEAK_WORDS.search(clause))
    return False
