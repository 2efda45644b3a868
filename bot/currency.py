"""A team's own currency: the dated rates of knowledge/currencies.yaml, for prices read and answers shown.

Prices a team writes in another currency are converted to US dollars as they are read; the
checker, the assessment and the decision log keep US dollars. An answer for a team that works
in a currency is shown through `localised`: its sentences give every amount in that currency,
and `bot.numbers.money` writes the amounts of its fields there, at the same rate.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.assessment import Assessment, ShownIn
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.currencies import Currency
from bot.numbers import in_currency

KEPT_AS_SAID = frozenset({"span"})
"""A team's own words are quoted as they wrote them, never converted."""


class UnknownCurrency(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"'{name}' is not a currency we have a rate for; we know {', '.join(known)}")


def find_currency(kb: KnowledgeBase, name: str) -> Currency:
    """A currency by its code or a spelling ("EUR", "eur", "€", "euros"); `UnknownCurrency` otherwise."""
    found = _by_name(kb).get(name.strip().lower())
    if found is None:
        raise UnknownCurrency(name, sorted(kb.currencies))
    return found


def to_usd(kb: KnowledgeBase, name: str) -> float:
    """US dollars for one unit of the currency named."""
    return find_currency(kb, name).usd_per_unit


@cache
def _by_name(kb: KnowledgeBase) -> dict[str, Currency]:
    return {spelling: c for c in kb.currencies.values() for spelling in (c.id.lower(), *c.spellings)}


def shown_in(kb: KnowledgeBase, name: str) -> ShownIn:
    currency = find_currency(kb, name)
    return ShownIn(
        code=currency.id,
        symbol=currency.symbol,
        spellings=sorted({currency.id.lower(), currency.symbol.lower(), *currency.spellings}),
        usd_per_unit=currency.usd_per_unit,
        source=currency.source,
        as_of=currency.as_of.isoformat(),
    )


def localised(assessment: Assessment, shown: ShownIn | None) -> Assessment:
    """`assessment` for reading in `shown`'s currency: its sentences' amounts converted, its number
    fields left in US dollars for `money` to show. US dollars or none: the assessment as it is."""
    if shown is None or shown.code == "USD":
        return assessment
    data = _converted(assessment.model_dump(exclude={"shown_in"}), shown)
    return Assessment.model_validate({**data, "shown_in": shown})


def _converted(data: Any, shown: ShownIn, key: str = "") -> Any:
    if isinstance(data, str):
        return data if key in KEPT_AS_SAID else in_currency(data, shown)
    if isinstance(data, dict):
        return {name: _converted(value, shown, name) for name, value in data.items()}
    if isinstance(data, list):
        return [_converted(value, shown, key) for value in data]
    return data


def rate_line(shown: ShownIn | None) -> str | None:
    """Where an answer's conversion came from, for its footer."""
    if shown is None or shown.code == "USD":
        return None
    return f"Amounts in {shown.code} at {shown.usd_per_unit:g} USD per {shown.code} ({shown.source}, {shown.as_of})."
