"""How a day's load is spread, for what spills over a given capacity.

With only the average and the peak known, the day's load-duration curve (load
sorted from busiest to quietest) is taken as a straight line from the peak
down: to `2 - peak` when the peak is at most twice the average, otherwise to
zero over the busiest `2 / peak` of the day. Both keep the average right.
"""

from __future__ import annotations


def overflow_share(peak_to_average: float, capacity: float) -> float:
    """Share of the day's volume above `capacity`, both in units of the average load."""
    peak = max(peak_to_average, 1.0)
    if capacity >= peak:
        return 0.0
    capacity = max(capacity, 0.0)
    if peak <= 2:
        floor = 2 - peak
        if capacity <= floor:
            return 1 - capacity
        return (peak - capacity) ** 2 / (2 * (peak - floor)) if peak > floor else 0.0
    return (peak - capacity) ** 2 / peak**2
