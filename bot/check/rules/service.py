"""How the service would run: availability, utilisation, bursts, rate limits, steadiness,
the team's own hardware and people, licences and lock-in."""

from __future__ import annotations

from bot.assessment import Finding, Side
from bot.check.costs import rented_hours
from bot.check.latency import typical_first_token, unknown_why
from bot.check.rules.situation import Situation, money
from bot.check.sizing import redundancy_usd
from bot.units import SECONDS_PER_MINUTE, tokens_from_requests


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
    """What the uptime asked for (or implied) takes: whole spare hosts, a second site, or nothing more."""
    target, plan = s.inputs.availability, s.plan
    if plan is None or target is None or not plan.layout.reachable:
        return None
    d, where = s.kb.defaults, plan.layout
    one_host, one_site = d.host_availability.value, d.site_availability.value
    if not where.spare_hosts and where.sites == 1:
        return Finding(
            rule="availability",
            favours="local",
            arguments=["availability-is-what-you-pay-for", "on-prem-for-pure-compute"],
            summary=f"{target:.2%} uptime is within what one host gives ({one_host:.1%}); no need to pay for more.",
            numbers={"availability": target},
        )
    extra_usd = redundancy_usd(s.kb, s.inputs, plan)
    spares = f"{where.spare_hosts} spare host{'s' if where.spare_hosts > 1 else ''}"
    if where.sites > 1:
        what = f"more than one site gives ({one_site:.3%}): a second site carrying the " \
               f"whole load{f', with {spares} in all,' if where.spare_hosts else ''} adds"  # fmt: skip
    else:
        verb = "adds" if where.spare_hosts == 1 else "add"
        what = f"more than one host gives ({one_host:.1%}): {spares}, idle until one fails, {verb}"
    return Finding(
        rule="availability",
        favours="cloud",
        arguments=["availability-is-what-you-pay-for", "availability-needs-spares-and-sites"],
        summary=f"{target:.2%} uptime is {what} {money(s, extra_usd)}.",
        numbers={
            "availability": target,
            "spare_hosts": where.spare_hosts,
            "sites": where.sites,
            "redundancy_monthly_usd": round(extra_usd, 2),
        },
    )


def on_call(s: Situation) -> Finding | None:
    """Round the clock, someone carries a pager: the pay for it, and whether the team can staff it."""
    plan = s.plan
    if plan is None or not plan.cost.on_call_usd or s.inputs.unmet_service is not None:
        return None
    d = s.kb.defaults
    people = d.on_call_rotation_people.value
    staff = s.inputs.ops_staff
    short = (
        f"; fewer run servers here than the {people:g} a rotation needs without burning out"
        if staff is not None and staff < people
        else ""
    )
    return Finding(
        rule="on-call",
        favours="cloud",
        arguments=["labor-is-the-real-cost", "on-call-is-a-rotation"],
        summary=f"Someone must be on call, as {s.inputs.service.why}: on-call pay alone is "
        f"{money(s, plan.cost.on_call_usd)}{short}.",
        numbers={"on_call_monthly_usd": round(plan.cost.on_call_usd, 2)},
    )


def first_token(s: Situation) -> Finding | None:
    """The time to the first token asked for, self-hosted and by API, each checked on its own."""
    wanted = s.inputs.first_token_s
    if wanted is None or s.inputs.batch:
        return None
    numbers: dict[str, float | int | str] = {"first_token_s": wanted}
    if s.plan is not None:
        local = s.plan.replica.estimate.time_to_first_token_s
        numbers["local_first_token_s"] = round(local, 2)
        parts = [f"self-hosted, the first token comes in about {local:.2f} s"]
    else:
        parts = ["no self-hosted option starts that soon"]
    api = s.inputs.apis.cloud
    typical = typical_first_token(api.offer)
    favours: Side = "neutral"
    if api.ruled_out is not None and api.ruled_out.rule == "first-token":
        parts.append(f"no API we know does: {api.ruled_out.reason}")
        favours = "local"
    elif api.ruled_out is not None:
        pass  # the API is out for another reason: its speed is beside the point
    elif typical is None:
        parts.append(f"for {api.offer.name} it is unknown ({unknown_why(api.offer)}): measure it before relying on it")
    else:
        numbers["api_first_token_s"] = typical.seconds
        parts.append(f"{api.offer.provider.name} typically takes {typical.seconds:g} s ({typical.model})")
    return Finding(
        rule="first-token",
        favours=favours,
        arguments=["latency-and-offline"],
        summary=f"First token within {wanted:g} s: {'; '.join(parts)}.",
        numbers=numbers,
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
    """Hardware the team owns, in the best self-hosted plan or in a hybrid's base."""
    fleets = [p.fleet for p in (s.plan, s.hybrid.plan if s.hybrid else None) if p is not None]
    fleet = next((f for f in fleets if f.owned_devices), None)
    if fleet is None:
        return None
    return Finding(
        rule="owned-hardware",
        favours="local",
        arguments=["owned-hardware-is-sunk-cost"],
        summary=f"It runs on {fleet.owned_devices} {fleet.hardware.name} the team already owns: "
        "only power and upkeep count.",
        numbers={"owned_devices": fleet.owned_devices},
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
    per_minute = tokens_from_requests(
        s.inputs.peak_requests_per_s * SECONDS_PER_MINUTE, s.inputs.input_tokens, s.inputs.output_tokens
    )
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
    if plan.layout.hosts < 2 and s.inputs.availability is None:
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
