"""A rate and what it is each of: people, units, sessions and runs, the hours a day it runs.

"each of our 900 staff asks about 3 questions a day"          900 x 3
"150 students x 20 questions per day", "18k DAU … the average user sends ~7"
"350 questions per workspace per day" (40 workspaces said elsewhere)
"2.5k conversations/day, avg 6 turns each", "one agent run is ~12 LLM calls"
"300 tickets an hour, 9-5 weekdays"                            300 x 8 hours x 5/7, not x 24
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parse.periods import Window
from bot.parse.quantities import NUMBER, NUMBER_STARTS, number_starts, number_value
from bot.parse.words import AMOUNT, SEPARATOR, anchored, span_of
from bot.units import HOURS_PER_DAY, SECONDS_PER_HOUR

_UNITS = (
    r"(?:employees|users|people|staff|staffers|agents|members|customers|students|seats|clinicians|doctors|nurses|"
    r"lawyers|analysts|engineers|developers|devs|reps|salespeople|colleagues|researchers|chemists|teachers|"
    r"physicians|dau|mau|wau|offices|workspaces|teams|sites|stores|branches|tenants|departments|clients|accounts|"
    r"clinics|hospitals|schools|ships|rigs|plants|factories)"
)
_PEOPLE = re.compile(rf"{AMOUNT}(?:[\w-]{{1,40}}+\s+){{0,2}}?{_UNITS}\b")
_EACH = re.compile(
    r"\beach\b|\bper\s+(?:person|user|head|employee|agent|rep|engineer|dev|student|seat|member|analyst|clinician)\b|"
    r"\bevery\s+(?:one|user|employee)\b|\bthe\s+(?:average|typical)\s+(?:user|person|employee|member|customer|dev|"
    r"engineer)\b|\bapiece\b|(?<=\s)[x×](?=\s)",
)
_EACH_OF = re.compile(r"\b(?:each|every\s+one|all)\s+of\s+(?:our|the|these|those|its|their)?\s*$")
PEOPLE_REACH = 240
"""How far before a rate to look for the people it is each one's: a sentence, not the whole message
(which, read again for every rate, made a long message take quadratic time)."""
_PER_UNIT = re.compile(r"\bper\s+(?P<unit>[a-z]{3,20})\b(?=\s+(?:per|a|an|each|every)\b|\s*/)")
_TIME_WORDS = frozenset({"day", "week", "month", "hour", "minute", "second", "year", "night", "request", "call"})
_CONTAINER = r"(?:conversations?|sessions?|runs?|tasks?|chats?|jobs?|workflows?|threads?|visits?|tickets?)"
_SUB = (
    r"(?:turns?|steps?|exchanges?|(?:llm|model|api|tool)\s+calls?|calls?|messages?|msgs?|requests?|prompts?|"
    r"round[- ]trips?|iterations?|quer(?:y|ies)|completions?|generations?)"
)
_SUB_EACH = re.compile(
    rf"(?:avg\.?\s+|average\s+|about\s+|around\s+|roughly\s+)*~?\s*{NUMBER}\s+(?:[\w-]+\s+)?{_SUB}\s+"
    rf"(?:each|apiece|per\s+(?:\w+\s+)?(?P<container>{_CONTAINER}))\b",
)
_CONTAINER_IS = re.compile(
    rf"\b(?:each|every|one|an?|the\s+average|an\s+average|a\s+typical)\s+(?:\w+\s+)?(?P<container>{_CONTAINER})\s+"
    r"(?:is|=|takes|makes|has|involves|averages|means)\s+(?:about\s+|~\s*|around\s+|roughly\s+|like\s+|on\s+average\s+)?"
    rf"{NUMBER}\s+(?:[\w-]+\s+)?{_SUB}\b",
)
WEEKDAYS = 5 / 7


@dataclass(frozen=True)
class Scaled:
    per_day: float
    span: str
    reason: str | None
    start: int
    """Where the words begin (the people count, when the rate is each one's)."""
    end: int
    peak_per_s: float | None = None
    """For a rate an hour within office hours: that rate, the busiest the service gets."""


def scale(
    text: str, match: re.Match[str], per_day: float, unit: str, window: Window | None, *, frequency: bool = False
) -> Scaled | None:
    """The day's volume a rate gives, with what it is each of; None for "3 times a day" of nobody.

    The reason says the sum: "900 staff x 3 a day", "300 an hour x 8 hours a day, 5 days a week",
    "2,500 a day x 6 turns each".
    """
    pieces = [match.span()]
    said = f"{per_day:,.4g} a day"
    peak = None
    if unit.startswith(("h", "stund")) and window is not None:
        hourly = per_day / HOURS_PER_DAY
        per_day = hourly * window.hours * (WEEKDAYS if window.weekdays else 1)
        peak = hourly / SECONDS_PER_HOUR
        said = f"{hourly:,.4g} an hour x {window.hours:g} hours a day" + (", 5 days a week" if window.weekdays else "")
        if (at := text.find(window.span.split(" … ")[0])) >= 0:
            pieces.append((at, at + len(window.span.split(" … ")[0])))
    sums = [said] if peak is not None else []
    if counted := _units_before(text, match) or _per_unit(text, match):
        count, words, where = counted
        per_day, peak = per_day * count, peak * count if peak is not None else None
        sums = [f"{count:,.0f} {words} x {said}"]
        pieces.append(where)
    elif frequency:
        return None
    if each := _each_holds(text, match):
        times, words, where = each
        per_day, peak = per_day * times, peak * times if peak is not None else None
        sums = [f"{sums[0] if sums else said} x {times:g} {words} each"]
        pieces.append(where)
    pieces.sort()
    return Scaled(per_day, _joined(text, pieces), sums[0] if sums else None, pieces[0][0], pieces[-1][1], peak)


def _units_before(text: str, match: re.Match[str]) -> tuple[float, str, tuple[int, int]] | None:
    """ "400 employees and each asks 5 questions a day": how many, when the rate is each one's."""
    reach = max(0, match.start() - PEOPLE_REACH)
    before = re.split(SEPARATOR, text[reach : match.start()])[-1]
    offset = match.start() - len(before)
    if not _EACH.search(f"{before} {match.group(0)}"):
        return None
    people = list(anchored(_PEOPLE, before, [m.start() for m in NUMBER_STARTS.finditer(before)]))
    if not people:
        return None
    last = people[-1]
    if not (_EACH.search(before[last.end() :] + match.group(0)) or _EACH_OF.search(before, 0, last.start())):
        return None
    words = last.group(0).split()[-1]
    return number_value(last["num"], last["mult"]), words, (offset + last.start(), offset + last.end())


def _per_unit(text: str, match: re.Match[str]) -> tuple[float, str, tuple[int, int]] | None:
    """ "350 questions per workspace per day", with "40 Slack workspaces" said anywhere."""
    per = _PER_UNIT.search(match.group(0))
    if per is None or per["unit"] in _TIME_WORDS:
        return None
    unit = per["unit"].removesuffix("s")
    units = re.compile(rf"{AMOUNT}(?:(?!per\b)[\w-]{{1,40}}+\s+){{0,2}}?{re.escape(unit)}s?\b")
    found = next(iter(anchored(units, text, number_starts(text))), None)
    if found is None or found.start() == match.start():
        return None
    return number_value(found["num"], found["mult"]), f"{unit}s", found.span()


def _each_holds(text: str, match: re.Match[str]) -> tuple[float, str, tuple[int, int]] | None:
    """ "2.5k conversations/day, avg 6 turns each": the calls each counted item makes, said in its sentence."""
    head = re.search(rf"{_CONTAINER}\b", match.group(0))
    if head is None:
        return None
    sentence_start = max(text.rfind(c, 0, match.start()) for c in ".;!?\n") + 1
    ends = [i for c in ".;!?\n" if (i := text.find(c, match.end())) != -1]
    sentence_end = min(ends, default=len(text))
    for pattern in (_SUB_EACH, _CONTAINER_IS):
        for found in pattern.finditer(text, sentence_start, sentence_end):
            inside = found.start() < match.end() and match.start() < found.end()
            container = found["container"]
            if inside or (container and container.rstrip("s") != head.group(0).rstrip("s")):
                continue
            times = number_value(found["num"], found["mult"])
            return times, found.group(0).split()[-1] if not container else "calls", found.span()
    return None


def _joined(text: str, pieces: list[tuple[int, int]]) -> str:
    """The words of several places, joined with " … " where they are apart."""
    merged: list[list[int]] = []
    for start, end in pieces:
        if merged and start <= merged[-1][1] + 3:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return " … ".join(span_of(text, (start, end)) for start, end in merged)
