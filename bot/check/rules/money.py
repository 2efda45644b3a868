"""What the options cost against each other: local against the cheapest API, the API the team
named (and whether it is shut down), renting against buying, the price levers, hybrids, labour
and one-off jobs."""

from __future__ import annotations

from bot.assessment import Finding
from bot.check.api_offers import retiring_soon
from bot.check.apis import PricedApi
from bot.check.options import Choice, kind_of
from bot.check.rules.situation import Situation, money, per
from bot.knowledge.prices import pricing_date
from bot.numbers import usd


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
        summary=f"{cheaper.capitalize()} is cheaper{rest}: {money(s, local)} local against {usd(per(s, s.cloud_usd))} "
        f"for {s.inputs.api_name} ({f'{ratio:.1f}x' if ratio < 100 else 'over 100x'})"
        + (", if the data could go to it." if s.inputs.apis.cheapest is None else "."),
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
        f"{money(s, s.hybrid.monthly_usd)}, less than either alone.",
        numbers={"hybrid_monthly_usd": round(s.hybrid.monthly_usd, 2), "local_share": round(s.hybrid.local_share, 3)},
    )


def cheaper_same_tier(s: Situation) -> Finding | None:
    """The API the team named, beside the cheapest that does the same job."""
    market = s.inputs.apis
    named, cheapest = market.named, market.cheapest
    serves_share = s.frontier.api is not None and named is not None and s.frontier.api.offer is named.offer
    if named is None or cheapest is None or named.offer is cheapest.offer or serves_share:
        return None  # nothing to set beside it, or it serves the frontier share whatever else is chosen
    if named.ruled_out is not None and named.ruled_out.rule == "retired":
        return None  # `retired_api` says what replaces it
    named_usd, cheapest_usd = _monthly(s, named), _monthly(s, cheapest)
    if named_usd <= cheapest_usd * (1 + s.kb.defaults.cost_tie_margin.value):
        return None
    hosted = cheapest.offer.open_model_id is not None
    return Finding(
        rule="cheaper-api",
        favours="cloud",
        arguments=["hosted-open-weights"] if hosted else ["api-prices-fall"],
        summary=f"You named {named.offer.name}: {money(s, named_usd)}; {cheapest.offer.name} meets the same "
        f"{s.inputs.quality} tier at {usd(cheapest_usd)}.",
        numbers={"named_monthly_usd": round(named_usd, 2), "cheapest_monthly_usd": round(cheapest_usd, 2)},
    )


def _monthly(s: Situation, api: PricedApi) -> float:
    """What `api` would cost a month for the requests the cloud side is priced on."""
    return api.request_usd * s.cloud_usd / max(s.inputs.request_usd, 1e-12)


def retired_api(s: Situation) -> Finding | None:
    """The API the team named is shut down: it is priced and shown, ruled out, and this says what
    does the same job now."""
    named, instead = s.inputs.apis.named, s.inputs.apis.cloud
    if named is None or named.ruled_out is None or named.ruled_out.rule != "retired":
        return None
    return Finding(
        rule="retired",
        favours="neutral",
        arguments=named.ruled_out.arguments,
        summary=f"{named.ruled_out.reason}: requests to it fail. {instead.offer.name} does the same "
        f"{s.inputs.quality}-tier job for {money(s, _monthly(s, instead))}.",
    )


def retiring_api(s: Situation) -> Finding | None:
    """The cloud side, or the API the team named, is shut down soon: still priced, but a forced
    migration is on the calendar."""
    offers = [api.offer for api in (s.inputs.apis.cloud, s.inputs.apis.named) if api is not None]
    said, left = [], []
    for offer in [o for i, o in enumerate(offers) if o not in offers[:i]]:  # the named one may be the cloud side
        if (day := retiring_soon(offer)) is not None:
            days = (day - pricing_date()).days
            said.append(f"{offer.name} shuts down on {day.isoformat()}, in {days} day{'' if days == 1 else 's'}")
            left.append(days)
    if not said:
        return None
    return Finding(
        rule="retiring",
        favours="local",
        arguments=["pinned-model-versions"],
        summary=f"{'; '.join(said)}: moving to another model, and re-testing on it, is due before then.",
        numbers={"days_left": min(left)},
    )


