"""Numbers as people write them ("2M", "2,5M", "1.5 Mio", "500k", "a few thousand") and the
time units they give volumes in."""

from __future__ import annotations

import re

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
_DIGITS = _GROUPED + r"|\d+(?:[.,]\d+)?"
_WORDS = r"(?:a\s+)?(?:few|couple(?:\s+of)?|dozen|several|pair\s+of|half\s+a)|" + "|".join(
    sorted((w for w in WORD_NUMBERS if w not in {"a", "an"}), key=len, reverse=True)
)
_MULT = r"k|thousand|tausend|mm|mn|mio|millionen|millones|mill[oó]n|millions?|m|bn|billion|mrd|b|hundred"
NUMBER = rf"(?<![\w.$€£])(?P<num>{_DIGITS}|(?:{_WORDS})\b)(?:\s*(?P<mult>{_MULT})\b)?"
"""Regex source for a number with an optional multiplier, captured as num and mult."""
DIGIT_NUMBER = rf"(?<![\w.$€£])(?P<num>{_DIGITS})(?:\s*(?P<mult>k)\b)?"
"""A number in digits ("800", "1.5k"): what request sizes are written in."""

APPROX = r"(?:about|around|roughly|approx(?:imately)?\.?|~|≈|some|up\s+to|over|nearly|almost|like|maybe)?\s*"
APPROX_BEFORE = re.compile(r"(?:about|around|roughly|approx(?:imately)?\.?|~|≈|some|up\s+to|nearly|almost|maybe)\s*$")
"""An approximation word just before a number, kept in the span people see."""
NUMBER_STARTS = re.compile(rf"(?<![\w.$€£])(?:\d|(?:{_WORDS})\b)")
"""Where a number could begin: readers are tried only there, not at every character."""

TIME_UNITS = {
    "second": 86_400,
    "sec": 86_400,
    "s": 86_400,
    "minute": 1_440,
    "min": 1_440,
    "hour": 24,
    "hr": 24,
    "h": 24,
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
    "month": 1 / 30.4,
    "mo": 1 / 30.4,
    "mon": 1 / 30.4,
    "monat": 1 / 30.4,
    "moi": 1 / 30.4,
    "mes": 1 / 30.4,
    "stunde": 24,
    "heure": 24,
    "hora": 24,
    "sekunde": 86_400,
    "seconde": 86_400,
    "segundo": 86_400,
}
"""How many of each unit make a day (per-unit counts times this are per-day counts)."""
ADVERBS = {"hourly": "hour", "daily": "day", "nightly": "day", "weekly": "week", "monthly": "month"}


def time_unit(group: str = "unit") -> str:
    """Regex source for a time unit, captured under `group`."""
    return (
        rf"(?P<{group}>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|dya|nights?|weeks?|wks?|months?|mos?|mon|"
        rf"tage?s?|jours?|d[ií]as?|wochen?|semaines?|semanas?|monate?s?|mois|mes(?:es)?|stunden?|heures?|horas?|"
        rf"sekunden?|secondes?|segundos?|s|h|d)\b"
    )


PER = r"(?:\s*/\s*|\s+(?:per|a|an|each|every|pro|par|al|por|im|am|je|au|a\s+la)\s+)"
"""Regex source for the link between an amount and its time unit: "/", "per", "a", "each"."""


def number_value(num: str, mult: str | None = None) -> float:
    """The value of a NUMBER match's parts."""
    num = num.strip().lower()
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
    else:
        value = float(num.replace(",", "."))  # "2,5" is two and a half
    if mult:
        value *= MULTIPLIERS[mult.lower()]
    return value


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
    }.get(unit, unit)
    unit = unit.rstrip("s") or "s"
    if unit in ADVERBS:
        unit = ADVERBS[unit]
    return TIME_UNITS.get(unit, TIME_UNITS.get(unit[:3], 1))
