"""Numbers as people read them."""

from __future__ import annotations


def human_count(count: float) -> str:
    """1234567 -> '1.2 million'."""
    for unit, size in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:.0f}"


def usd(value: float) -> str:
    """Dollars as an answer shows them: cents under $100, whole dollars above."""
    return f"${value:,.2f}" if abs(value) < 100 else f"${value:,.0f}"


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
