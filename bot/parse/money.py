"""Prices: electricity and an engineer's hour, converted to US dollars."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.quantities import DECIMAL, number_value

_CURRENCY = r"(?P<cur>\$|€|£|usd|eur|euros?|gbp|pounds?|cents?|ct|¢|p\b|pence)"
_KWH = re.compile(rf"(?:(?P<pre>\$|€|£)\s*)?(?P<num>{DECIMAL})\s*{_CURRENCY}?\s*(?:/|per|a|an)\s*kwh")
_HOURLY = re.compile(
    rf"(?P<pre>\$|€|£)\s*(?P<num>{DECIMAL})\s*(?P<k>k)?\s*(?:/|per|an?)\s*(?P<per>h|hr|hour|year|yr|annum)\b",
)
_MINUS_BEFORE = re.compile(r"(?<![\w.])[-−]$")
"""A minus before the currency sign ("-$80/h") is the price's own: it is refused, not dropped."""


def money_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Electricity price and engineer cost, converted to US dollars."""
    d = kb.defaults
    rates = {
        "$": 1.0,
        "usd": 1.0,
        "€": d.usd_per_eur.value,
        "eur": d.usd_per_eur.value,
        "euro": d.usd_per_eur.value,
        "euros": d.usd_per_eur.value,
        "£": d.usd_per_gbp.value,
        "gbp": d.usd_per_gbp.value,
        "pound": d.usd_per_gbp.value,
        "pounds": d.usd_per_gbp.value,
    }
    if match := _KWH.search(text):
        value, said = _signed(text, match)
        currency = (match["pre"] or match["cur"] or "$").lower()
        if currency in ("cents", "cent", "ct", "¢"):
            value, currency = value / 100, "$"
        elif currency in ("p", "pence"):
            value, currency = value / 100, "£"
        converted = value * rates.get(currency, 1.0)
        reason = None if rates.get(currency, 1.0) == 1.0 else f"converted at {rates[currency]:g} USD per {currency}"
        yield Fact("electricity_usd_per_kwh", converted, said, reason)
    for match in _HOURLY.finditer(text):
        context = text[max(0, match.start() - 80) : match.end() + 40].lower()
        if not re.search(
            r"engineer|\beng\b|developer|dev\b|sre|people|salar|labou?r|loaded|staff|hire|contractor|\brate\b", context
        ):
            continue
        value, said = _signed(text, match)
        value *= 1000 if match["k"] else 1
        rate = rates[match["pre"].lower()]
        yearly = match["per"].lower() in ("year", "yr", "annum")
        hourly = value * rate / (d.engineer_hours_per_year.value if yearly else 1)
        notes = [f"{value:,.0f} a year over {d.engineer_hours_per_year.value:,.0f} hours"] if yearly else []
        if rate != 1.0:
            notes.append(f"converted at {rate:g} USD per {match['pre']}")
        yield Fact("engineer_hourly_usd", hourly, said, "; ".join(notes) or None)
        break


def _signed(text: str, match: re.Match[str]) -> tuple[float, str]:
    """A price and the words it was read from, with a minus before its currency sign ("-$80/h") as its own."""
    if match["pre"] and _MINUS_BEFORE.search(text, max(0, match.start() - 2), match.start()):
        return -number_value(match["num"]), text[match.start() - 1 : match.end()].strip()
    return number_value(match["num"]), match.group(0).strip()
