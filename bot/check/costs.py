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

from bot.check.inputs import Inputs
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Hardware
from bot.prices import request_cost_usd


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Fleet:
    """Devices of one kind serving a workload."""

    hardware: Hardware
    devices: int
    serving_devices: int
    """Devices carrying load (the rest are spares, idle until needed)."""
    owned_devices: int
    rented: bool
    utilisation: float
    """Average share of the serving devices' capacity in use."""


def days_per_month(kb: KnowledgeBase) -> float:
    return kb.defaults.hours_per_month.value / 24


def amortisation_months(kb: KnowledgeBase, inputs: Inputs) -> float:
    """A one-off job carries the whole purchase within its own months."""
    life = kb.defaults.amortisation_months.value
    return min(life, inputs.one_off_months) if inputs.one_off_months else life


def staff_factor(kb: KnowledgeBase, inputs: Inputs) -> float:
    return kb.defaults.no_ops_staff_factor.value if inputs.ops_staff == 0 else 1.0


def hosts_for(kb: KnowledgeBase, hardware: Hardware, devices: int) -> int:
    """Machines to patch and power: PCIe cards share hosts; other kinds are machines."""
    if hardware.kind != "gpu":
        return devices
    return math.ceil(devices / kb.defaults.gpus_per_host.value)


def local_cost(kb: KnowledgeBase, inputs: Inputs, fleet: Fleet) -> LocalCost:
    d = kb.defaults
    months = amortisation_months(kb, inputs)
    hourly = inputs.engineer_hourly_usd * staff_factor(kb, inputs)
    hosts = hosts_for(kb, fleet.hardware, fleet.devices)
    setup_usd = d.setup_hours.value * hourly
    ops_usd = (d.ops_hours_per_month.value + d.ops_hours_per_extra_server.value * (hosts - 1)) * hourly

    bought = fleet.devices - fleet.owned_devices
    if fleet.rented:  # a rented machine comes with its host and its power bill
        rental = bought * (fleet.hardware.rental_usd_per_hour or 0) * d.hours_per_month.value
        return LocalCost(0.0, rental, 0.0, setup_usd / months, ops_usd, setup_usd)

    bought_hosts = hosts - hosts_for(kb, fleet.hardware, fleet.owned_devices) if fleet.hardware.kind == "gpu" else 0
    purchase = bought * (fleet.hardware.purchase_usd or 0) + bought_hosts * d.host_system_usd.value
    return LocalCost(
        hardware_usd=purchase / months,
        rental_usd=0.0,
        power_usd=power_usd_per_month(kb, inputs, fleet, hosts),
        setup_labour_usd=setup_usd / months,
        ops_labour_usd=ops_usd,
        capex_usd=purchase + setup_usd,
    )


def power_usd_per_month(kb: KnowledgeBase, inputs: Inputs, fleet: Fleet, hosts: int) -> float:
    hardware = fleet.hardware
    busy_w = hardware.power_idle_w + (hardware.power_load_w - hardware.power_idle_w) * fleet.utilisation
    watts = busy_w * fleet.serving_devices + hardware.power_idle_w * (fleet.devices - fleet.serving_devices)
    if hardware.kind == "gpu":
        watts += kb.defaults.host_power_w.value * hosts
    kwh = watts * kb.defaults.hours_per_month.value / 1000 * kb.defaults.pue.value
    return kwh * inputs.electricity_usd_per_kwh


def cloud_request_usd(inputs: Inputs) -> float:
    return request_cost_usd(inputs.api, inputs.input_tokens, inputs.output_tokens)


def cloud_monthly_usd(kb: KnowledgeBase, inputs: Inputs, share: float = 1.0) -> float:
    """The API bill for `share` of the month's requests."""
    return cloud_request_usd(inputs) * inputs.requests_per_day * days_per_month(kb) * share
