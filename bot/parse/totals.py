"""Volume said as a total: a batch's cadence, or a job's whole size over its length.

    "weekly batch of ~20k docs", "a cron job every 6 hours with ~500 items"     per cadence
    "2.4M tickets … within 3 weeks", "9B tokens … once over roughly 4 weeks"   a one-off job
    "<1000 requests all in" for a hackathon                                    a one-off job of a month

Read only when no rate was said: "40k a day" is the day's volume whatever else is counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.jobs import ONE_OFF, ONE_OFF_MONTHS
from bot.parse.periods import DURATION, duration
from bot.parse.quantities import number_starts, number_value
from bot.parse.words import AMOUNT, TOKENS, VOLUME_NOUN, anchored, is_tokens, span_of
from bot.units import DAYS_PER_MONTH, DAYS_PER_QUARTER, DAYS_PER_WEEK, HOURS_PER_DAY

_COUNTED = re.compile(rf"{AMOUNT}(?:(?P<what>{TOKENS}|{VOLUME_NOUN})|(?P<them>them|those|these)\b)")
_CADENCE = re.compile(
    r"\b(?:(?P<day>nightly|every\s+night|each\s+night|daily|every\s+day|each\s+day|overnight|the\s+day'?s)|"
    r"(?P<week>weekly|every\s+week|each\s+week|once\s+a\s+week|every\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
    r"(?P<month>monthly|every\s+month|each\s+month|once\s+a\s+month)|"
    r"(?P<quarter>quarterly|every\s+quarter|once\s+a\s+quarter)|"
    r"every\s+(?P<hours>\d+)\s*(?:hours?|hrs?|h)|(?P<hour>hourly|every\s+hour))\b",
)
_CADENCE_DAYS = {
    "day": 1.0,
    "week": DAYS_PER_WEEK,
    "month": DAYS_PER_MONTH,
    "quarter": DAYS_PER_QUARTER,
    "hour": 1 / HOURS_PER_DAY,
}
_A_SIZE = re.compile(
    r"\s*(?:each|apiece|per\b|in\b|out\b|of\s+(?:context|input|output|history)|prompts?\b|inputs?\b|answers?\b)"
)
_SIZE_WORDS = re.compile(r"(?:prompts?|inputs?|outputs?|answers?|responses?|context|summar\w*)\W+(?:\w+\W+){0,3}$")


def total_facts(text: str, taken: list[tuple[int, int]]) -> Iterator[Fact]:
    """The day's volume from a cadence or a total, and a total's job length; nothing if neither is said."""
    if cadence := _by_cadence(text, taken):
        yield cadence
        return
    amounts = _amounts(text, taken)
    if not amounts:
        return
    said = DURATION.search(text)
    if said is None:
        if ONE_OFF.search(text):
            amount = max((a for a, _ in amounts), key=lambda a: number_value(a["num"], a["mult"]))
            value = number_value(amount["num"], amount["mult"])
            field = "tokens_per_day" if _tokens(amount) else "requests_per_day"
            reason = f"{value:,.0f} in all over a month, as a one-off job of no stated length is taken"
            yield Fact(field, value / (DAYS_PER_MONTH * ONE_OFF_MONTHS), span_of(text, amount), reason)
        return
    amount = max((a for a, _ in amounts), key=lambda a: number_value(a["num"], a["mult"]))
    length = duration(said)
    field = "tokens_per_day" if _tokens(amount) else "requests_per_day"
    span = _joined(text, amount, said)
    if length.days <= 0:
        yield Fact(field, None, span, problem=f"a period of {said.group(0).split(None, 1)[-1].strip()}")
        return
    value = number_value(amount["num"], amount["mult"])
    yield Fact(field, value / length.days, span, f"{value:,.0f} in all over {length.days:g} days")
    yield Fact("one_off_months", length.months, span)


def impossible_totals(text: str, taken: list[tuple[int, int]]) -> Iterator[Fact]:
    """ "4M documents over 0 months" beside a rate said elsewhere: not read, but set aside with a note."""
    for amount, _ in _amounts(text, taken):
        said = DURATION.search(text, amount.end(), amount.end() + 40)
        if said and duration(said).days <= 0 and not re.search(r"[.;!?\n]", text[amount.end() : said.start()]):
            field = "tokens_per_day" if _tokens(amount) else "requests_per_day"
            period = said.group(0).split(None, 1)[-1].strip()
            yield Fact(field, None, _joined(text, amount, said), problem=f"a period of {period}")


def _by_cadence(text: str, taken: list[tuple[int, int]]) -> Fact | None:
    """ "Nightly job … for ~50k SKUs": an amount in a sentence that says how often it happens."""
    if not any(word in text for word in ("night", "daily", "day", "week", "month", "quarter", "hour", "every")):
        return None
    for sentence in re.finditer(r"[^.;!?\n]+", text):
        cadence = _CADENCE.search(sentence.group(0))
        if cadence is None:
            continue
        inside = [at for at in number_starts(text) if sentence.start() <= at < sentence.end()]
        for match in anchored(_COUNTED, text, inside, sentence.end()):
            if match["num"].strip().lower() in ("a", "an") or _overlaps(match, taken) or _a_size(text, match):
                continue
            unit = next(g for g in ("day", "week", "month", "quarter", "hour", "hours") if cadence[g])
            days = int(cadence["hours"]) / HOURS_PER_DAY if unit == "hours" else _CADENCE_DAYS[unit]
            if days <= 0:
                return None
            value = number_value(match["num"], match["mult"])
            field = "tokens_per_day" if _tokens(match) else "requests_per_day"
            reason = None if days == 1 else f"{value:,.0f} each {cadence.group(0)}"
            return Fact(field, value / days, f"{cadence.group(0)} … {span_of(text, match)}", reason)
    return None


def _amounts(text: str, taken: list[tuple[int, int]]) -> list[tuple[re.Match[str], None]]:
    """Counted amounts of work in the text: not people, not a request's size, not words already read."""
    starts = number_starts(text)
    found = []
    for match in anchored(_COUNTED, text, starts):
        if match["num"].strip().lower() in ("a", "an", "one") or _overlaps(match, taken) or _a_size(text, match):
            continue
        found.append((match, None))
    return found


def _a_size(text: str, match: re.Match[str]) -> bool:
    """ "1.5k tokens each", "prompts are 800 tokens": the size of a request, not an amount of work."""
    return (
        bool(match["what"])
        and _tokens(match)
        and bool(
            _A_SIZE.match(text, match.end()) or _SIZE_WORDS.search(text, max(0, match.start() - 30), match.start())
        )
    )


def _tokens(match: re.Match[str]) -> bool:
    return bool(match["what"]) and is_tokens(match["what"])


def _overlaps(match: re.Match[str], taken: list[tuple[int, int]]) -> bool:
    return any(match.start() < end and start < match.end() for start, end in taken)


def _joined(text: str, amount: re.Match[str], said: re.Match[str]) -> str:
    start, end = sorted((amount, said), key=lambda m: m.start())
    if end.start() - start.end() <= 60:
        return span_of(text, (start.start(), end.end()))
    return f"{span_of(text, start)} … {end.group(0).strip()}"
