"""Stretches of time as people give them: how long a job may take, and the hours a service is used.

"within 3 weeks", "over the next half year", "by end of month", "in a 48 hour window"   a job's length
"9-5, weekdays", "from 7am to 7pm", "9:00-17:30, Monday to Friday", "~8h/day"          the hours in use
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parse.quantities import DECIMAL, WORD_NUMBERS, number_value
from bot.units import DAYS_PER_MONTH, DAYS_PER_QUARTER, DAYS_PER_WEEK, DAYS_PER_YEAR, HOURS_PER_DAY, MINUTES_PER_HOUR

_LEAD = (
    r"(?:over|across|within|during|in|for|taking|lasting|spread\s+over|timeline\s+(?:is|of)|done\s+in|under|by|"
    r"inside|wrapped\s+up\s+(?:in|within|by))"
)
_COUNTED = "|".join(w for w in WORD_NUMBERS if w not in ("a", "an", "few", "several", "couple", "pair", "dozen"))
_SPAN = (
    r"(?:(?:the\s+)?next\s+|the\s+|a\s+|an\s+|one\s+)?(?:about\s+|around\s+|roughly\s+|approx\.?\s+|~\s*)?"
    rf"(?:(?P<hours>\d+)[- ]?(?:hours?|hrs?|h)\b"
    rf"|(?P<n>{DECIMAL}|{_COUNTED})[- ]?(?P<unit>days?|weeks?|wks?|months?|mos?|years?)\b"
    r"|(?P<named>fortnight|weekend|quarter|half\s+(?:a\s+)?year|year|week(?:\s+or\s+so)?|month)\b"
    r"|end\s+of\s+(?:the\s+)?(?P<end>month|week|quarter|year))"
)
DURATION = re.compile(rf"\b(?:{_LEAD}\s+|(?=(?:a|an|the)\s+\S+-(?:hours?|days?|weeks?|months?|years?)\b)){_SPAN}")
"""How long a job may run: what follows "over", "within", "by" and the like."""
_DAYS = {
    "day": 1.0,
    "week": DAYS_PER_WEEK,
    "wk": DAYS_PER_WEEK,
    "month": DAYS_PER_MONTH,
    "mo": DAYS_PER_MONTH,
    "year": DAYS_PER_YEAR,
}
_NAMED_DAYS = {"fortnight": 14.0, "weekend": 2.0, "quarter": DAYS_PER_QUARTER} | _DAYS


@dataclass(frozen=True)
class Duration:
    days: float
    months: float
    """As a one-off job's length is kept: weeks are quarters of a month, days a `DAYS_PER_MONTH`th of one."""
    span: str


def duration(match: re.Match[str]) -> Duration:
    """The length a `DURATION` match gives."""
    span = match.group(0).strip()
    if match["hours"]:
        days = number_value(match["hours"]) / HOURS_PER_DAY
        return Duration(days, days / DAYS_PER_MONTH, span)
    if match["n"]:
        amount, unit = number_value(match["n"]), match["unit"].rstrip("s")
        days = amount * _DAYS[unit]
        return Duration(days, amount / 4 if unit in ("week", "wk") else days / DAYS_PER_MONTH, span)
    named = match["named"] or match["end"]
    if named.startswith("half"):
        return Duration(DAYS_PER_YEAR / 2, 6.0, span)
    days = _NAMED_DAYS[named.split()[0]]
    months = {"week": 0.25, "fortnight": 0.5, "quarter": 3.0, "year": 12.0, "month": 1.0}.get(named.split()[0])
    return Duration(days, months if months is not None else days / DAYS_PER_MONTH, span)


def find_duration(text: str, start: int = 0, end: int | None = None) -> Duration | None:
    match = DURATION.search(text, start, len(text) if end is None else end)
    return duration(match) if match else None


_CLOCK = re.compile(
    r"(?<![\d.:,/])(?P<a>[01]?\d|2[0-4])(?::(?P<am>[0-5]\d))?\s*(?P<ap>am|pm|h)?\s*(?:-|–|—|to|until|till|and)\s*"
    r"(?P<b>[01]?\d|2[0-4])(?::(?P<bm>[0-5]\d))?\s*(?P<bp>am|pm|h)?(?![\d:.]|\s*(?:%|x\b|times|k\b|m\b|[a-z]+s\b))",
)
_CLOCK_CUE = re.compile(r"(?:hours|from|between|open|staffed|used|runs?|during|only|shifts?)\W{1,4}(?:\w+\W+){0,2}$")
_WEEKDAYS = re.compile(
    r"mon(?:day)?\s*(?:-|–|to|through|thru)\s*fri(?:day)?|\bweekdays?\b|business\s+days|working\s+days|work\s*days"
)
_HOURS_A_DAY = re.compile(
    rf"(?P<h>{DECIMAL})\s*(?:h|hrs?|hours?)\s*(?:/|a|per)\s*day\b|(?P<h2>{DECIMAL})[- ]hour\s+days?"
)


@dataclass(frozen=True)
class Window:
    """The hours of a day a service is used, and whether only on weekdays."""

    hours: float
    weekdays: bool
    span: str


def hours_window(text: str) -> Window | None:
    """ "9-5, weekdays", "from 7am to 7pm", "9:00-17:30, Monday to Friday", "(so ~8h/day)"."""
    weekdays = _WEEKDAYS.search(text)
    found: tuple[float, str] | None = None
    for clock in _CLOCK.finditer(text):
        said = clock["ap"] or clock["bp"] or clock["am"] or clock["bm"]
        near = text[clock.end() : clock.end() + 20]
        cued = said or _CLOCK_CUE.search(text[max(0, clock.start() - 30) : clock.start()]) or _WEEKDAYS.search(near)
        if cued and (hours := _clock_hours(clock)) is not None:
            found = (hours, clock.group(0).strip())
            break
    if found is None and (per_day := _HOURS_A_DAY.search(text)):
        found = (number_value(per_day["h"] or per_day["h2"]), per_day.group(0))
    if found is None:
        return None
    hours, span = found
    if weekdays:
        span = (
            f"{span} … {weekdays.group(0)}" if weekdays.start() > text.find(span) else f"{weekdays.group(0)} … {span}"
        )
    return Window(hours, weekdays is not None, span) if 0 < hours < 24 else None


def _clock_hours(clock: re.Match[str]) -> float | None:
    start = _hour(int(clock["a"]), clock["ap"] or (clock["bp"] if clock["bp"] in ("am", "pm") else None))
    start += int(clock["am"] or 0) / MINUTES_PER_HOUR
    end = _hour(int(clock["b"]), clock["bp"]) + int(clock["bm"] or 0) / MINUTES_PER_HOUR
    if end <= start and not clock["bp"]:
        end += 12  # "9-5": five in the afternoon
    hours = end - start
    return hours if 1 <= hours <= 23 else None


def _hour(hour: int, half: str | None) -> float:
    if half == "pm" and hour < 12:
        return hour + 12
    if half == "am" and hour == 12:
        return 0
    return hour
