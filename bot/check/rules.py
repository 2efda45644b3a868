"""Findings: each rule reads the facts and the priced options, and cites its arguments.

A rule returns a finding or nothing. Decisive findings rule an option out
(data that may not leave, an offline site, a need only frontier APIs meet, a
model no local server holds); the rest lean one way and decide close calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.assessment import Finding
from bot.check.inputs import Inputs
from bot.check.sizing import Hybrid, Option, Plan
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import ApiModel
from bot.numbers import usd

IP_REASONS = {"ip", "source-code", "trade-secret", "confidential"}


@dataclass(frozen=True)
class Frontier:
    """The share of requests that goes to a frontier API whatever else is chosen."""

    share: float
    api: ApiModel | None
    monthly_usd: float

    def scaled(self, factor: float) -> Frontier:
        return Frontier(self.share, self.api, self.monthly_usd * factor)


@dataclass(frozen=True)
class Situation:
    """Everything a rule may look at."""

    kb: KnowledgeBase
    inputs: Inputs
    plan: Plan | None
    cloud_usd: float
    hybrid: Hybrid | None
    local_unavailable: str | None
    options: list[Option]
    """Every replica shape and way to pay for it, cheapest floor first, for volume-dependent answers."""
    frontier: Frontier
    """With a frontier share, `inputs`, `plan` and `cloud_usd` are about the rest of the requests."""


Rule = Callable[[Situation], Finding | None]


def data_must_stay(s: Situation) -> Finding | None:
    if s.inputs.data_policy != "must-stay":
        return None
    arguments = ["data-residency-and-regulation"]
    if IP_REASONS & set(s.inputs.data_reasons):
        arguments.append("keep-ip-in-house")
    why = ", ".join(s.inputs.data_reasons) or "the team's rules"
    return Finding(
        rule="data-must-stay",
        favours="local",
        arguments=arguments,
        decisive=True,
        summary=f"The data may not leave ({why}), so a third-party API is ruled out whatever it costs.",
    )


def data_in_region(s: Situation) -> Finding | None:
    if s.inputs.data_policy != "in-region":
        return None
    return Finding(
        rule="data-in-region",
        favours="local",
        arguments=["data-residency-and-regulation"],
        summary=f"The data must stay in its region: {s.inputs.api_name} qualifies only if served from there.",
    )


def offline(s: Situation) -> Finding | None:
    if not s.inputs.offline:
        return None
    return Finding(
        rule="offline",
        favours="local",
        arguments=["latency-and-offline"],
        decisive=True,
        summary="It has to work without an internet connection, which no API does.",
    )


def frontier_quality(s: Situation) -> Finding | None:
    if s.inputs.quality != "frontier":
        return None
    return Finding(
        rule="frontier-quality",
        favours="cloud",
        arguments=["frontier-quality-gap"],
        decisive=True,
        summary=f"It needs frontier quality; the best open model we know, {s.inputs.open_model.name}, "
        f"is {s.inputs.open_model.quality_tier}.",
    )


def no_local_fit(s: Situation) -> Finding | None:
    if s.plan is not None:
        return None
    return Finding(
        rule="no-local-fit",
        favours="cloud",
        arguments=["economies-of-scale"],
        decisive=True,
        summary=s.local_unavailable or "No local configuration serves it.",
    )


def frontier_share(s: Situation) -> Finding | None:
    if not s.frontier.share or s.frontier.api is None:
        return None
    return Finding(
        rule="frontier-share",
        favours="hybrid",
        arguments=["frontier-quality-gap"],
        summary=f"{s.frontier.share:.0%} of requests need frontier quality no open model reaches: they go to "
        f"{s.frontier.api.name} ({usd(s.frontier.monthly_usd)} a month) whatever serves the rest.",
        numbers={"frontier_share": s.frontier.share, "frontier_monthly_usd": round(s.frontier.monthly_usd, 2)},
    )


def cost(s: Situation) -> Finding | None:
    if s.plan is None:
        return None
    local = s.plan.cost.monthly_usd
    cheaper = "local" if local < s.cloud_usd else "cloud"
    if cheaper == "cloud":
        arguments = ["economies-of-scale", "cloud-cheaper-on-average"]
    else:
        arguments = ["local-savings"]
        if not s.inputs.availability or s.inputs.batch:
            arguments.append("on-prem-for-pure-compute")
    if s.plan.cost.hardware_usd:
        arguments.append("hardware-depreciation")
    ratio = max(local, s.cloud_usd) / max(min(local, s.cloud_usd), 0.01)
    rest = f" for the other {1 - s.frontier.share:.0%} of requests" if s.frontier.share else ""
    return Finding(
        rule="cost",
        favours=cheaper,
        arguments=arguments,
        summary=f"{cheaper.capitalize()} is cheaper{rest}: {usd(local)} a month local against {usd(s.cloud_usd)} "
        f"for {s.inputs.api_name} ({ratio:.1f}x).",
        numbers={
            "local_monthly_usd": round(local, 2),
            "cloud_monthly_usd": round(s.cloud_usd, 2),
            "ratio": round(ratio, 2),
        },
    )


def hybrid_cheapest(s: Situation) -> Finding | None:
    """The situation holds a hybrid only when it beats both single options by the tie margin."""
    if s.hybrid is None:
        return None
    return Finding(
        rule="hybrid-cheapest",
        favours="hybrid",
        arguments=["bursty-and-one-off-jobs", "availability-is-what-you-pay-for"],
        summary=f"Serving {s.hybrid.local_share:.0%} of requests locally and the peaks by API costs "
        f"{usd(s.hybrid.monthly_usd)} a month, less than either alone.",
        numbers={"hybrid_monthly_usd": round(s.hybrid.monthly_usd, 2), "local_share": round(s.hybrid.local_share, 3)},
    )


def labour_share(s: Situation) -> Finding | None:
    if s.plan is None or s.plan.cost.monthly_usd <= 0:
        return None
    share = s.plan.cost.labour_usd / s.plan.cost.monthly_usd
    if share < s.kb.defaults.labour_share_high.value:
        return None
    return Finding(
        rule="labour",
        favours="cloud",
        arguments=["labor-is-the-real-cost"],
        summary=f"People's time is {share:.0%} of the local bill ({usd(s.plan.cost.labour_usd)} a month).",
        numbers={"labour_monthly_usd": round(s.plan.cost.labour_usd, 2), "labour_share": round(share, 3)},
    )


def no_ops_staff(s: Situation) -> Finding | None:
    if s.inputs.ops_staff != 0 or s.plan is None:
        return None
    factor = s.inputs.rates.staff_factor
    penalty = s.plan.cost.labour_usd * (1 - 1 / factor)
    return Finding(
        rule="no-ops-staff",
        favours="cloud",
        arguments=["labor-is-the-real-cost", "own-infrastructure-high-risk"],
        summary=f"Nobody on the team runs servers: setup and upkeep take about {factor:g}x as long, "
        f"{usd(penalty)} a month more.",
        numbers={"labour_penalty_usd": round(penalty, 2)},
    )


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
            f"a spare adds about {usd(spare_usd)} a month.",
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


def one_off(s: Situation) -> Finding | None:
    if s.inputs.one_off_months is None:
        return None
    return Finding(
        rule="one-off",
        favours="cloud",
        arguments=["bursty-and-one-off-jobs", "hardware-depreciation"],
        summary=f"A one-off job of {s.inputs.one_off_months:g} month(s): hardware bought for it would carry its "
        "whole price in that time, then stand idle.",
        numbers={"months": s.inputs.one_off_months},
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


def tiny_volume(s: Situation) -> Finding | None:
    if s.cloud_usd >= s.kb.defaults.tiny_api_bill_usd.value:
        return None
    return Finding(
        rule="tiny-volume",
        favours="cloud",
        arguments=["economies-of-scale", "hotrodders-garage"],
        summary=f"The API bill is {usd(s.cloud_usd)} a month: running it yourself only pays as a way to learn.",
        numbers={"cloud_monthly_usd": round(s.cloud_usd, 2)},
    )


def prices_fall(s: Situation) -> Finding | None:
    if s.plan is None or s.plan.cost.monthly_usd >= s.cloud_usd or not s.plan.cost.capex_usd:
        return None
    return Finding(
        rule="prices-fall",
        favours="cloud",
        arguments=["api-prices-fall"],
        summary="API prices for a given quality keep falling; revisit this before buying more hardware.",
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


RULES: tuple[Rule, ...] = (
    data_must_stay,
    offline,
    frontier_quality,
    no_local_fit,
    frontier_share,
    cost,
    hybrid_cheapest,
    data_in_region,
    no_ops_staff,
    labour_share,
    owned_hardware,
    one_off,
    availability,
    low_utilisation,
    bursty,
    rate_limits,
    stable_latency,
    ops_staff_available,
    tiny_volume,
    prices_fall,
    no_lock_in,
)


def findings(situation: Situation) -> list[Finding]:
    """Every finding that applies: decisive first, then in the order of RULES."""
    found = [f for f in (rule(situation) for rule in RULES) if f is not None]
    return sorted(found, key=lambda f: not f.decisive)
