"""Break-even volume, payback, and what would flip the answer."""

from __future__ import annotations

import dataclasses
import math

from bot.assessment import Flip
from bot.check.costs import cloud_monthly_usd, days_per_month
from bot.check.inputs import Inputs
from bot.check.paying import Option, marginal_replica_usd
from bot.check.search import first_true
from bot.check.sizing import MAX_REPLICAS, Plan, Replica, plan_with
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Rental
from bot.numbers import human_count, usd
from bot.units import tokens_from_requests

SEARCH_UP_TO = 1_000.0  # look for a break-even up to a thousand times today's volume
NEVER_MONTHS = 120.0  # a payback beyond ten years is no payback


def _flip(what: str, value: float, text: str) -> Flip:
    """`what`: data_policy, volume, api_price, engineer_cost or ops_staff."""
    return Flip(what=what, value=round(value, 2), text=text)


def break_even_requests_per_day(kb: KnowledgeBase, inputs: Inputs, options: list[Option]) -> float | None:
    """The lowest daily volume at which some local configuration costs what the API does.

    `options` come cheapest floor first (`by_floor_cost`).
    """
    per_request_usd = inputs.request_usd * days_per_month(kb)  # monthly API cost of one request a day
    best: float | None = None
    for option in options:
        if best is not None and option.floor_usd >= per_request_usd * best:
            break  # below `best` requests a day the API bill is under this shape's floor
        if not _could_cross_before(inputs, option, per_request_usd, best):
            continue
        crossing = _crossing(kb, inputs, option.replica, option.rental)
        if crossing is not None and (best is None or crossing < best):
            best = crossing
    return best


def _could_cross_before(inputs: Inputs, option: Option, per_request_usd: float, best: float | None) -> bool:
    """Whether this shape can reach the API's cost below `best` requests a day.

    Each replica beyond the first costs at least its devices' capital or rent.
    If the API bill for the traffic one replica carries is less than that, the
    local cost outruns the API for good; otherwise the same bound says how
    early it could cross at the soonest.
    """
    replica = option.replica
    marginal = marginal_replica_usd(inputs, replica, option.rental)
    if marginal == 0:
        return True  # extra replicas cost nothing up front (owned devices): no useful bound
    per_replica = replica.requests_per_s * inputs.requests_per_day / inputs.peak_requests_per_s
    api_per_replica = per_request_usd * per_replica
    if api_per_replica <= marginal:
        return False
    soonest = (option.floor_usd - marginal) / (per_request_usd - marginal / per_replica)
    return best is None or soonest < best


def _crossing(kb: KnowledgeBase, inputs: Inputs, replica: Replica, rental: Rental | None) -> float | None:
    """Where replicas of one shape first cost what the API does.

    Between one replica count and the next, local cost is a fixed part plus
    power rising linearly with load, and the API bill is linear through zero,
    so each interval is solved exactly. Which interval: the first whose top
    sees the API become the dearer.
    """
    per_request_usd = inputs.request_usd * days_per_month(kb)  # monthly API cost of one request a day
    # Requests a day one replica carries when its capacity meets this workload's peak.
    per_replica = replica.requests_per_s * inputs.requests_per_day / inputs.peak_requests_per_s
    limit = min(MAX_REPLICAS, math.ceil(inputs.requests_per_day * SEARCH_UP_TO / per_replica))

    seen: dict[tuple[int, float], float] = {}

    def local_usd(count: int, requests_per_day: float) -> float:
        if (count, requests_per_day) not in seen:
            plan = plan_with(kb, inputs, replica, count, rental=rental, requests_per_day=requests_per_day)
            seen[count, requests_per_day] = plan.cost.monthly_usd
        return seen[count, requests_per_day]

    def api_advantage_at_top(count: int) -> float:
        top = per_replica * count
        return local_usd(count, top) - per_request_usd * top

    # The advantage shrinks almost linearly with the count (host steps aside):
    # estimate where it ends from two counts, then search from that guess.
    first, second = api_advantage_at_top(1), api_advantage_at_top(2)
    if second >= first > 0:
        return None  # each replica adds more local cost than the API bill it saves
    guess = 1 if first <= 0 else math.ceil(1 + first / (first - second))
    low = first_true(lambda count: api_advantage_at_top(count) <= 0, guess, limit)
    if low is None:
        return None
    bottom, top = per_replica * (low - 1), per_replica * low
    start = max(bottom, top * 1e-6)
    at_start, at_top = local_usd(low, start), local_usd(low, top)
    slope = (at_top - at_start) / (top - start)
    if per_request_usd <= slope:
        return top
    return max(start, (at_start - slope * start) / (per_request_usd - slope))


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
    local_usd = plan.cost.monthly_usd
    if inputs.data_policy == "must-stay" or inputs.offline:
        # Costs do not decide here: no price or volume sends the work to an API, only the data rule could.
        text = f"if the work could go to an API, {inputs.api_name} would cost {usd(cloud_usd)} a month"
        return [_flip("data_policy", cloud_usd, text)]
    results: list[Flip] = []
    local_wins = local_usd < cloud_usd
    if break_even is not None:
        tokens = tokens_from_requests(break_even, inputs.input_tokens, inputs.output_tokens)
        side = "cloud becomes cheaper below" if local_wins else "local becomes cheaper above"
        results.append(_flip("volume", tokens, f"{side} about {human_count(tokens)} tokens a day"))
    price_factor = local_usd / cloud_usd
    if 0.05 <= price_factor <= 20:
        change = "fell to" if price_factor < 1 else "rose to"
        results.append(
            _flip("api_price", price_factor, f"if {inputs.api_name} prices {change} {price_factor:.0%} of today's")
        )
    hourly = inputs.rates.hourly_usd
    hours = plan.cost.labour_usd / hourly if hourly else 0
    if hours > 0:
        other = local_usd - plan.cost.labour_usd
        even_rate = (cloud_usd - other) / hours / inputs.rates.staff_factor
        if even_rate > 0:  # at or below zero, local stays dearer even with free labour
            results.append(
                _flip("engineer_cost", even_rate, f"at an engineer cost of {usd(even_rate)} an hour the two are even")
            )
    if inputs.ops_staff == 0 and not local_wins:
        staffed = dataclasses.replace(inputs, ops_staff=1.0)
        staffed_usd = plan_with(kb, staffed, plan.replica, plan.replicas, rental=plan.fleet.rental).cost.monthly_usd
        if staffed_usd < cloud_usd:
            results.append(_flip("ops_staff", 1, "if someone on the team already ran servers"))
    return results
