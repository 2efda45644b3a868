"""Numbers as people write them ("2M", "2,5M", "1.5 Mio", "500k", "a few thousand") and the
time units they give volumes in."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from bot.units import DAYS_PER_MONTH, DAYS_PER_YEAR, HOURS_PER_DAY, MINUTES_PER_DAY, SECONDS_PER_DAY

WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "couple": 2,
    "pair": 2,
    "few": 3,
    "several": 5,
}
MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "tausend": 1e3,
    "mil": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "millionen": 1e6,
    "millones": 1e6,
    "millón": 1e6,
    "millon": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "mrd": 1e9,
    "hundred": 1e2,
}

# A number: "1,000,000", "1'000", "1 000", "2.5", "2,5" (decimal comma), "~800", or words.
# Thousands separators: "1,000,000", "1'000", "1.000.000" and "5.000" (dot, as in German),
# "1 200 000" (space, as in French); otherwise a dot or comma is a decimal point.
_GROUPED = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:['’]\d{3})+|\d{1,3}(?:\.\d{3})+(?![\d,])"
    r"|\d{1,3}(?:[ \u202f\u00a0]\d{3})+(?!\d)"
)
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_POWER = rf"(?:\s?(?:\^|\*\*)\s?[-+−]?\d+|⁻?[{_SUPERSCRIPTS}]+)"
EXPONENT = rf"(?:[eE][-+]?\d+(?![\w.])|\s?[x×*·]\s?10{_POWER}|{_POWER})"
"""What makes "1e30", "10^30", "10**30", "1.5 x 10^6" or "10⁶" one number, never a truncated "30" or "6"."""
# A minus belongs to the number when it stands alone before it ("-5M", "(-3"), not in "5-10k" or "covid-19";
# nothing after "^" or "**" starts a number (it is an exponent). `_SIGNED` follows a `(?<![\w.$€£])`.
_SIGNED = r"(?<![\^*])(?:[-−](?=\d)|(?<!(?<![\w.])[-−]))"
_DIGITS = rf"{_SIGNED}(?:{_GROUPED}|\d+(?:[.,]\d+)?{EXPONENT}?)"
_WORDS = r"(?:a\s+)?(?:few|couple(?:\s+of)?|dozen|several|pair\s+of|half\s+a)|" + "|".join(
    sorted((w for w in WORD_NUMBERS if w not in {"a", "an"}), key=len, reverse=True)
)
_MULT = r"k|thousand|tausend|mm|mn|mio|millionen|millones|mill[oó]n|millions?|m|bn|billion|mrd|b|hundred"
NUMBER = rf"(?<![\w.$€£])(?P<num>{_DIGITS}|(?:{_WORDS})\b)(?:\s*(?P<mult>{_MULT})\b)?"
"""Regex source for a number with an optional multiplier, captured as num and mult."""
DIGIT_NUMBER = rf"(?<![\w.$€£])(?P<num>{_DIGITS})(?:\s*(?P<mult>k)\b)?"
"""A number in digits ("800", "1.5k"): what request sizes are written in."""
# The same rule, for a pattern that is searched for: it begins by taking one character of sign or digit and
# judges it by what stands before, so the regex engine's fast scan skips every place without one.
_FIRST = r"[-−\d](?:(?<=[-−])(?<![\w.^*][-−])(?=\d)|(?<=\d)(?<![\w.^*]\d)(?<!(?<![\w.])[-−]\d))"
DECIMAL = rf"{_FIRST}\d*(?:[.,]\d+)?{EXPONENT}?"
"""Regex source for a plain number with its sign and exponent ("-0.2", "99.9", "1e6"), for prices and shares."""

MAX_DIGITS = 30
"""A longer run of digits is no figure of a workload (the largest any field takes has 14); see `long_numbers`."""
_DIGIT_RUN = re.compile(r"\d(?:[,.'’]?\d|[ \u202f\u00a0]\d{3}(?!\d))*+")

APPROX = r"(?:about|around|roughly|approx(?:imately)?\.?|~|≈|some|up\s+to|over|nearly|almost|like|maybe)?\s*"
APPROX_BEFORE = re.compile(r"(?:about|around|roughly|approx(?:imately)?\.?|~|≈|some|up\s+to|nearly|almost|maybe)\s*$")
"""An approximation word just before a number, kept in the span people see."""
NUMBER_STARTS = re.compile(rf"(?<![\w.^*$€£])(?:[-−]?\d|(?:{_WORDS})\b)")
"""Where a number could begin: readers are tried only there, not at every character."""


@lru_cache(maxsize=64)  # several readers look for numbers in the same message
def number_starts(text: str) -> tuple[int, ...]:
    """Where each number in `text` could begin (see `NUMBER_STARTS`)."""
    return tuple(m.start() for m in NUMBER_STARTS.finditer(text))


TIME_UNITS = {
    "second": SECONDS_PER_DAY,
    "sec": SECONDS_PER_DAY,
    "s": SECONDS_PER_DAY,
    "minute": MINUTES_PER_DAY,
    "min": MINUTES_PER_DAY,
    "hour": HOURS_PER_DAY,
    "hr": HOURS_PER_DAY,
    "h": HOURS_PER_DAY,
    "day": 1,
    "dya": 1,
    "d": 1,
    "night": 1,
    "tag": 1,
    "jour": 1,
    "día": 1,
    "dia": 1,
    "week": 1 / 7,
    "wk": 1 / 7,
    "woche": 1 / 7,
    "semaine": 1 / 7,
    "semana": 1 / 7,
    "month": 1 / DAYS_PER_MONTH,
    "mo": 1 / DAYS_PER_MONTH,
    "mon": 1 / DAYS_PER_MONTH,
    "monat": 1 / DAYS_PER_MONTH,
    "moi": 1 / DAYS_PER_MONTH,
    "mes": 1 / DAYS_PER_MONTH,
    "stunde": HOURS_PER_DAY,
    "heure": HOURS_PER_DAY,
    "hora": HOURS_PER_DAY,
    "sekunde": SECONDS_PER_DAY,
    "seconde": SECONDS_PER_DAY,
    "segundo": SECONDS_PER_DAY,
    "year": 1 / DAYS_PER_YEAR,
    "yr": 1 / DAYS_PER_YEAR,
    "jahr": 1 / DAYS_PER_YEAR,
    "annum": 1 / DAYS_PER_YEAR,
    "año": 1 / DAYS_PER_YEAR,
    "ano": 1 / DAYS_PER_YEAR,
}
"""How many of each unit make a day (per-unit counts times this are per-day counts)."""
ADVERBS = {
    "hourly": "hour",
    "daily": "day",
    "nightly": "day",
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
    "annually": "year",
}


def time_unit(group: str = "unit") -> str:
    """Regex source for a time unit, captured under `group`."""
    return (
        rf"(?P<{group}>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|dya|nights?|weeks?|wks?|months?|mos?|mon|"
        rf"tage?s?|jours?|d[ií]as?|wochen?|semaines?|semanas?|monate?s?|mois|mes(?:es)?|stunden?|heures?|horas?|"
        rf"sekunden?|secondes?|segundos?|years?|yrs?|jahre?s?|annum|años?|anos?|s|h|d)\b"
    )


PER = r"(?:\s*/\s*|\s+(?:per|a|an|each|every|pro|par|al|por|im|am|je|au|a\s+la)\s+)"
"""Regex source for the link between an amount and its time unit: "/", "per", "a", "each"."""


def number_value(num: str, mult: str | None = None) -> float:
    """The value of a NUMBER match's parts, with its sign and exponent; too large a value is infinite."""
    num = num.strip().lower()
    sign = -1.0 if num[:1] in "-−" else 1.0
    num = num.lstrip("-−")
    words = [w for w in re.split(r"\s+", num) if w not in ("a", "an", "of")] or ["a"]
    if num.startswith("half a"):
        value = 0.5
    elif words[-1] in WORD_NUMBERS:
        value = float(WORD_NUMBERS[words[-1]])
    elif re.fullmatch(_GROUPED, num):
        value = float(
            re.sub(r"[,'’ \u202f\u00a0]", "", num).replace(".", "")
            if not re.search(r",\d{3}", num)
            else re.sub(r"[,'’]", "", num)
        )
    elif powered := _POWERED.fullmatch(num):
        value = _with_exponent(float(powered["mantissa"].replace(",", ".")), powered)
    else:
        value = float(num.replace(",", "."))  # "2,5" is two and a half
    if mult:
        value *= MULTIPLIERS[mult.lower()]
    return sign * value


