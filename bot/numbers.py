"""Numbers as people read them."""

from __future__ import annotations


def human_count(count: float) -> str:
    """1234567 -> '1.2 million'."""
    for unit, size in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:.0f}"
