"""The service level a workload needs, and the people's time that level takes.

    best-effort      an internal tool, fixed in working hours when someone notices
    business-hours   a named responder and a backup, 9 to 5 on working days
    round-the-clock  a pager answered within 30 minutes at any hour

Someone on call, round-the-clock hours, or an uptime target whose monthly downtime budget is
shorter than one on-call response calls for the last; office hours, people outside the team
depending on it, or any uptime target for the second; anything else is best effort. Each
level has its setup and monthly hours in `knowledge/defaults.yaml`; hosts and sites add to
them. Round the clock with nobody to run servers, or a target only a rotation keeps with
nobody to carry the pager, is no cost line: self-hosting cannot meet it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.assessment import RuledOut
from bot.knowledge.schema.defaults import Defaults
from bot.numbers import usd
from bot.units import MINUTES_PER_HOUR

ServiceLevel = Literal["best-effort", "business-hours", "round-the-clock"]
LEVEL_NAMES: dict[str, str] = {
    "best-effort": "best effort",
    "business-hours": "business hours",
    "round-the-clock": "round the clock with someone on call",
}


@dataclass(frozen=True)
class Service:
    """What the team needs of a self-hosted service, as the checker reads it."""

    level: ServiceLevel
    why: str
    setup_hours: float
    monthly_hours: float
    on_call_hours: float
    """Engineer-hours a month of on-call pay: nonzero only round the clock."""


def rotation_threshold(d: Defaults) -> float:
    """Above this uptime the month's downtime budget is shorter than one on-call response."""
    return 1 - d.on_call_response_minutes.value / (d.hours_per_month.value * MINUTES_PER_HOUR)


def service_for(
    d: Defaults,
    *,
    availability: float | None,
    service_hours: str | None,
    customer_facing: bool,
    on_call: bool | None,
) -> Service:
    level, why = _level(d, availability, service_hours, customer_facing, on_call)
    if level == "round-the-clock":
        hours = d.setup_hours_round_the_clock.value, d.ops_hours_round_the_clock.value
        return Service(level, why, *hours, d.on_call_hours_per_month.value)
    if level == "business-hours":
        return Service(level, why, d.setup_hours_business_hours.value, d.ops_hours_business_hours.value, 0.0)
    return Service(level, why, d.setup_hours.value, d.ops_hours_per_month.value, 0.0)


def _level(
    d: Defaults, availability: float | None, service_hours: str | None, customer_facing: bool, on_call: bool | None
) -> tuple[ServiceLevel, str]:
    paged = on_call is not False
    if on_call:
        return "round-the-clock", "someone carries a pager for it"
    if service_hours == "24/7" and paged:
        return "round-the-clock", "it must be up around the clock"
    if availability is not None and availability > rotation_threshold(d) and paged:
        minutes = (1 - availability) * d.hours_per_month.value * MINUTES_PER_HOUR
        return (
            "round-the-clock",
            f"{availability:.2%} leaves {minutes:.0f} minutes down a month, less than one page takes",
        )
    if service_hours == "24/7":
        return "business-hours", "it runs around the clock but nobody carries a pager: failures wait for the morning"
    if service_hours == "office":
        return "business-hours", "it must be up in office hours"
    if customer_facing:
        return "business-hours", "people outside the team depend on it"
    if availability is not None:
        return "business-hours", f"it has an uptime target ({availability:.2%})"
    return "best-effort", "an internal tool with no uptime target or service hours said"


def unmet_need(
    d: Defaults,
    service: Service,
    *,
    availability: float | None,
    ops_staff: float | None,
    on_call: bool | None,
    on_call_usd: float,
) -> RuledOut | None:
    """Why no self-hosted option can meet the service needed, whatever it costs, or None."""
    rotation = f"a rotation's pay alone is about {usd(on_call_usd)} a month"
    if service.level == "round-the-clock" and ops_staff == 0:
        return RuledOut(
            rule="round-the-clock",
            arguments=["labor-is-the-real-cost", "own-infrastructure-high-risk", "availability-is-what-you-pay-for"],
            reason=f"it needs someone on call ({service.why}), and nobody on the team runs servers; {rotation}",
        )
    if on_call is False and availability is not None and availability > rotation_threshold(d):
        return RuledOut(
            rule="round-the-clock",
            arguments=["availability-is-what-you-pay-for", "labor-is-the-real-cost"],
            reason=f"{availability:.2%} needs someone on call, and nobody carries a pager; {rotation}",
        )
    return None
