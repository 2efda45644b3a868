"""Numbers as people read them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.assessment import ShownIn


def human_count(count: float) -> str:
    """1234567 -> '1.2 million'."""
    for unit, size in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:.0f}"


def money(value_usd: float, shown_in: ShownIn | None = None, *, places: int | None = None) -> str:
    """An amount as people read it, in the team's currency (none: US dollars): cents under 100, whole
    units above, unless `places` says; "€1,743", "CHF 1,743". Every amount shown goes through here."""
    value = value_usd / shown_in.usd_per_unit if shown_in else value_usd
    symbol = shown_in.symbol if shown_in else "$"
    if symbol[-1].isalpha():
        symbol += " "
    decimals = (2 if abs(value) < 100 else 0) if places is None else places
    return f"{symbol}{value:,.{decimals}f}"


def usd(value: float) -> str:
    """Dollars as the checker writes them into its sentences (`in_currency` re-writes them for a team)."""
    return money(value)


_DOLLAR_AMOUNT = re.compile(
    r"(?<![\w$])\$(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<scale>k|thousand|million|billion)\b)?"
)
_SCALES = {"k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def in_currency(text: str, shown_in: ShownIn | None) -> str:
    """`text` with every dollar amount ("$1,882", "$0.13", "$8k") shown in `shown_in`'s currency."""
    if shown_in is None or shown_in.code == "USD":
        return text

    def converted(match: re.Match[str]) -> str:
        scale = _SCALES.get(match["scale"] or "", 1.0)
        return money(float(match["num"].replace(",", "")) * scale, shown_in)

    return _DOLLAR_AMOUNT.sub(converted, text)


def readable(value: object, missing: str = "not said") -> str:
    """A value as an answer shows it: whole thousands with commas, small numbers to 4 figures, yes or
    no, lists as words, and hardware as "2 x rtx-4090": never a Python repr."""
    if value is None:
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.4g}" if value < 1000 else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value) or "none"
    counted = value if isinstance(value, dict) else getattr(value, "__dict__", {})
    if "hardware" in counted and "count" in counted:
        return f"{counted['count']} x {counted['hardware']}"
    return str(value)
