"""What each option costs a month, broken down so a reader can check every line.

Local: the purchase spread over the hardware's life (or the rental), power at
the actual utilisation (idle draw when idle) times PUE, setup labour spread
like the purchase, and the monthly hours of upkeep. Hardware the team already
owns is a sunk cost: only its running costs count.

Cloud: the API's price for one request of the stated size (tiered prices apply
per request) times the requests of a month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.check.inputs import Inputs, Rates
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Hardware, Rental

# The records below are built hundreds of times per assessment by the sizing
# search, so they use slots rather than frozen dataclasses (whose __init__ is
# several times slower); nothing mutates them after construction.


@dataclass(slots=True)
class LocalCost:
    hardware_usd: float
    """Purchase of devices and hosts bought, spread over the months they serve."""
    rental_usd: float
    power_usd: float
    setup_labour_usd: float
    ops_labour_usd: float
    capex_usd: float
    """What is paid up front: hardware bought plus the setup hours."""

    @property
    def monthly_usd(self) -> float:
        return self.hardware_usd + self.rental_usd + self.power_usd + self.setup_labour_usd + self.ops_labour_usd

    @property
    def running_usd(self) -> float:
        """The monthly cost that continues once the hardware is paid for."""
        return self.rental_usd + self.power_usd + self.ops_labour_usd

    @property
    def labour_usd(self) -> float:
        return self.setup_labour_usd + self.ops_labour_usd


@dataclass(slots=True)
class Fleet:
    """Devices of one kind serving a workload."""

    hardware: Hardware
    devices: int
    serving_devices: int
    """Devices carrying load (the rest are spares, idle until needed)."""
    owned_devices: int
    rental: Rental | None
    """None when the devices are bought (or owned); a rented fleet rents every device."""
    utilisation: float
    """Average share of the serving devices' capacity in use."""


def days_per_month(kb: KnowledgeBase) -> float:
    return kb.defaults.hours_per_month.value / 24


def hosts_for(hardware: Hardware, devices: int, gpus_per_host: float) -> int:
    """Machines to patch and power: PCIe cards share hosts; other kinds are machines."""
    if hardware.kind != "gpu":
        return devices
    return math.ceil(devices / gpus_per_host)


def local_cost(r: Rates, fleet: Fleet) -> LocalCost:
    hardware = fleet.hardware
    hosts = hosts_for(hardware, fleet.devices, r.gpus_per_host)
    owned_hosts = hosts_for(hardware, fleet.owned_devices, r.gpus_per_host)
    ops_usd = r.ops_first_usd + r.ops_extra_usd * (hosts - 1)
    bought = fleet.devices - fleet.owned_devices
    if fleet.rental is not None:  # rented machines come with their hosts and power, in whole instances
        rented = math.ceil(fleet.devices / fleet.rental.min_gpus) * fleet.rental.min_gpus
        rental = rented * fleet.rental.usd_per_gpu_hour * rented_hours(r, fleet.rental, fleet.utilisation)
        return LocalCost(0.0, rental, 0.0, r.setup_usd / r.months, ops_usd, r.setup_usd)

    bought_hosts = hosts - owned_hosts if hardware.kind == "gpu" else 0
    purchase = bought * (hardware.purchase_usd or 0) + bought_hosts * r.host_usd
    return LocalCost(
        hardware_usd=purchase / r.months,
        rental_usd=0.0,
        power_usd=power_usd_per_month(r, fleet, hosts),
        setup_labour_usd=r.setup_usd / r.months,
        ops_labour_usd=ops_usd,
        capex_usd=purchase + r.setup_usd,
    )


def rented_hours(r: Rates, rental: Rental, utilisation: float) -> float:
    """Hours a month a rented GPU is paid for: all of them, unless the work can wait; then the
    hours it runs, in whole hours a day on demand, by the second serverless."""
    if rental.billing == "serverless":
        return r.hours * utilisation
    if r.scheduled and rental.billing == "on-demand":
        return r.hours * max(1, math.ceil(24 * utilisation - 1e-9)) / 24
    return r.hours


def power_usd_per_month(r: Rates, fleet: Fleet, hosts: int) -> float:
    hardware = fleet.hardware
    busy_w = hardware.power_idle_w + (hardware.power_load_w - hardware.power_idle_w) * fleet.utilisation
    watts = busy_w * fleet.serving_devices + hardware.power_idle_w * (fleet.devices - fleet.serving_devices)
    if hardware.kind == "gpu":
        watts += r.host_w * hosts
    return watts * r.usd_per_watt


def cloud_monthly_usd(kb: KnowledgeBase, inputs: Inputs, share: float = 1.0) -> float:
    """The API bill for `share` of the month's requests."""
    return inputs.request_usd * inputs.requests_per_day * days_per_month(kb) * share
