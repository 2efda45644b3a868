"""A bill as a volume: "our Anthropic invoice runs ~$12k/mo on Sonnet" says how much goes through it.

The spend is read here, in US dollars a day; `volume_from_spend` turns it into requests a day
at the named API's price for a request of the stated (or default) size, once the rest of the
message is read. What it gives is marked inferred, with the price it was divided by.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.currency import find_currency
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.currencies import Currency
from bot.numbers import money as amount
from bot.parse.facts import Fact
from bot.parse.money import CURRENCY
from bot.parse.text import says_any
from bot.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from bot.workload import Provenance

SPEND = "spend_usd_per_day"
"""A fact's field for a spend: not a workload field, turned into one by `volume_from_spend`."""
_AMOUNT = r"(?P<num>\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d+)?)(?:\s*(?P<k>k|m)\b)?"
_AMOUNT_BEFORE = _AMOUNT.replace("P<", "P<a_")
_MONEY = re.compile(
    rf"(?P<pre>[$€£])\s*{_AMOUNT}|{_AMOUNT_BEFORE}\s*(?P<post>usd|eur|gbp|dollars?|euros?|pounds?|€|\$|£)",
)
_PERIOD_AFTER = re.compile(
    r"\s*(?:/|per\b|an?\b|each\b|every\b|pro\b|par\b|im\b)\s*(?P<unit>months?|mo|monat|mois|weeks?|wk|woche|days?|tag|"
    r"years?|yr|annum|jahr)\b|\s+(?P<adverb>monthly|weekly|daily|yearly|annually)\b|"
    r"[^.;\n]{0,12}?\b(?:last|this|per|a)\s+(?P<last>month|week|year)\b",
)
_PERIOD_BEFORE = re.compile(r"(?P<adjective>monthly|weekly|daily|annual|yearly)\b(?:[^.;\n]|\.(?=\S)){0,40}$")
_CUE = re.compile(
    r"bill|invoice|spend|spent|pay|paid|costs?\s+us|line\s+item|rechnung|kosten|facture|burn|budget\s+for",
)
_ON_API = re.compile(r"\s*(?:on|for|with|through|to)\s")
_NOT_SPEND = re.compile(r"engineer|salar|hourly|/\s*h\b|per\s+hour|kwh|loaded|hire|contractor|\brate\b|quote")
_DAYS = {
    "mo": DAYS_PER_MONTH,
    "mon": DAYS_PER_MONTH,
    "moi": DAYS_PER_MONTH,
    "wee": 7.0,
    "wk": 7.0,
    "woc": 7.0,
    "day": 1.0,
    "tag": 1.0,
}
_DAYS |= {"yea": DAYS_PER_YEAR, "yr": DAYS_PER_YEAR, "ann": DAYS_PER_YEAR, "jah": DAYS_PER_YEAR, "dai": 1.0}
_CURRENCY_CUES = ("$", "€", "£", "usd", "eur", "gbp", "dollar", "pound")


def spend_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """What the team pays for the API, in US dollars a day, with the words it was read from."""
    if not says_any(text, _CURRENCY_CUES):
        return
    for money in _MONEY.finditer(text):
        reach = max(0, money.start() - 60)
        clause_start = max(text.rfind(c, reach, money.start()) for c in (". ", ";", "\n")) + 1
        before = text[max(clause_start, money.start() - 60) : money.start()]
        after = text[money.end() : money.end() + 40]
        if _NOT_SPEND.search(before) or _NOT_SPEND.search(after[:15]):
            continue
        period = _PERIOD_AFTER.match(text, money.end())
        adjective = _PERIOD_BEFORE.search(before)
        end = period.end() if period else money.end()
        used_on = _ON_API.match(text, end)
        if not (period or adjective) or not (_CUE.search(before) or _CUE.search(after) or used_on):
            continue
        unit = str(period["unit"] or period["adverb"] or period["last"]) if period else _adjective(adjective)
        days = _DAYS.get(unit[:3], _DAYS.get(unit[:2], DAYS_PER_MONTH))
        value, currency = _usd(kb, money)
        span = text[money.start() - len(adjective.group(0)) if adjective else money.start() : end].strip()
        reason = None if currency.id == "USD" else f"converted at {currency.usd_per_unit:g} USD per {currency.id}"
        if currency.id != "USD":
            yield Fact(CURRENCY, currency.id, span)
        yield Fact(SPEND, value / days, span, reason)
        return


def _adjective(adjective: re.Match[str] | None) -> str:
    return adjective["adjective"] if adjective else "month"


def _usd(kb: KnowledgeBase, money: re.Match[str]) -> tuple[float, Currency]:
    from bot.parse.quantities import number_value

    num, k = (money["num"], money["k"]) if money["pre"] else (money["a_num"], money["a_k"])
    value = number_value(num) * {"k": 1e3, "m": 1e6}.get(k or "", 1.0)
    currency = find_currency(kb, money["pre"] or money["post"])
    return value * currency.usd_per_unit, currency


def volume_from_spend(
    spend: Fact, fields: dict[str, Any], provenance: dict[str, Provenance], kb: KnowledgeBase
) -> str | None:
    """Requests a day from what is spent, at the named API's price; a note when there is no API to price it."""
    from bot.knowledge.prices import request_cost_usd

    per_day = float(spend.value)  # type: ignore[arg-type]
    api = kb.api_models.get(str(fields.get("api_model")))
    if api is None:
        return f"Read a spend of '{spend.span}', but no API model to price it with: name it to turn it into a volume."
    size_in = int(fields.get("input_tokens") or kb.defaults.input_tokens.value)
    size_out = int(fields.get("output_tokens") or kb.defaults.output_tokens.value)
    try:
        cost = request_cost_usd(api.ref, size_in, size_out)
    except LookupError:
        return f"Read a spend of '{spend.span}', but {api.name} has no price to turn it into a volume."
    if cost <= 0 or per_day <= 0:
        return None
    fields["requests_per_day"] = per_day / cost
    reason = (
        f"{amount(per_day * DAYS_PER_MONTH, places=0)} a month at {api.name}'s list price of "
        f"{amount(cost, places=5)} a request "
        f"({size_in:,} tokens in, {size_out:,} out)" + (f"; {spend.reason}" if spend.reason else "")
    )
    provenance["requests_per_day"] = Provenance(how="inferred", span=spend.span, reason=reason)
    return None
