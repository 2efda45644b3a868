"""Prices: electricity and an engineer's hour, converted to US dollars at the rates of knowledge/currencies.yaml.

A price written in a currency other than the dollar also says the team works in it: a `CURRENCY`
fact, which the answer is shown in (`Parsed.currency`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from bot.currency import find_currency
from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.quantities import DECIMAL, number_value

CURRENCY = "currency"
"""A fact's field for the currency a message writes its prices in: not a workload field."""
_HUNDREDTHS = {"cents": "USD", "cent": "USD", "ct": "USD", "¢": "USD", "p": "GBP", "pence": "GBP"}
_MINUS_BEFORE = re.compile(r"(?<![\w.])[-−]$")
"""A minus before the currency sign ("-$80/h") is the price's own: it is refused, not dropped."""
_ENGINEERS = re.compile(
    r"engineer|\beng\b|developer|dev\b|sre|people|salar|labou?r|loaded|staff|hire|contractor|\brate\b"
)


@cache
def _patterns(kb: KnowledgeBase) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A kWh price and an hourly (or yearly) cost, in any currency the table spells."""
    names = {s for c in kb.currencies.values() for s in (c.id.lower(), *c.spellings)} | set(_HUNDREDTHS)
    ordered = sorted(names, key=len, reverse=True)
    words = "|".join(re.escape(n) + (r"\b" if n[-1].isalnum() else "") for n in ordered)
    signs = "|".join(re.escape(n) for n in ordered if not n.isalpha() and n not in _HUNDREDTHS)
    kwh = re.compile(rf"(?:(?P<pre>{signs})\s*)?(?P<num>{DECIMAL})\s*(?P<cur>{words})?\s*(?:/|per|a|an)\s*kwh")
    hourly = re.compile(
        rf"(?:(?P<pre>{signs})\s*)?(?P<num>{DECIMAL})\s*(?P<k>k)?\s*(?P<cur>{words})?"
        r"\s*(?:/|per|an?)\s*(?P<per>h|hr|hour|year|yr|annum)\b",
    )
    return kwh, hourly


def money_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Electricity price and engineer cost, converted to US dollars; the currency, when not the dollar."""
    d = kb.defaults
    kwh, hourly = _patterns(kb)
    if match := kwh.search(text):
        value, said = _signed(text, match)
        name = match["pre"] or match["cur"] or "$"
        if name in _HUNDREDTHS:
            value, name = value / 100, _HUNDREDTHS[name]
        yield from _currency_fact(kb, name, said)
        rate = find_currency(kb, name).usd_per_unit
        yield Fact("electricity_usd_per_kwh", value * rate, said, _converted(kb, name))
    for match in hourly.finditer(text):
        if not (match["pre"] or match["cur"]) or (match["cur"] or "") in _HUNDREDTHS:
            continue
        context = text[max(0, match.start() - 80) : match.end() + 40].lower()
        if not _ENGINEERS.search(context):
            continue
        value, said = _signed(text, match)
        value *= 1000 if match["k"] else 1
        name = match["pre"] or match["cur"]
        rate = find_currency(kb, name).usd_per_unit
        yearly = match["per"].lower() in ("year", "yr", "annum")
        hourly_usd = value * rate / (d.engineer_hours_per_year.value if yearly else 1)
        notes = [f"{value:,.0f} a year over {d.engineer_hours_per_year.value:,.0f} hours"] if yearly else []
        notes += [why] if (why := _converted(kb, name)) else []
        yield from _currency_fact(kb, name, said)
        yield Fact("engineer_hourly_usd", hourly_usd, said, "; ".join(notes) or None)
        break


def _currency_fact(kb: KnowledgeBase, name: str, said: str) -> Iterator[Fact]:
    code = find_currency(kb, name).id
    if code != "USD":
        yield Fact(CURRENCY, code, said)


def _converted(kb: KnowledgeBase, name: str) -> str | None:
    currency = find_currency(kb, name)
    if currency.id == "USD":
        return None
    return f"converted at {currency.usd_per_unit:g} USD per {currency.id} ({currency.source}, {currency.as_of})"


def _signed(text: str, match: re.Match[str]) -> tuple[float, str]:
    """A price and the words it was read from, with a minus before its currency sign ("-$80/h") as its own."""
    if match["pre"] and _MINUS_BEFORE.search(text, max(0, match.start() - 2), match.start()):
        return -number_value(match["num"]), text[match.start() - 1 : match.end()].strip()
    return number_value(match["num"]), match.group(0).strip()
