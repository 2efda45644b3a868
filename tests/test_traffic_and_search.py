"""The load curve, the closed-form hybrid optimum and the search they rely on, against brute force."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.check.search import first_true
from bot.check.traffic import cheapest_capacity, overflow_share

peaks = st.floats(min_value=1.0, max_value=50.0)


def load_curve(peak: float, points: int = 20_000) -> list[float]:
    """The day's load, busiest first, sampled: the straight line overflow_share assumes."""
    if peak <= 2:
        return [peak - (peak - (2 - peak)) * (i + 0.5) / points for i in range(points)]
    busy = 2 / peak
    return [max(0.0, peak * (1 - ((i + 0.5) / points) / busy)) for i in range(points)]


@given(peaks)
def test_the_curve_keeps_the_average_and_the_peak(peak: float) -> None:
    curve = load_curve(peak)
    assert abs(sum(curve) / len(curve) - 1) < 1e-3
    assert abs(max(curve) - peak) < peak * 1e-3


@given(peaks, st.floats(min_value=0.0, max_value=60.0))
def test_overflow_share_is_what_spills_over_the_capacity(peak: float, capacity: float) -> None:
    curve = load_curve(peak)
    spilled = sum(max(0.0, load - capacity) for load in curve) / len(curve)
    assert abs(overflow_share(peak, capacity) - spilled) < 2e-3


def test_no_capacity_spills_everything_and_enough_spills_nothing() -> None:
    assert overflow_share(4, 0) == 1 and overflow_share(4, 4) == 0 and overflow_share(1.5, 1.5) == 0


@given(peaks, st.floats(min_value=0.0, max_value=3.0))
def test_cheapest_capacity_minimises_capacity_cost_plus_spill(peak: float, price: float) -> None:
    def total(capacity: float) -> float:
        return price * capacity + overflow_share(peak, capacity)

    grid = min(total(peak * i / 2000) for i in range(2001))
    assert total(cheapest_capacity(peak, price)) <= grid + 1e-9


@given(st.integers(1, 5000), st.integers(1, 5001), st.integers(-10, 6000))
def test_first_true_finds_the_switch_from_any_guess(limit: int, switch: int, guess: int) -> None:
    calls: list[int] = []

    def holds(n: int) -> bool:
        assert 1 <= n <= limit, "never asks outside the range"
        calls.append(n)
        return n >= switch

    found = first_true(holds, guess, limit)
    assert found == (switch if switch <= limit else None)
    assert len(calls) <= 4 * (limit.bit_length() + 1)