def hosted_open_weights(s: Situation) -> Finding | None:
    cheapest = s.inputs.apis.cheapest
    if cheapest is None or cheapest.offer.open_model_id is None or s.inputs.apis.named is not None:
        return None
    return Finding(
        rule="hosted-open-weights",
        favours="cloud",
        arguments=["hosted-open-weights"],
        summary=f"Open weights are sold by the token too: {cheapest.offer.name} does the job for "
        f"{money(s, s.cloud_usd)} with no server to run.",
        numbers={"cloud_monthly_usd": round(s.cloud_usd, 2)},
    )


LEVER_ARGUMENTS = (("batch API", "batch-api-discount"), ("cached rate", "prompt-caching"),
                   ("hidden reasoning", "reasoning-tokens-billed"))  # fmt: skip


def price_levers(s: Situation) -> Finding | None:
    levers = s.inputs.apis.cloud.levers
    arguments = [argument for cue, argument in LEVER_ARGUMENTS if any(cue in lever for lever in levers)]
    if not arguments:
        return None
    return Finding(
        rule="price-levers",
        favours="neutral",
        arguments=arguments,
        summary=f"{s.inputs.api_name} is priced with {'; '.join(levers)}.",
    )


def rent_or_buy(s: Situation) -> Finding | None:
    """Renting against buying, when both are possible and qualify."""
    bought = _best(s, ("buy", "owned"))
    rented = _best(s, ("rent",))
    if bought is None or rented is None or bought.plan is None or rented.plan is None:
        return None
    rent_usd, buy_usd = rented.plan.cost.monthly_usd, bought.plan.cost.monthly_usd
    renting_wins = rent_usd < buy_usd
    what = "Renting" if renting_wins else "Buying"
    return Finding(
        rule="rent-or-buy",
        favours="rent" if renting_wins else "local",
        arguments=["rent-by-the-hour", "hardware-depreciation"],
        summary=f"{what} is cheaper: {money(s, rent_usd)} to rent {rented.plan.devices} x "
        f"{rented.plan.fleet.hardware.name} against {usd(per(s, buy_usd))} to own {bought.plan.devices} x "
        f"{bought.plan.fleet.hardware.name}.",
        numbers={"rent_monthly_usd": round(rent_usd, 2), "buy_monthly_usd": round(buy_usd, 2)},
    )


def _best(s: Situation, kinds: tuple[str, ...]) -> Choice | None:
    return next((c for c in s.choices if c.meets_needs and c.plan is not None and c.hybrid is None
                 and kind_of(c.plan) in kinds), None)  # fmt: skip


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
        summary=f"People's time is {share:.0%} of the local bill ({money(s, s.plan.cost.labour_usd)}).",
        numbers={"labour_monthly_usd": round(s.plan.cost.labour_usd, 2), "labour_share": round(share, 3)},
    )


def no_ops_staff(s: Situation) -> Finding | None:
    if s.inputs.ops_staff != 0 or s.plan is None:
        return None
    factor = s.inputs.rates.staff_factor
    worked = s.plan.cost.setup_labour_usd + s.plan.cost.ops_labour_usd  # on-call pay is a rate, not slower work
    penalty = worked * (1 - 1 / factor)
    return Finding(
        rule="no-ops-staff",
        favours="cloud",
        arguments=["labor-is-the-real-cost", "own-infrastructure-high-risk"],
        summary=f"Nobody on the team runs servers: setup and upkeep take about {factor:g}x as long, "
        f"{money(s, penalty)} more.",
        numbers={"labour_penalty_usd": round(penalty, 2)},
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


def tiny_volume(s: Situation) -> Finding | None:
    if s.cloud_usd >= s.kb.defaults.tiny_api_bill_usd.value:
        return None
    return Finding(
        rule="tiny-volume",
        favours="cloud",
        arguments=["economies-of-scale", "hotrodders-garage"],
        summary=f"The API bill is {money(s, s.cloud_usd)}: running it yourself only pays as a way to learn.",
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
