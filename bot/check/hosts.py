"""Where a plan's devices sit: hosts that take them, spares as whole hosts, and sites.

A replica's devices share one host (`knowledge/hosts.yaml` says which hosts take which devices
and how many). Hosts fail one at a time (`host_availability`); a site's power, cooling and
network take every host in it down at once (`site_availability`). An uptime target is met with
the fewest whole spare hosts at one site, or else with a second site carrying the whole load,
with its own spares if it needs them; past what two sites give, it cannot be met.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.hardware import HostClass

MAX_SITES = 2


@dataclass(frozen=True)
class Redundancy:
    sites: int
    spares_per_site: int
    availability: float
    reachable: bool = True


NONE = Redundancy(1, 0, 0.0)


@cache
def host_classes(kb: KnowledgeBase, hardware_id: str) -> tuple[HostClass, ...]:
    """The hosts that take this device, cheapest first."""
    found = [host for host in kb.hosts.values() if hardware_id in host.takes]
    return tuple(sorted(found, key=lambda host: (host.price_usd, host.power_w)))


def most_devices(kb: KnowledgeBase, hardware_id: str) -> int:
    """The most of this device one host holds: no replica is larger."""
    return max((host.devices_max for host in host_classes(kb, hardware_id)), default=0)


def whole_host(kb: KnowledgeBase, hardware_id: str) -> HostClass | None:
    """The host this device comes in, when it is only sold as a full system."""
    return next((host for host in host_classes(kb, hardware_id) if host.whole), None)


@lru_cache(maxsize=8192)
def redundancy(serving_hosts: int, target: float, host: float, site: float) -> Redundancy:
    """The fewest sites, then the fewest spare hosts a site, with which `serving_hosts` hosts stay
    up `target` of the time; beyond two sites, the best two give and `reachable` false."""
    for sites in range(1, MAX_SITES + 1):
        needed = 1 - (1 - target) ** (1 / sites)  # what each site must give
        if site <= needed:
            continue
        spares = _spares_for(serving_hosts, needed / site, host)
        if spares is not None:
            return Redundancy(sites, spares, _combined(serving_hosts, spares, sites, host, site))
    spares = _spares_for(serving_hosts, 1 - 1e-12, host) or serving_hosts
    return Redundancy(MAX_SITES, spares, _combined(serving_hosts, spares, MAX_SITES, host, site), reachable=False)


def _spares_for(serving: int, wanted: float, host: float) -> int | None:
    """The fewest spares with which at least `serving` of the hosts are up `wanted` of the time."""
    for spares in range(serving + 4):
        if _enough_up(serving, spares, host) >= wanted:
            return spares
    return None


def _enough_up(serving: int, spares: int, host: float) -> float:
    """Chance that no more than `spares` of `serving + spares` independent hosts are down."""
    total, down = serving + spares, 1 - host
    return sum(math.comb(total, k) * down**k * host ** (total - k) for k in range(spares + 1))


def _combined(serving: int, spares: int, sites: int, host: float, site: float) -> float:
    one = site * _enough_up(serving, spares, host)
    return 1 - (1 - one) ** sites


@dataclass(frozen=True, slots=True)
class Layout:
    """A plan's hosts, spares and sites, and the devices in them."""

    host: HostClass | None
    """None for rented instances, which come with their host."""
    hosts: int
    spare_hosts: int
    sites: int
    devices: int
    serving_devices: int
    serving_replicas: int
    """Replicas carrying load, at every site."""
    devices_per_host: int
    availability: float | None
    reachable: bool
    host_usd: float
    """What one host adds to its devices' price (none for rented instances or whole machines)."""
    host_w: float
    """What one host draws beside its devices."""


@lru_cache(maxsize=65_536)
def layout(kb: KnowledgeBase, host_id: str | None, replica_devices: int, replicas: int, target: float | None) -> Layout:
    """`replicas` replicas of `replica_devices` devices at each site, in hosts of `host_id` (one
    rented instance a replica when None), with the spares and sites `target` asks for, if any.

    Cached on plain values: searches ask for the same few layouts again and again."""
    host = kb.hosts[host_id] if host_id is not None else None
    per_host = 1 if host is None else max(1, host.devices_max // replica_devices)
    serving_hosts = math.ceil(replicas / per_host)
    d = kb.defaults
    redundant = (
        redundancy(serving_hosts, target, d.host_availability.value, d.site_availability.value)
        if target is not None
        else None
    )
    plan = redundant or NONE
    spare_devices = min(replicas, per_host) * replica_devices  # a spare mirrors a full serving host
    hosts = (serving_hosts + plan.spares_per_site) * plan.sites
    serving = replicas * replica_devices * plan.sites
    return Layout(
        host=host,
        hosts=hosts,
        spare_hosts=plan.spares_per_site * plan.sites,
        sites=plan.sites,
        devices=serving + spare_devices * plan.spares_per_site * plan.sites,
        serving_devices=serving,
        serving_replicas=replicas * plan.sites,
        devices_per_host=per_host * replica_devices,
        availability=plan.availability if redundant else None,
        reachable=plan.reachable,
        host_usd=host.price_usd if host else 0.0,
        host_w=host.power_w if host else 0.0,
    )
