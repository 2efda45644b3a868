"""Ways to pay for a replica shape: bought (or owned), or rented by the hour, and the least any
plan of each costs, so searches can try the cheapest first and stop early.

What is bought or rented is a unit: one replica, or as many copies as fill what is sold whole
(an HGX system's eight modules, a rented instance's GPUs). A unit's capacity counts every copy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.check.costs import Fleet, local_cost, rented_hours
from bot.check.hosts import layout, whole_host
from bot.check.inputs import Inputs
from bot.check.rates import Rates
from bot.check.sizing import Replica, hosts_for, owned_devices
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.hardware import HostClass, Rental


@dataclass(slots=True)
class Option:
    """A unit of replicas and a way to pay for it, with the least any plan of it costs."""

    replica: Replica
    rental: Rental | None
    floor_usd: float
    line: tuple[float, float]
    """(start, each): no plan of it costs less a month than start + each * its replicas' worth of
    traffic (`cost_line`)."""


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


def unit_of(kb: KnowledgeBase, replica: Replica, rental: Rental | None) -> Replica:
    """What is bought or rented at once: copies of the replica filling a whole system or instance."""
    if rental is not None:
        sold = math.ceil(replica.devices / rental.min_gpus) * rental.min_gpus
    else:
        host = whole_host(kb, replica.hardware.id)
        sold = host.devices_max if host is not None else replica.devices
    copies = sold // replica.devices
    return replica if copies <= 1 else _copies(replica, copies)


@lru_cache(maxsize=16_384)
def _copies(replica: Replica, copies: int) -> Replica:
    """Cached on the replica itself (sizing caches those too): the same units come up in every answer."""
    return replace(
        replica,
        devices=replica.devices * copies,
        concurrency=replica.concurrency * copies,
        requests_per_s=replica.requests_per_s * copies,
        copies=copies,
    )


def marginal_replica_usd(inputs: Inputs, replica: Replica, rental: Rental | None) -> float:
    """The least one more replica of this shape adds a month: its devices' capital or rent
    (nothing while the team owns spare devices of the kind)."""
    return _capital(inputs.rates, replica, rental, owned_devices(inputs, replica.hardware))


def _capital(r: Rates, replica: Replica, rental: Rental | None, owned: int) -> float:
    if rental is None and owned:
        return 0.0
    hardware = replica.hardware
    bought = (hardware.purchase_usd or 0) * r.hardware_price / r.months
    per_device = rental.usd_per_gpu_hour * r.hours if rental else bought
    return per_device * replica.devices


def floor_cost(kb: KnowledgeBase, rates: Rates, unit: Replica, rental: Rental | None, owned: int) -> float:
    """What one idle unit of this shape costs in one host, with no spare: no plan of it costs less."""
    hosts: tuple[HostClass | None, ...] = (None,) if rental else hosts_for(kb, unit.hardware.id, unit.devices)
    owned = min(owned, unit.devices) if rental is None else 0
    costs = []
    for host in hosts:
        alone = layout(kb, host.id if host else None, unit.devices, 1, None)
        costs.append(local_cost(rates, Fleet(unit.hardware, alone, owned, 1 if owned else 0, rental, 0.0)).monthly_usd)
    return min(costs)


def by_floor_cost(kb: KnowledgeBase, inputs: Inputs, replicas: list[Replica]) -> list[Option]:
    """Every unit and way to pay it, cheapest floor first, so searches can stop early."""
    options: list[Option] = []
    for replica in replicas:
        owned = owned_devices(inputs, replica.hardware)
        options += _options(kb, replica, ways_to_pay(kb, inputs, replica), inputs.rates, owned)
    return sorted(options, key=lambda option: option.floor_usd)


@lru_cache(maxsize=65_536)
def _options(
    kb: KnowledgeBase, replica: Replica, ways: tuple[Rental | None, ...], rates: Rates, owned: int
) -> tuple[Option, ...]:
    """Cached on the replica and the rates (both interned): the same units come up in every answer."""
    options = []
    for rental in ways:
        unit = unit_of(kb, replica, rental)
        floor = floor_cost(kb, rates, unit, rental, owned)
        options.append(Option(unit, rental, floor, cost_line(kb, rates, unit, rental, owned, floor)))
    return tuple(options)


def cost_line(
    kb: KnowledgeBase, r: Rates, unit: Replica, rental: Rental | None, owned: int, floor_usd: float
) -> tuple[float, float]:
    """(start, each): a month of this shape costs at least start + each * replicas' worth of traffic.

    Bought, each replica beyond the first adds its devices' capital and idle power and, averaged
    over the replicas a host holds, the host's price, power and upkeep; the first host may already
    hold several. Rented, each adds its rent for the hours it runs, which grow with the traffic from
    those billed when idle. While the team owns spare devices of the kind, no line but the floor.
    """
    capital = _capital(r, unit, rental, owned)
    if capital == 0:
        return floor_usd, 0.0
    if rental is not None:
        return floor_usd - capital * rented_hours(r, rental, 0.0) / r.hours, capital
    idle = unit.hardware.power_idle_w * unit.devices * r.usd_per_watt
    share, held_for_the_rest = _host_shares(kb, unit.hardware.id, unit.devices, r)
    each = capital + idle + share
    return floor_usd - held_for_the_rest - each, each


def _host_shares(kb: KnowledgeBase, hardware_id: str, devices: int, r: Rates) -> tuple[float, float]:
    """Of the hosts that take a replica of `devices`: the least share of a host's price, power and upkeep
    a replica carries, and the most of a host the first replica's floor holds for those after it."""
    shares = []
    for host in hosts_for(kb, hardware_id, devices):
        upkeep = host.price_usd * r.hardware_price / r.months + host.power_w * r.usd_per_watt + r.ops_extra_usd
        held = max(1, host.devices_max // devices)
        shares.append((upkeep / held, upkeep * (held - 1) / held))
    return min(share for share, _ in shares), max(rest for _, rest in shares)
