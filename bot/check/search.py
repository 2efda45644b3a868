"""Searching integer ranges where a condition switches from false to true once."""

from __future__ import annotations

from collections.abc import Callable


def first_true(holds: Callable[[int], bool], guess: int, limit: int) -> int | None:
    """The smallest n in 1..limit for which `holds(n)` (false below it, true from it on).

    Gallops from `guess` (doubling the step until it passes the answer), then
    bisects, so a good guess costs a few calls and a poor one only log(limit).
    """
    guess = min(max(guess, 1), limit)
    if holds(guess):
        high, step = guess, 1
        while high > 1 and holds(max(1, high - step)):
            high, step = max(1, high - step), step * 2
        low = max(1, high - step + 1) if high > 1 else 1
    else:
        low, step = guess + 1, 1
        while True:
            if low > limit:
                return None
            candidate = min(limit, guess + step)
            if holds(candidate):
                high = candidate
                break
            if candidate == limit:
                return None
            low, step = candidate + 1, step * 2
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return high
