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


def cheapest_capacity(peak_to_average: float, cost_per_capacity: float) -> float:
    """The capacity (in units of the average load) minimising
    `cost_per_capacity * capacity + overflow_share(peak_to_average, capacity)`.

    Both terms are convex in the capacity, so the minimum is where the slope of
    the spilled share meets `cost_per_capacity`: solved on each straight-line
    piece of the load-duration curve.
    """
    peak = max(peak_to_average, 1.0)
    if cost_per_capacity <= 0:
        return peak
    if peak > 2:
        return min(peak, max(0.0, peak - cost_per_capacity * peak**2 / 2))
    floor = 2 - peak
    if cost_per_capacity >= 1:
        return 0.0  # below the floor each unit of capacity saves exactly one unit of spill
    return min(peak, max(floor, peak - cost_per_capacity * (peak - floor)))
