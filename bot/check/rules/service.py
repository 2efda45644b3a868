"""How the service would run: availability, utilisation, bursts, rate limits, steadiness,
the team's own hardware and people, licences and lock-in."""

from __future__ import annotations

from bot.assessment import Finding
from bot.check.costs import hosts_for, rented_hours
from bot.check.rules.situation import Situation, money


def ops_staff_available(s: Situation) -> Finding | None:
    if not s.inputs.ops_staff or s.plan is None:
        return None
    return Finding(
        rule="ops-staff-available",
        favours="local",
        arguments=["just-an-http-endpoint", "no-state-to-lose"],
        summary="The team already runs servers; an inference server is a stateless HTTP endpoint to add to them.",
    )


def availability(s: Situation) -> Finding | None:
    if s.plan is None or s.inputs.availability is None:
        return None
    one_box = s.kb.defaults.single_box_availability.value
    if s.plan.spare:
        spare_usd = s.plan.cost.monthly_usd * s.plan.spare / (s.plan.replicas + s.plan.spare)
        return Finding(
            rule="availability",
            favours="cloud",
            arguments=["availability-is-what-you-pay-for"],
            summary=f"{s.inputs.availability:.2%} uptime is more than one box gives ({one_box:.0%}): "
            f"a spare adds about {money(s, spare_usd)}.",
            numbers={"availability": s.inputs.availability, "spare_monthly_usd": round(spare_usd, 2)},
        )
    return Finding(
        rule="availability",
        favours="local",
        arguments=["availability-is-what-you-pay-for", "on-prem-for-pure-compute"],
        summary=f"{s.inputs.availability:.1%} uptime is within what one box gives; no need to pay for more.",
        numbers={"availability": s.inputs.availability},
    )


def low_utilisation(s: Situation) -> Finding | None:
    if s.plan is None or s.plan.fleet.utilisation >= s.kb.defaults.low_utilisation.value:
        return None
    rental = s.plan.fleet.rental
    if rental is not None and rented_hours(s.inputs.rates, rental, 1.0) > rented_hours(s.inputs.rates, rental, 0.0):
        return None  # rent billed by the hour it runs: idle time costs nothing
    return Finding(
        rule="low-utilisation",
        favours="cloud",
        arguments=["idle-hardware-utilisation"],
        summary=f"The hardware would be busy {s.plan.fleet.utilisation:.0%} of the time and cost the same when idle.",
        numbers={"utilisation": round(s.plan.fleet.utilisation, 4)},
    )


def owned_hardware(s: Situation) -> Finding | None:
    if s.plan is None or not s.plan.fleet.owned_devices:
        return None
    return Finding(
        rule="owned-hardware",
        favours="local",
        arguments=["owned-hardware-is-sunk-cost"],
        summary=f"It runs on {s.plan.fleet.owned_devices} {s.plan.fleet.hardware.name} the team already owns: "
        "only power and upkeep count.",
        numbers={"owned_devices": s.plan.fleet.owned_devices},
    )


def bursty(s: Situation) -> Finding | None:
    ratio = s.inputs.peak_requests_per_s / s.inputs.average_requests_per_s
    if s.inputs.how("peak_requests_per_s") == "assumed" or ratio < s.kb.defaults.bursty_peak_to_average.value:
        return None
    return Finding(
        rule="bursty",
        favours="cloud",
        arguments=["bursty-and-one-off-jobs", "idle-hardware-utilisation"],
        summary=f"Peaks run {ratio:.0f}x the average: hardware sized for them idles most of the day.",
        numbers={"peak_to_average": round(ratio, 1)},
    )


def stable_latency(s: Situation) -> Finding | None:
    if not s.inputs.stable_latency:
        return None
    return Finding(
        rule="stable-latency",
        favours="local",
        arguments=["stable-performance", "pinned-model-versions"],
        summary="It needs steady speed and unchanging outputs; a local model changes only when you change it.",
    )


def rate_limits(s: Situation) -> Finding | None:
    per_minute = s.inputs.peak_requests_per_s * 60 * (s.inputs.input_tokens + s.inputs.output_tokens)
    if per_minute < s.kb.defaults.rate_limit_tokens_per_minute.value:
        return None
    return Finding(
        rule="rate-limits",
        favours="local",
        arguments=["api-rate-limits-and-quotas"],
        summary=(
            f"At peak it sends {per_minute:,.0f} tokens a minute, enough to hit API rate limits below the top tiers."
        ),
        numbers={"peak_tokens_per_minute": round(per_minute)},
    )


def geforce_licence(s: Situation) -> Finding | None:
    """A GeForce card proposed for a server: its licence forbids datacenter deployment."""
    plan = s.plan
    if plan is None or plan.fleet.hardware.datacenter_licence or plan.fleet.rental is not None:
        return None
    hosts = hosts_for(plan.fleet.hardware, plan.devices, s.inputs.rates.gpus_per_host)
    if hosts < 2 and s.inputs.availability is None:
        return None  # one box under a desk, not a datacenter
    return Finding(
        rule="geforce-licence",
        favours="neutral",
        arguments=["geforce-datacenter-licence"],
        summary=f"NVIDIA's GeForce driver licence does not allow datacenter deployment: for a server room, "
        f"price a workstation or datacenter card instead of the {plan.fleet.hardware.name}.",
    )


def no_lock_in(s: Situation) -> Finding | None:
    ratio = s.kb.defaults.contender_cost_ratio.value
    contender = s.plan is not None and s.plan.cost.monthly_usd <= ratio * s.cloud_usd
    if not contender or s.inputs.one_off_months is not None:
        return None
    return Finding(
        rule="no-lock-in",
        favours="local",
        arguments=["easy-model-swapping"],
        summary=f"{s.inputs.open_model.name} is open weights: it can be swapped for another without a vendor's say.",
    )
