"""Break-even volume, payback, and what would flip the answer."""

from __future__ import annotations

import dataclasses
import math

from bot.assessment import Flip
from bot.check.costs import cloud_monthly_usd, days_per_month
from bot.check.inputs import Inputs
from bot.check.paying import Option
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

    Solving a shape's crossing takes a search over replica counts; a bound on how early each could
    cross comes almost free. So shapes are solved soonest bound first, and the search ends at the
    first whose bound is past the best crossing found. Shapes are searched up to SEARCH_UP_TO times
    today's volume; a crossing found beyond that (a shape whose one replica carries more) is checked
    against every shape searched as far.
    """
    per_request_usd = inputs.request_usd * days_per_month(kb)  # monthly API cost of one request a day
    bounded = sorted(
        (soonest, n)
        for n, option in enumerate(options)
        if (soonest := _soonest(inputs, option, per_request_usd)) is not None
    )
    shapes = [(soonest, options[n]) for soonest, n in bounded]
    reach = inputs.requests_per_day * SEARCH_UP_TO
    best = _lowest_crossing(kb, inputs, shapes, reach)
    if best is not None and best > reach:
        best = _lowest_crossing(kb, inputs, shapes, best)
    return best


def _lowest_crossing(
    kb: KnowledgeBase, inputs: Inputs, shapes: list[tuple[float, Option]], up_to: float
) -> float | None:
    best: float | None = None
    for soonest, option in shapes:
        if best is not None and soonest >= best:
            break
        crossing = _crossing(kb, inputs, option.replica, option.rental, up_to)
        if crossing is not None and (best is None or crossing < best):
            best = crossing
    return best


def _soonest(inputs: Inputs, option: Option, per_request_usd: float) -> float | None:
    """The fewest requests a day at which this shape could cost what the API does; None if never.

    No plan of the shape costs less than its floor, nor less than the straight line under its cost
    (`Option.line`); the API bill is a line through zero.
    """
    per_replica = _carried_per_replica(inputs, option.replica)
    start, each = option.line
    soonest = max(option.floor_usd / per_request_usd, 1e-9)
    gain = per_request_usd - each / per_replica  # what the API bill gains on that line per request a day
    if gain > 0:
        return max(soonest, start / gain)
    return soonest if start <= gain * soonest else None  # the line outruns the API bill from `soonest` on


def _crossing(kb: KnowledgeBase, inputs: Inputs, replica: Replica, rental: Rental | None, up_to: float) -> float | None:
    """Where replicas of one shape first cost what the API does, searching the replica counts that
    carry up to `up_to` requests a day.

    Between one replica count and the next, local cost is a fixed part plus
    power rising linearly with load, and the API bill is linear through zero,
    so each interval is solved exactly. Which interval: the first whose top
    sees the API become the dearer.
    """
    per_request_usd = inputs.request_usd * days_per_month(kb)  # monthly API cost of one request a day
    per_replica = _carried_per_replica(inputs, replica)
    limit = min(MAX_REPLICAS, math.ceil(up_to / per_replica))

    seen: dict[tuple[int, float], Plan] = {}

    def plan(count: int, requests_per_day: float) -> Plan:
        if (count, requests_per_day) not in seen:
            seen[count, requests_per_day] = plan_with(
                kb, inputs, replica, count, rental=rental, requests_per_day=requests_per_day
            )
        return seen[count, requests_per_day]

    def local_usd(count: int, requests_per_day: float) -> float:
        return plan(count, requests_per_day).cost.monthly_usd

    def api_advantage_at_top(count: int) -> float:
        top = per_replica * count
        return local_usd(count, top) - per_request_usd * top

    def api_dearer_at_top(count: int) -> bool:
        return api_advantage_at_top(count) <= 0

    # The API's advantage shrinks almost linearly with the count: estimate where it ends from two
    # counts, then search from there. But a host added costs more than a replica saves: the advantage
    # rises again at each new host, and the search may pass a crossing at the end of an earlier host.
    first, second = api_advantage_at_top(1), api_advantage_at_top(2)
    guess = 1 if first <= 0 else math.ceil(1 + first / (first - second)) if second < first else 2
    low = first_true(api_dearer_at_top, guess, limit)
    while low is not None and (full := _last_full_host(plan(low, per_replica * low), low)) and api_dearer_at_top(full):
        low = first_true(api_dearer_at_top, min(guess, full), full)
    if low is None:
        return None
    bottom, top = per_replica * (low - 1), per_replica * low
    start = max(bottom, top * 1e-6)
    at_start, at_top = local_usd(low, start), local_usd(low, top)
    slope = (at_top - at_start) / (top - start)
    if per_request_usd <= slope:
        return top
    return max(start, (at_start - slope * start) / (per_request_usd - slope))


def _carried_per_replica(inputs: Inputs, replica: Replica) -> float:
    """Requests a day one replica carries when its capacity meets this workload's peak."""
    return replica.requests_per_s * inputs.requests_per_day / inputs.peak_requests_per_s


def _last_full_host(plan: Plan, count: int) -> int:
    """The largest replica count below `count` that fills its hosts (0 if none)."""
    per_host = max(1, plan.layout.devices_per_host // plan.replica.devices)
    return (count - 1) // per_host * per_host


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
