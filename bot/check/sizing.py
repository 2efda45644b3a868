"""The cheapest local configuration that holds the model and serves the peak.

A replica is the fewest devices of one kind that hold the model with the
context a request needs, run at the highest concurrency that still meets the
speed floor (or latency target). Replicas are added until the peak is served,
plus one spare when the availability target is beyond one box. The same
replica shape also prices a hybrid (local base load, API for what spills over)
and the break-even volume.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from bot.check.calibration import speed_model
from bot.check.capacity import Estimate, estimate
from bot.check.costs import Fleet, LocalCost, cloud_monthly_usd, local_cost
from bot.check.inputs import Inputs
from bot.check.traffic import overflow_share
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Hardware

MAX_REPLICAS = 1000


@dataclass(frozen=True)
class Replica:
    hardware: Hardware
    devices: int
    concurrency: int
    requests_per_s: float
    """Requests one replica completes per second at that concurrency."""
    estimate: Estimate


@dataclass(frozen=True)
class Plan:
    replica: Replica
    replicas: int
    spare: int
    fleet: Fleet
    cost: LocalCost

    @property
    def devices(self) -> int:
        return self.fleet.devices


@dataclass(frozen=True)
class Hybrid:
    plan: Plan
    local_share: float
    cloud_usd: float

    @property
    def monthly_usd(self) -> float:
        return self.plan.cost.monthly_usd + self.cloud_usd


def replica_for(kb: KnowledgeBase, inputs: Inputs, hardware: Hardware) -> Replica | None:
    """The best replica of `hardware`, or None when no server of it can meet the need."""
    floor, first_token = (
        (0.0, None) if inputs.batch
        else (kb.defaults.interactive_tokens_per_s.value, kb.defaults.interactive_first_token_s.value)
    )  # fmt: skip
    return _replica(
        kb, hardware.id, inputs.open_model.id, inputs.quant.id, inputs.input_tokens, inputs.output_tokens,
        floor, first_token, inputs.latency_s,
    )  # fmt: skip


@lru_cache(maxsize=65_536)
def _replica(
    kb: KnowledgeBase,
    hardware_id: str,
    model_id: str,
    quant_id: str,
    input_tokens: int,
    output_tokens: int,
    stream_floor: float,
    first_token_s: float | None,
    latency_s: float | None,
) -> Replica | None:
    """Cached on plain values: sizing asks the same question for many workloads."""
    hardware, model, quant = kb.hardware[hardware_id], kb.models[model_id], kb.quantisations[quant_id]
    speed, overhead = speed_model(kb), kb.defaults.runtime_overhead_gb.value
    context = input_tokens + output_tokens
    if context > model.max_context:
        return None

    def at(devices: int, concurrency: int) -> Estimate:
        return estimate(
            speed, hardware, model, quant, runtime_overhead_gb=overhead, count=devices,
            context=context, concurrency=concurrency, prompt_tokens=input_tokens,
        )  # fmt: skip

    devices = next(
        (n for n in range(1, int(kb.defaults.max_devices_per_server.value) + 1) if at(n, 1).max_concurrency),
        None,
    )
    if devices is None:
        return None

    def acceptable(result: Estimate) -> bool:
        stream = result.aggregate_tokens_per_s / max(1, min(result.concurrency, result.max_concurrency))
        if stream < stream_floor:
            return False
        if latency_s is not None:  # a stated target replaces the defaults for interactive use
            return result.time_to_first_token_s + output_tokens / stream <= latency_s
        return first_token_s is None or result.time_to_first_token_s <= first_token_s

    best = at(devices, 1)
    if not acceptable(best):
        return None
    low, high = 1, best.max_concurrency  # the stream speed falls as concurrency rises: bisect
    while low < high:
        middle = (low + high + 1) // 2
        if acceptable(at(devices, middle)):
            low = middle
        else:
            high = middle - 1
    chosen = at(devices, low)
    seconds_per_request = input_tokens / chosen.prefill_tokens_per_s + output_tokens / chosen.aggregate_tokens_per_s
    return Replica(hardware, devices, low, 1 / seconds_per_request, chosen)


def plan_with(
    kb: KnowledgeBase,
    inputs: Inputs,
    replica: Replica,
    replicas: int,
    *,
    rented: bool,
    spare: int | None = None,
    served_share: float = 1.0,
) -> Plan:
    """`replicas` serving replicas of this shape (plus a spare when availability asks for one),
    carrying `served_share` of the requests."""
    if spare is None:
        target = inputs.availability
        spare = 1 if target is not None and target > kb.defaults.single_box_availability.value else 0
    devices = replica.devices * (replicas + spare)
    owned = sum(count for hardware, count in inputs.owned if hardware.id == replica.hardware.id)
    capacity = replica.requests_per_s * replicas
    fleet = Fleet(
        hardware=replica.hardware,
        devices=devices,
        serving_devices=replica.devices * replicas,
        owned_devices=min(owned, devices),
        rented=rented,
        utilisation=min(1.0, inputs.average_requests_per_s * served_share / capacity),
    )
    return Plan(replica, replicas, spare, fleet, local_cost(kb, inputs, fleet))


def replicas_needed(inputs: Inputs, replica: Replica) -> int:
    return max(1, math.ceil(inputs.peak_requests_per_s / replica.requests_per_s))


def candidate_replicas(kb: KnowledgeBase, inputs: Inputs) -> list[Replica]:
    if inputs.hardware is not None:
        hardware = [inputs.hardware, *(h for h, _ in inputs.owned if h.id != inputs.hardware.id)]
    else:
        hardware = list(kb.hardware.values())
    return [r for r in (replica_for(kb, inputs, h) for h in hardware) if r is not None]


def cheapest_plan(kb: KnowledgeBase, inputs: Inputs, replicas: list[Replica]) -> Plan | None:
    plans = []
    for replica in replicas:
        count = replicas_needed(inputs, replica)
        if count > MAX_REPLICAS:
            continue
        for rented in ways_to_pay(replica.hardware, inputs):
            plans.append(plan_with(kb, inputs, replica, count, rented=rented))
    return min(plans, key=lambda p: (p.cost.monthly_usd, p.devices), default=None)


def ways_to_pay(hardware: Hardware, inputs: Inputs) -> tuple[bool, ...]:
    """Buy, rent, or both to compare; hardware the team owns is only ever added to by buying."""
    if any(owned.id == hardware.id for owned, _ in inputs.owned):
        return (False,)
    prices = ((False, hardware.purchase_usd), (True, hardware.rental_usd_per_hour))
    return tuple(rented for rented, price in prices if price)


def cheapest_hybrid(kb: KnowledgeBase, inputs: Inputs, replicas: list[Replica]) -> Hybrid | None:
    """Local replicas for the base load, the API for what spills over and for outages."""
    peak_ratio = inputs.peak_requests_per_s / inputs.average_requests_per_s
    best: Hybrid | None = None
    for replica in replicas:
        for count in range(1, min(replicas_needed(inputs, replica), MAX_REPLICAS) + 1):
            capacity_ratio = count * replica.requests_per_s / inputs.average_requests_per_s
            spill = overflow_share(peak_ratio, capacity_ratio)
            if spill <= 0:
                break  # this many replicas carry everything: that is the local plan, not a hybrid
            for rented in ways_to_pay(replica.hardware, inputs):
                plan = plan_with(kb, inputs, replica, count, rented=rented, spare=0, served_share=1 - spill)
                hybrid = Hybrid(plan, 1 - spill, cloud_monthly_usd(kb, inputs, spill))
                if best is None or hybrid.monthly_usd < best.monthly_usd:
                    best = hybrid
    return best
