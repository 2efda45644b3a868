"""Break-even volume, payback, and what would flip the answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot.check.costs import cloud_monthly_usd, cloud_request_usd, days_per_month, staff_factor
from bot.check.inputs import Inputs
from bot.check.sizing import MAX_REPLICAS, Plan, Replica, plan_with, ways_to_pay
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import human_count

SEARCH_UP_TO = 1_000.0  # look for a break-even up to a thousand times today's volume
NEVER_MONTHS = 120.0  # a payback beyond ten years is no payback


@dataclass(frozen=True)
class Flip:
    what: str
    """volume, api_price, engineer_cost or ops_staff."""
    value: float
    text: str


def scaled(inputs: Inputs, factor: float) -> Inputs:
    return dataclasses.replace(
        inputs,
        requests_per_day=inputs.requests_per_day * factor,
        peak_requests_per_s=inputs.peak_requests_per_s * factor,
    )


def break_even_requests_per_day(kb: KnowledgeBase, inputs: Inputs, replicas: Sequence[Replica]) -> float | None:
    """The lowest daily volume at which some local configuration costs what the API does."""
    crossings = [
        crossing
        for replica in replicas
        for rented in ways_to_pay(replica.hardware, inputs)
        if (crossing := _crossing(kb, inputs, replica, rented)) is not None
    ]
    return min(crossings, default=None)


def _crossing(kb: KnowledgeBase, inputs: Inputs, replica: Replica, rented: bool) -> float | None:
    """Where replicas of one shape first cost what the API does.

    Between one replica count and the next, local cost is a fixed part plus
    power rising linearly with load, and the API bill is linear through zero:
    each interval is solved exactly.
    """
    per_day_usd = cloud_request_usd(inputs) * days_per_month(kb)  # API cost of one request a day, per month
    # Requests a day one replica carries when its capacity meets this workload's peak.
    per_replica = replica.requests_per_s * inputs.requests_per_day / inputs.peak_requests_per_s
    lower = 0.0
    for count in range(1, MAX_REPLICAS + 1):
        upper = per_replica * count
        start = max(lower, upper * 1e-6)
        a, b = (_local_usd(kb, inputs, replica, count, rented, volume) for volume in (start, upper))
        slope = (b - a) / (upper - start)
        fixed = a - slope * start
        if per_day_usd > slope:
            crossing = fixed / (per_day_usd - slope)
            if lower < crossing <= upper:
                return crossing
        if upper > inputs.requests_per_day * SEARCH_UP_TO:
            return None
        lower = upper
    return None


def _local_usd(
    kb: KnowledgeBase, inputs: Inputs, replica: Replica, count: int, rented: bool, requests_per_day: float
) -> float:
    at_volume = scaled(inputs, requests_per_day / inputs.requests_per_day)
    return plan_with(kb, at_volume, replica, count, rented=rented).cost.monthly_usd


def payback_months(kb: KnowledgeBase, inputs: Inputs, plan: Plan) -> float | None:
    """Months until the up-front cost is earned back by a lower monthly bill than the API's."""
    saving = cloud_monthly_usd(kb, inputs) - plan.cost.running_usd
    if plan.cost.capex_usd <= 0 or saving <= 0 or plan.cost.capex_usd / saving > NEVER_MONTHS:
        return None
    return plan.cost.capex_usd / saving


def flips(kb: KnowledgeBase, inputs: Inputs, plan: Plan, cloud_usd: float, break_even: float | None) -> list[Flip]:
    """Where the cost comparison turns, in volume, API price, engineer cost and staffing.

    `break_even` is the daily request volume from `break_even_requests_per_day`.
    """
    results: list[Flip] = []
    local_usd = plan.cost.monthly_usd
    local_wins = local_usd < cloud_usd
    if break_even is not None:
        tokens = break_even * (inputs.input_tokens + inputs.output_tokens)
        side = "cloud becomes cheaper below" if local_wins else "local becomes cheaper above"
        results.append(Flip("volume", tokens, f"{side} about {human_count(tokens)} tokens a day"))
    price_factor = local_usd / cloud_usd
    if 0.05 <= price_factor <= 20:
        change = "fell to" if price_factor < 1 else "rose to"
        results.append(
            Flip("api_price", price_factor, f"if {inputs.api_name} prices {change} {price_factor:.0%} of today's")
        )
    hourly = inputs.engineer_hourly_usd * staff_factor(kb, inputs)
    hours = plan.cost.labour_usd / hourly if hourly else 0
    if hours > 0:
        other = local_usd - plan.cost.labour_usd
        even_rate = (cloud_usd - other) / hours / staff_factor(kb, inputs)
        if even_rate > 0:  # at or below zero, local stays dearer even with free labour
            results.append(
                Flip("engineer_cost", even_rate, f"at an engineer cost of ${even_rate:,.0f} an hour the two are even")
            )
    if inputs.data_policy == "must-stay" or inputs.offline:
        results.append(
            Flip("data_policy", cloud_usd, f"if the work could go to an API, {inputs.api_name} would cost "
                 f"${cloud_usd:,.2f} a month")
        )
    if inputs.ops_staff == 0 and not local_wins:
        staffed = dataclasses.replace(inputs, ops_staff=1.0)
        staffed_usd = plan_with(kb, staffed, plan.replica, plan.replicas, rented=plan.fleet.rented).cost.monthly_usd
        if staffed_usd < cloud_usd:
            results.append(Flip("ops_staff", 1, "if someone on the team already ran servers"))
    return results
