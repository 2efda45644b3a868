"""The cheapest local configuration that holds the model and serves the peak.

A replica is the fewest devices of one kind that hold the model with the
context a request needs, run at the highest concurrency that still meets the
speed floor (or latency target). Replicas are added until the peak is served,
plus one spare when the availability target is beyond one box. The same
replica shape also prices a hybrid (`hybrids.py`: local base load, API for what spills over)
and the break-even volume.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.check.calibration import speed_model
from bot.check.capacity import Estimate, Measured, estimate
from bot.check.costs import Fleet, LocalCost, local_cost
from bot.check.inputs import Inputs, Rates
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Hardware, Rental

MAX_REPLICAS = 1000


@dataclass(slots=True)
class Replica:
    hardware: Hardware
    devices: int
    concurrency: int
    requests_per_s: float
    """Requests one replica completes per second at that concurrency."""
    estimate: Estimate


@dataclass(slots=True)
class Plan:
    replica: Replica
    replicas: int
    spare: int
    fleet: Fleet
    cost: LocalCost

    @property
    def devices(self) -> int:
        return self.fleet.devices


def replica_for(kb: KnowledgeBase, inputs: Inputs, hardware: Hardware) -> Replica | None:
    """The best replica of `hardware`, or None when no server of it can meet the need."""
    floor, first_token = (
        (0.0, None)
        if inputs.batch
        else (kb.defaults.interactive_tokens_per_s.value, kb.defaults.interactive_first_token_s.value)
    )
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
    context = input_tokens + output_tokens
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
    rental: Rental | None,
    spare: int | None = None,
    served_share: float = 1.0,
    requests_per_day: float | None = None,
) -> Plan:
    """`replicas` serving replicas of this shape (plus a spare when availability asks for one),
    carrying `served_share` of the requests (of `requests_per_day`, by default the workload's)."""
    if spare is None:
        spare = 1 if inputs.needs_spare else 0
    devices = replica.devices * (replicas + spare)
    owned = owned_devices(inputs, replica.hardware) if inputs.owned and rental is None else 0
    volume = inputs.requests_per_day if requests_per_day is None else requests_per_day
    fleet = Fleet(
        hardware=replica.hardware,
        devices=devices,
        serving_devices=replica.devices * replicas,
        owned_devices=min(owned, devices),
        rental=rental,
        utilisation=min(1.0, volume / 86_400 * served_share / (replica.requests_per_s * replicas)),
    )
    return Plan(replica, replicas, spare, fleet, local_cost(inputs.rates, fleet))


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
        if best is None or (plan.cost.monthly_usd, plan.devices) < (best.cost.monthly_usd, best.devices):
            best = plan
    return best


def ways_to_pay(kb: KnowledgeBase, inputs: Inputs, replica: Replica) -> tuple[Rental | None, ...]:
    """Buy the devices the team lacks (None), or rent them: for each place and way of renting
    that suits the work, the rental that costs least for this replica's devices.

    Serverless capacity scales to zero but starts cold, so only work that can wait takes it; a
    reservation needs the work to last its term. GeForce cards are not bought for a service
    with an uptime target: their driver licence forbids datacenter deployment.
    """
    production = inputs.availability is not None and not owned_devices(inputs, replica.hardware)
    return _ways_to_pay(kb, replica.hardware.id, replica.devices, production, inputs.batch, inputs.one_off_months)


@lru_cache(maxsize=16_384)
def _ways_to_pay(
    kb: KnowledgeBase, hardware_id: str, devices: int, production: bool, batch: bool, months: float | None
) -> tuple[Rental | None, ...]:
    """Cached on plain values: the same few shapes come up in every answer."""
    hardware = kb.hardware[hardware_id]
    ways: list[Rental | None] = []
    if hardware.purchase_usd and not (production and not hardware.datacenter_licence):
        ways.append(None)
    best: dict[tuple[str, str], tuple[float, Rental]] = {}
    for rental in kb.rentals.values():
        if rental.hardware != hardware_id or not _suits(rental, batch, months):
            continue
        usd = math.ceil(devices / rental.min_gpus) * rental.min_gpus * rental.usd_per_gpu_hour
        key = (rental.venue, rental.billing)
        if key not in best or usd < best[key][0]:
            best[key] = (usd, rental)
    return (*ways, *(rental for _, rental in best.values()))


def _suits(rental: Rental, batch: bool, months: float | None) -> bool:
    if rental.billing == "serverless":
        return batch
    if rental.billing == "reserved":
        return months is None or months >= (rental.term_months or 0)
    return True


def marginal_replica_usd(inputs: Inputs, replica: Replica, rental: Rental | None) -> float:
    """The least one more replica of this shape adds a month: its devices' capital or rent
    (nothing while the team owns spare devices of the kind)."""
    if rental is None and owned_devices(inputs, replica.hardware):
        return 0.0
    hardware, r = replica.hardware, inputs.rates
    per_device = rental.usd_per_gpu_hour * r.hours if rental else (hardware.purchase_usd or 0) / r.months
    return per_device * replica.devices


def owned_devices(inputs: Inputs, hardware: Hardware) -> int:
    """Devices of this kind the team already has (a rented plan rents all of its own, so ignores them)."""
    return sum(count for owned, count in inputs.owned if owned.id == hardware.id) if inputs.owned else 0


def floor_cost(kb: KnowledgeBase, inputs: Inputs, replica: Replica, rental: Rental | None) -> float:
    """What one idle replica of this shape costs: no plan of it costs less."""
    owned = min(owned_devices(inputs, replica.hardware), replica.devices) if rental is None else 0
    rental_id = rental.id if rental else None
    return _idle_replica_usd(kb, replica.hardware.id, replica.devices, rental_id, owned, inputs.rates)


@lru_cache(maxsize=65_536)
def _idle_replica_usd(
    kb: KnowledgeBase, hardware_id: str, devices: int, rental_id: str | None, owned: int, rates: Rates
) -> float:
    """Cached: it depends on the team's rates and the shape, not on the workload's volume."""
    rental = kb.rentals[rental_id] if rental_id else None
    fleet = Fleet(kb.hardware[hardware_id], devices, devices, owned, rental, 0.0)
    return local_cost(rates, fleet).monthly_usd


@dataclass(slots=True)
class Option:
    """A replica shape and a way to pay for it, with the least any plan of it costs."""

    replica: Replica
    rental: Rental | None
    floor_usd: float


def by_floor_cost(kb: KnowledgeBase, inputs: Inputs, replicas: list[Replica]) -> list[Option]:
    """Every shape and way to pay it, cheapest floor first, so searches can stop early."""
    options = [
        Option(replica, rental, floor_cost(kb, inputs, replica, rental))
        for replica in replicas
        for rental in ways_to_pay(kb, inputs, replica)
    ]
    return sorted(options, key=lambda option: option.floor_usd)
