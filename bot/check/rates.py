"""What an engineer hour, a watt, a host and a site cost a workload's self-hosted options, as one
interned record every cost line reads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.check.inputs import Inputs


@dataclass(frozen=True, eq=False)
class Rates:
    """The money side of the inputs, per month, as every cost line needs it.

    Interned (see `_rates`): equal rates are one object, compared and hashed by
    identity, which keeps the caches keyed on them cheap.
    """

    months: float
    """Months a purchase is spread over: the hardware's life, or a one-off job's length."""
    hourly_usd: float
    """An engineer hour, doubled (or as the defaults say) when nobody runs servers yet."""
    staff_factor: float
    setup_usd: float
    """Setting up at the service level, machines bought and installed."""
    rented_setup_share: float
    """Of that, what rented instances or hardware already running take."""
    ops_first_usd: float
    ops_extra_usd: float
    """Upkeep of the first host a month at the service level, and of each further one."""
    site_setup_usd: float
    site_ops_usd: float
    """Setup and monthly upkeep of each site beyond the first."""
    on_call_usd: float
    """On-call pay a month, round the clock: a rate for time on a pager, so never doubled."""
    hours: float
    usd_per_watt: float
    """A watt drawn for a month, with PUE and the electricity price."""
    scheduled: bool
    """Work that can wait is run when rented GPUs are up, so rent is paid for the hours used."""
    target: float | None
    """The uptime asked for (or implied), with the availability of one host and of one site."""
    host_availability: float
    site_availability: float
    hardware_price: float = 1.0
    """Devices and hosts bought, as a multiple of the knowledge base's prices (`WhatIf`)."""


def rates_for(inputs: Inputs) -> Rates:
    d = inputs.defaults
    life = inputs.what_if.hardware_life_months or d.amortisation_months.value
    staff = d.no_ops_staff_factor.value if inputs.ops_staff == 0 else 1.0
    hourly = inputs.engineer_hourly_usd * staff
    return _rates(
        min(life, inputs.one_off_months) if inputs.one_off_months else life,
        hourly,
        staff,
        inputs.service.setup_hours * hourly,
        d.rented_setup_share.value,
        inputs.service.monthly_hours * hourly,
        d.ops_hours_per_extra_server.value * hourly,
        d.setup_hours_per_extra_site.value * hourly,
        d.ops_hours_per_extra_site.value * hourly,
        inputs.service.on_call_hours * inputs.engineer_hourly_usd,  # a rate for time on a pager, not slower work
        d.hours_per_month.value,
        d.hours_per_month.value / 1000 * d.pue.value * inputs.electricity_usd_per_kwh,
        inputs.batch,
        inputs.availability,
        d.host_availability.value,
        d.site_availability.value,
        inputs.what_if.hardware_price,
    )


@lru_cache(maxsize=4096)
def _rates(*values: Any) -> Rates:
    return Rates(*values)
