"""The cheapest local configuration that holds the model and serves the peak.

A replica is the fewest devices of one kind that hold the model with the context a request
needs, in one host that takes them (`knowledge/hosts.yaml`), run at the highest concurrency
that still streams fast enough, with the first token and the whole answer within the times
asked (or the defaults for people waiting). Replicas are added until the peak is served; an
uptime target adds whole spare hosts, or a second site (`hosts.py`). The same replica shape
also prices a hybrid (`hybrids.py`: local base load, API for what spills over) and the
break-even volume.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.check.calibration import speed_model
from bot.check.capacity import Estimate, Measured, estimate
from bot.check.costs import Fleet, LocalCost, local_cost
from bot.check.hosts import Layout, host_classes, layout, most_devices
from bot.check.inputs import Inputs
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Hardware, HostClass, Rental
from bot.units import per_second, tokens_per_request

if TYPE_CHECKING:
    from bot.check.paying import Option

MAX_REPLICAS = 1000


@dataclass(slots=True, eq=False)
class Replica:
    hardware: Hardware
    devices: int
    concurrency: int
    requests_per_s: float
    """Requests one replica completes per second at that concurrency."""
    estimate: Estimate
    """Memory and speed of one copy of the model."""
    copies: int = 1
    """Copies of the model bought or rented as one unit (an HGX system's eight GPUs, an instance's)."""


@dataclass(slots=True)
class Plan:
    replica: Replica
    replicas: int
    """Replicas serving at each site."""
    fleet: Fleet
    cost: LocalCost

    @property
    def layout(self) -> Layout:
        return self.fleet.where

    @property
    def devices(self) -> int:
        return self.fleet.devices

    @property
    def spare(self) -> int:
        """Spare hosts, at every site."""
        return self.layout.spare_hosts

    @property
    def copies(self) -> int:
        """Copies of the model serving, at every site."""
        return self.layout.serving_replicas * self.replica.copies


def replica_for(kb: KnowledgeBase, inputs: Inputs, hardware: Hardware) -> Replica | None:
    """The best replica of `hardware`, or None when no host of it can meet the need.

    People waiting need a stream of at least the default speed and, unless they said
    otherwise, the first token within the default wait; a stated first-token time and a stated
    time for the whole answer are checked each on its own. Batch work has neither floor.
    """
    d = kb.defaults
    if inputs.batch:
        floor, first_token = 0.0, None
    else:
        floor = d.interactive_tokens_per_s.value
        said = inputs.first_token_s
        first_token = said if said is not None else None if inputs.latency_s else d.interactive_first_token_s.value
    return _replica(
        kb,
        hardware.id,
        inputs.open_model.id,
        inputs.quant.id,
        inputs.input_tokens,
        inputs.output_tokens,
        floor,
        first_token,
        inputs.latency_s,
        inputs.measured_for(inputs.open_model.id, hardware.id),
    )


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
    measured: Measured | None = None,
) -> Replica | None:
    """Cached on plain values: sizing asks the same question for many workloads."""
    hardware, model, quant = kb.hardware[hardware_id], kb.models[model_id], kb.quantisations[quant_id]
    speed, overhead = speed_model(kb), kb.defaults.runtime_overhead_gb.value
    context = tokens_per_request(input_tokens, output_tokens)
    if context > model.max_context:
        return None

    def at(devices: int, concurrency: int) -> Estimate:
        return estimate(
            speed,
            hardware,
            model,
            quant,
            runtime_overhead_gb=overhead,
            count=devices,
            context=context,
            concurrency=concurrency,
            prompt_tokens=input_tokens,
            measured=measured,
        )

    devices = next((n for n in range(1, most_devices(kb, hardware_id) + 1) if at(n, 1).max_concurrency), None)
    if devices is None:
        return None

    def acceptable(result: Estimate) -> bool:
        stream = result.aggregate_tokens_per_s / max(1, min(result.concurrency, result.max_concurrency))
        if stream < stream_floor:
            return False
        if first_token_s is not None and result.time_to_first_token_s > first_token_s:
            return False
        return latency_s is None or result.time_to_first_token_s + output_tokens / stream <= latency_s

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
    rental: Rental | None,
    redundant: bool = True,
    served_share: float = 1.0,
    requests_per_day: float | None = None,
) -> Plan:
    """`replicas` serving replicas of this shape (with the spare hosts and sites the uptime target
    asks for, unless not `redundant`), carrying `served_share` of the requests (of
    `requests_per_day`, by default the workload's). Bought, the cheapest host that takes them."""
    r = inputs.rates
    volume = inputs.requests_per_day if requests_per_day is None else requests_per_day
    load = per_second(volume) * served_share / replica.requests_per_s  # in replicas' worth of capacity
    target = r.target if redundant else None
    hardware, devices = replica.hardware, replica.devices
    owned_all = owned_devices(inputs, hardware) if rental is None and inputs.owned else 0
    best: Plan | None = None
    for host in hosts_for(kb, hardware.id, devices) if rental is None else (None,):
        where = layout(kb, host.id if host else None, devices, replicas, target)
        owned = min(owned_all, where.devices) if owned_all else 0
        owned_hosts = min(where.hosts, math.ceil(owned / where.devices_per_host)) if owned else 0
        fleet = Fleet(hardware, where, owned, owned_hosts, rental, min(1.0, load / where.serving_replicas))
        cost = local_cost(r, fleet)
        if best is None or cost.monthly_usd < best.cost.monthly_usd:
            best = Plan(replica, replicas, fleet, cost)
    assert best is not None  # noqa: S101 - a replica exists only for hardware some host takes
    return best


@lru_cache(maxsize=4096)
def hosts_for(kb: KnowledgeBase, hardware_id: str, devices: int) -> tuple[HostClass, ...]:
    """The hosts that hold `devices` of this hardware together."""
    return tuple(h for h in host_classes(kb, hardware_id) if h.devices_max >= devices)


def redundancy_usd(kb: KnowledgeBase, inputs: Inputs, plan: Plan) -> float:
    """What the spare hosts and any second site add to the plan a month."""
    if not plan.spare and plan.layout.sites == 1:
        return 0.0
    bare = plan_with(kb, inputs, plan.replica, plan.replicas, rental=plan.fleet.rental, redundant=False)
    return max(0.0, plan.cost.monthly_usd - bare.cost.monthly_usd)


def replicas_needed(inputs: Inputs, replica: Replica) -> int:
    return max(1, math.ceil(inputs.peak_requests_per_s / replica.requests_per_s))


def candidate_replicas(kb: KnowledgeBase, inputs: Inputs) -> list[Replica]:
    if inputs.hardware is not None:
        hardware = [inputs.hardware, *(h for h, _ in inputs.owned if h.id != inputs.hardware.id)]
    else:
        hardware = list(kb.hardware.values())
    return [r for r in (replica_for(kb, inputs, h) for h in hardware) if r is not None]


def cheapest_plan(
    kb: KnowledgeBase, inputs: Inputs, options: list[Option], accept: Callable[[Option], bool] | None = None
) -> Plan | None:
    """The cheapest plan serving the peak, of the options `accept` takes; `options` come cheapest
    floor first, and no plan costs less than its floor, so the search stops at the first floor
    above the best."""
    best: Plan | None = None
    for option in options:
        if best is not None and option.floor_usd >= best.cost.monthly_usd:
            break
        if accept is not None and not accept(option):
            continue
        count = replicas_needed(inputs, option.replica)
        if count > MAX_REPLICAS:
            continue
        plan = plan_with(kb, inputs, option.replica, count, rental=option.rental)
        usd, best_usd = plan.cost.monthly_usd, best.cost.monthly_usd if best else 0.0
        if best is None or usd < best_usd or (usd == best_usd and plan.devices < best.devices):
            best = plan
    return best


def owned_devices(inputs: Inputs, hardware: Hardware) -> int:
    """Devices of this kind the team already has (a rented plan rents all of its own, so ignores them)."""
    return sum(count for owned, count in inputs.owned if owned.id == hardware.id) if inputs.owned else 0