_POWERED = re.compile(
    rf"(?P<mantissa>\d+(?:[.,]\d+)?)(?:e(?P<e>[-+]?\d+)|\s?[x×*·]\s?10(?P<scaled>{_POWER})|(?P<raised>{_POWER}))"
)
_PLAIN_DIGITS = str.maketrans(_SUPERSCRIPTS + "⁻−", "0123456789--", "^* ")


def _with_exponent(mantissa: float, powered: re.Match[str]) -> float:
    """ "1e30" and "1.5 x 10^6" scale the mantissa by a power of ten; "10^30" and "2**20" raise it."""
    exponent = float((powered["e"] or powered["scaled"] or powered["raised"]).translate(_PLAIN_DIGITS))
    try:
        return mantissa**exponent if powered["raised"] else mantissa * 10.0**exponent
    except (OverflowError, ZeroDivisionError):  # "10^999"; "0^-1" has no value a workload could use either
        return math.inf


def long_numbers(text: str) -> tuple[str, list[tuple[str, int]]]:
    """`text` with every run of more than `MAX_DIGITS` digits taken out, and those runs with their digit counts.

    Such a run is set aside whole, so no reader sees a part of it as a number, and
    nothing reads a 10,000-digit string in more than one pass.
    """
    runs: list[tuple[str, int]] = []

    def take(match: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in match.group(0))
        if digits <= MAX_DIGITS:
            return match.group(0)
        runs.append((match.group(0), digits))
        return " "

    return _DIGIT_RUN.sub(take, text), runs


def per_day(unit: str) -> float:
    """Factor from per-`unit` to per-day."""
    unit = unit.lower()
    unit = {
        "tage": "tag",
        "tages": "tag",
        "dias": "dia",
        "días": "día",
        "wochen": "woche",
        "monate": "monat",
        "monats": "monat",
        "meses": "mes",
        "stunden": "stunde",
        "sekunden": "sekunde",
        "jahre": "jahr",
        "jahres": "jahr",
        "años": "año",
        "anos": "ano",
    }.get(unit, unit)
    unit = unit.rstrip("s") or "s"
    if unit in ADVERBS:
        unit = ADVERBS[unit]
    return TIME_UNITS.get(unit, TIME_UNITS.get(unit[:3], 1))
