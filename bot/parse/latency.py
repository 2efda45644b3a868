"""How fast: the whole answer, the first token, and steadiness.

"each response fully done in < 1.5 s", "a minute per answer is ok"        latency_s
"first token within 300ms", "TTFT under half a second", "start speaking"  first_token_s
"predictable response times", "flat tail latency", "version pinned"       stable_latency
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.quantities import DECIMAL, number_value
from bot.parse.text import says_any
from bot.units import SECONDS_PER_MINUTE

_TIME = (
    rf"(?:(?P<num>{DECIMAL})\s*|(?P<wnum>half\s+a|a|one)\s+)"
    r"(?P<unit>ms|milliseconds?|s|secs?|seconds?|minutes?|mins?)\b"
)
_FIRST = (
    r"first[\s-]+(?:token|byte|word|chunk)s?|ttft|ttfb|time[\s-]+to[\s-]+first|"
    r"start\s+(?:speaking|streaming|typing|responding)"
)
_WHOLE = (
    r"latenc|respon|answer|repl|return|complet|done|end[- ]to[- ]end|generat|p9\d|wait|finish|full|whole|total|"
    r"round[- ]trip"
)
_LABELLED_TIME = _TIME.replace("P<", "P<l_")
_TIME_BEFORE = _TIME.replace("P<", "P<a_")
_LATENCY = re.compile(
    rf"(?:under|below|within|less\s+than|<=?|≤|\bin|at\s+most|no\s+more\s+than)\s*~?\s*{_TIME}|"
    rf"(?P<label>{_FIRST}|latency|full\s+response|response\s+time|p9\d)\s*(?:of|is|:|=|<=?|≤)?\s*~?\s*{_LABELLED_TIME}|"
    rf"~?\s*{_TIME_BEFORE}\s+(?:per|for\s+(?:the|a|an|each))\s+"
    r"(?P<after>answer|response|reply|completion|request|first\s+(?:token|words?|chunk|byte)s?)",
)
_FIRST_CUE = re.compile(_FIRST)
_WHOLE_CUE = re.compile(_WHOLE)
_NOT_LATENCY = re.compile(r"turnaround|stall|timeout|time[- ]?out|uptime|downtime")
_STABLE = re.compile(
    r"(?:steady|predictable|consistent|stable|deterministic|flat)\s+(?:tail\s+)?(?:latenc(?:y|ies)|response\s+times?|"
    r"speed|performance|outputs?)|"
    r"(?:latency|p9\d(?:\s+latency)?|response\s+times?)\s+(?:needs?\s+to\s+be|must\s+be|should\s+be|has\s+to\s+be|is)\s+"
    r"(?:stable|steady|predictable|consistent|flat)|"
    r"(?:outputs?|behaviou?r|answers?)\s+(?:must|can'?t|cannot|should(?:n'?t)?|may)\s+(?:not\s+|never\s+)?"
    r"(?:drift|change)|(?:model\s+)?versions?\s+pinned|pinned\s+(?:model\s+)?(?:versions?|behaviou?r|weights)|"
    r"pin\s+the\s+(?:model|version)",
)


_A_TIME = re.compile(r"\d\s*(?:ms|milliseconds?|s|secs?|seconds?|mins?|minutes?)\b|(?:second|minute)\b")
_STABLE_CUES = ("steady", "predictable", "consistent", "stable", "deterministic", "flat", "drift", "pin", "chang")


def latency_facts(text: str) -> Iterator[Fact]:
    if "sub" in text and (match := re.search(r"\bsub[- ]second\b", text)):
        yield Fact("latency_s", 1.0, match.group(0), "sub-second read as within a second")
    seen: set[str] = set()
    for match in _LATENCY.finditer(text) if _A_TIME.search(text) else ():
        field = _which(text, match)
        if field is None or field in seen:
            continue
        seen.add(field)
        yield Fact(field, _seconds(match), match.group(0).strip())
    if says_any(text, _STABLE_CUES) and (match := _STABLE.search(text)):
        yield Fact("stable_latency", True, match.group(0))


def _which(text: str, match: re.Match[str]) -> str | None:
    """First token or whole answer: the label, else the nearest cue before in its clause, else after."""
    if match["label"]:
        return "first_token_s" if _FIRST_CUE.match(match["label"]) else "latency_s"
    if match["after"]:
        return "first_token_s" if match["after"].startswith("first") else "latency_s"
    before = re.split(r"[.;!?\n/]", text[max(0, match.start() - 60) : match.start()])[-1]
    after = re.split(r"[.;!?\n/]", text[match.end() : match.end() + 30])[0]
    if _NOT_LATENCY.search(before) or _NOT_LATENCY.search(after):
        return None
    first = [m.end() for m in _FIRST_CUE.finditer(before)]
    whole = [m.end() for m in _WHOLE_CUE.finditer(before)]
    if first or whole:
        return "first_token_s" if max(first, default=-1) > max(whole, default=-1) else "latency_s"
    first_after, whole_after = _FIRST_CUE.search(after), _WHOLE_CUE.search(after)
    if first_after and (not whole_after or first_after.start() < whole_after.start()):
        return "first_token_s"
    return "latency_s" if whole_after else None


def _seconds(match: re.Match[str]) -> float:
    prefix = "l_" if match["label"] else "a_" if match["after"] else ""
    words, unit = match[f"{prefix}wnum"], match[f"{prefix}unit"]
    value = (0.5 if words.startswith("half") else 1.0) if words else number_value(match[f"{prefix}num"])
    if unit == "ms" or unit.startswith("milli"):
        return value / 1000
    return value * SECONDS_PER_MINUTE if unit.startswith("min") else value
