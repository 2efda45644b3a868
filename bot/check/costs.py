"""What each option costs a month, broken down so a reader can check every line.

Local: the purchase of devices and the hosts around them spread over the
hardware's life (or the rental), power at the actual utilisation (idle draw
when idle, spares idle) plus the hosts' own draw, times PUE, setup labour
spread like the purchase, the monthly hours of upkeep at the service level
(more with each host and site), and on-call pay round the clock. Hardware the
team already owns is a sunk cost: only its running costs count.

Cloud: the API's price for one request of the stated size (tiered prices apply
per request) times the requests of a month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.check.hosts import Layout
from bot.check.inputs import Inputs
from bot.check.rates import Rates
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.hardware import Hardware, Rental
from bot.units import HOURS_PER_DAY

# The records below are built hundreds of times per assessment by the sizing
# search, so they use slots rather than frozen dataclasses (whose __init__ is
# several times slower); nothing mutates them after construction.


@dataclass(slots=True)
class LocalCost:
    """A month of self-hosting by part; an answer shows its parts as `bot.assessment.LocalBreakdown`."""

    hardware_usd: float
    """Purchase of devices and hosts bought, spread over the months they serve."""
    rental_usd: float
    power_usd: float
    setup_labour_usd: float
    ops_labour_usd: float
    on_call_usd: float
    """On-call pay for a round-the-clock service."""
    capex_usd: float
    """What is paid up front: hardware bought plus the setup hours."""

    @property
    def monthly_usd(self) -> float:
        return (
            self.hardware_usd
            + self.rental_usd
            + self.power_usd
            + self.setup_labour_usd
            + self.ops_labour_usd
            + self.on_call_usd
        )

    @property
    def running_usd(self) -> float:
        """The monthly cost that continues once the hardware is paid for."""
        return self.rental_usd + self.power_usd + self.ops_labour_usd + self.on_call_usd

    @property
    def labour_usd(self) -> float:
        return self.setup_labour_usd + self.ops_labour_usd + self.on_call_usd


@dataclass(slots=True)
class Fleet:
    """Devices of one kind serving a workload, in the hosts and sites of `where`."""

    hardware: Hardware
    where: Layout
    owned_devices: int
    owned_hosts: int
    rental: Rental | None
    """None when the devices are bought (or owned); a rented fleet rents every device."""
    utilisation: float
    """Average share of the serving devices' capacity in use."""

    @property
    def devices(self) -> int:
        return self.where.devices

    @property
    def hosts(self) -> int:
        """Machines to patch and power, spares and every site included (rented instances too)."""
        return self.where.hosts


def days_per_month(kb: KnowledgeBase) -> float:
    return kb.defaults.hours_per_month.value / HOURS_PER_DAY


def local_cost(r: Rates, fleet: Fleet) -> LocalCost:
    where, rental = fleet.where, fleet.rental
    extra_sites = where.sites - 1
    ops_usd = r.ops_first_usd + r.ops_extra_usd * (where.hosts - 1) + r.site_ops_usd * extra_sites
    running = rental is not None or fleet.owned_devices >= where.devices  # no machines to buy and install
    setup_usd = r.setup_usd * (r.rented_setup_share if running else 1.0) + r.site_setup_usd * extra_sites
    if rental is not None:  # rented machines come with their hosts and power, in whole instances
        hours = rented_hours(r, rental, fleet.utilisation)
        # Rented by the hour the work runs, a spare is started only when needed; kept on, it is paid for.
        billed = where.serving_devices if started_when_needed(r, rental) else where.devices
        rented = math.ceil(billed / rental.min_gpus) * rental.min_gpus
        rent_usd = rented * rental.usd_per_gpu_hour * hours
        return LocalCost(0.0, rent_usd, 0.0, setup_usd / r.months, ops_usd, r.on_call_usd, setup_usd)

    bought = where.devices - fleet.owned_devices
    purchase = bought * (fleet.hardware.purchase_usd or 0) + (where.hosts - fleet.owned_hosts) * where.host_usd
    purchase *= r.hardware_price
    return LocalCost(
        hardware_usd=purchase / r.months,
        rental_usd=0.0,
        power_usd=power_usd_per_month(r, fleet),
        setup_labour_usd=setup_usd / r.months,
        ops_labour_usd=ops_usd,
        on_call_usd=r.on_call_usd,
        capex_usd=purchase + setup_usd,
    )


def rented_hours(r: Rates, rental: Rental, utilisation: float) -> float:
    """Hours a month a rented GPU is paid for: all of them, unless the work can wait; then the
    hours it runs, in whole hours a day on demand, by the second serverless."""
    if rental.billing == "serverless":
        return r.hours * utilisation
    if started_when_needed(r, rental):
        return r.hours * max(1, math.ceil(HOURS_PER_DAY * utilisation - 1e-9)) / HOURS_PER_DAY
    return r.hours


def started_when_needed(r: Rates, rental: Rental) -> bool:
    """Whether rented GPUs run only while there is work: serverless, or on demand for work that waits."""
    return rental.billing == "serverless" or (r.scheduled and rental.billing == "on-demand")


def power_usd_per_month(r: Rates, fleet: Fleet) -> float:
    hardware, where = fleet.hardware, fleet.where
    busy_w = hardware.power_idle_w + (hardware.power_load_w - hardware.power_idle_w) * fleet.utilisation
    watts = busy_w * where.serving_devices + hardware.power_idle_w * (where.devices - where.serving_devices)
    return (watts + where.host_w * where.hosts) * r.usd_per_watt


def cloud_monthly_usd(kb: KnowledgeBase, inputs: Inputs, share: float = 1.0) -> float:
    """The API bill for `share` of the month's requests."""
    return inputs.request_usd * inputs.requests_per_day * days_per_month(kb) * share
