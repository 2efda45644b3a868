"""Hybrids: local replicas for the base load, the API for what spills over and for outages.

The total is the local plan plus the API bill for the share above the local capacity
(`traffic.overflow_share`). Local cost rises linearly with replicas while the spilled share
falls ever more slowly, so the total is convex in the replica count, and a lower bound per
replica shape lets the search skip shapes that cannot win.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.check.costs import cloud_monthly_usd
from bot.check.inputs import Inputs
from bot.check.paying import Option, marginal_replica_usd
from bot.check.search import first_true
from bot.check.sizing import MAX_REPLICAS, Plan, Replica, plan_with, replicas_needed
from bot.check.traffic import cheapest_capacity, overflow_share
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.hardware import Rental


@dataclass(slots=True)
class Hybrid:
    plan: Plan
    local_share: float
    cloud_usd: float

    @property
    def monthly_usd(self) -> float:
        return self.plan.cost.monthly_usd + self.cloud_usd


def cheapest_hybrid(kb: KnowledgeBase, inputs: Inputs, options: list[Option], beat: float) -> Hybrid | None:
    """Local replicas for the base load, the API for what spills over and for outages.

    Only a hybrid cheaper than `beat` matters (None otherwise), and a hybrid
    costs at least its shape's floor: shapes are tried cheapest floor first.
    """
    best: Hybrid | None = None
    cloud_usd = cloud_monthly_usd(kb, inputs)
    for option in options:
        to_beat = best.monthly_usd if best else beat
        if option.floor_usd >= to_beat:
            break  # no hybrid of this shape, or of any dearer one, can win
        if _least_hybrid_usd(inputs, option, cloud_usd) >= to_beat:
            continue
        hybrid = _cheapest_hybrid_of(kb, inputs, option.replica, option.rental)
        if hybrid is not None and hybrid.monthly_usd < to_beat:
            best = hybrid
    return best


def _hybrid_replicas_guess(inputs: Inputs, replica: Replica, rental: Rental | None, cloud_usd: float) -> float:
    """Where the hybrid's lower bound is least, as a (fractional) replica count."""
    peak_ratio = inputs.peak_requests_per_s / inputs.average_requests_per_s
    capacity = replica.requests_per_s / inputs.average_requests_per_s  # one replica, in average loads
    if cloud_usd <= 0:
        return 1.0  # a free API leaves nothing for local replicas to save
    marginal = marginal_replica_usd(inputs, replica, rental)
    return cheapest_capacity(peak_ratio, marginal / (capacity * cloud_usd)) / capacity


def _least_hybrid_usd(inputs: Inputs, option: Option, cloud_usd: float) -> float:
    """A lower bound on any hybrid of this shape: floor, the least each further replica adds,
    and the API bill for what spills over. Convex in the count, so its least value is at one
    of the two counts around the continuous optimum."""
    peak_ratio = inputs.peak_requests_per_s / inputs.average_requests_per_s
    capacity = option.replica.requests_per_s / inputs.average_requests_per_s
    marginal = marginal_replica_usd(inputs, option.replica, option.rental)

    def bound(count: int) -> float:
        return option.floor_usd + marginal * (count - 1) + cloud_usd * overflow_share(peak_ratio, count * capacity)

    most = min(replicas_needed(inputs, option.replica), MAX_REPLICAS)
    best = _hybrid_replicas_guess(inputs, option.replica, option.rental, cloud_usd)
    around = {min(most, max(1, math.floor(best))), min(most, max(1, math.ceil(best)))}
    return min(bound(count) for count in around)


def _cheapest_hybrid_of(kb: KnowledgeBase, inputs: Inputs, replica: Replica, rental: Rental | None) -> Hybrid | None:
    """Local cost rises linearly with replicas while the spilled share falls ever more slowly,
    so the total is convex in the replica count: search for where it stops falling."""
    peak_ratio = inputs.peak_requests_per_s / inputs.average_requests_per_s
    seen: dict[int, Hybrid | None] = {}

    def hybrid(count: int) -> Hybrid | None:
        if count not in seen:
            spill = overflow_share(peak_ratio, count * replica.requests_per_s / inputs.average_requests_per_s)
            if spill <= 0:  # this many replicas carry everything: that is the local plan, not a hybrid
                seen[count] = None
            else:
                plan = plan_with(kb, inputs, replica, count, rental=rental, redundant=False, served_share=1 - spill)
                seen[count] = Hybrid(plan, 1 - spill, cloud_monthly_usd(kb, inputs, spill))
        return seen[count]

    def stops_falling(count: int) -> bool:
        here, after = hybrid(count), hybrid(count + 1)
        return here is None or after is None or after.monthly_usd >= here.monthly_usd

    # The convex lower bound's optimum is a good first guess for the real one.
    guess = _hybrid_replicas_guess(inputs, replica, rental, cloud_monthly_usd(kb, inputs))
    most = min(replicas_needed(inputs, replica), MAX_REPLICAS)
    best = first_true(stops_falling, round(guess), most)
    return hybrid(best if best is not None else most)
