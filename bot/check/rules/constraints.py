"""Hard constraints: data that may not go where an option would send it, an offline site,
a quality no open model reaches, a model no local server holds, a service nobody is there to
keep; decisive findings."""

from __future__ import annotations

from bot.assessment import Finding
from bot.check.data_rules import IP_REASONS, TERM_NAMES, region, required_terms
from bot.check.rules.situation import Situation, money


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
        summary=f"The data may not leave ({why}), so APIs and rented GPUs are ruled out whatever they cost.",
    )


DATA_TERMS_SAID = {
    "own-cloud": "The data must stay in your own cloud account",
    "under-contract": "The data may go only to a provider under terms ({terms})",
    "in-region": "The data must stay in {region}",
}


def data_terms(s: Situation) -> Finding | None:
    """Under a data rule that lets some options through, which ones qualify."""
    said = DATA_TERMS_SAID.get(s.inputs.data_policy)
    if said is None or s.inputs.offline:
        return None
    terms = " and ".join(TERM_NAMES[t] for t in required_terms(s.inputs))
    where = region(s.inputs)
    head = said.format(terms=terms, region=f"the {where.upper()}" if where else "its region")
    cheapest = s.inputs.apis.cheapest
    if cheapest is None:
        text = f"{head}: no API we know qualifies, so it runs on hardware you control."
    else:
        text = f"{head}: {cheapest.offer.name} qualifies, the cheapest API that does."
    return Finding(
        rule="data-terms",
        favours="local" if cheapest is None else "neutral",
        arguments=["data-residency-and-regulation", "provider-data-terms"],
        summary=text,
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


def round_the_clock(s: Situation) -> Finding | None:
    """A service self-hosting cannot keep with the people there are: no cost line makes up for it."""
    unmet = s.inputs.unmet_service
    if unmet is None:
        return None
    on_call_usd = s.kb.defaults.on_call_hours_per_month.value * s.inputs.engineer_hourly_usd
    return Finding(
        rule="round-the-clock",
        favours="cloud",
        arguments=unmet.arguments,
        decisive=True,
        summary=f"No self-hosted option can keep this service: {unmet.reason}.",
        numbers={"on_call_monthly_usd": round(on_call_usd, 2)},
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
    if not s.frontier.share:
        return None
    if s.frontier.api is None:
        return Finding(
            rule="frontier-share",
            favours="neutral",
            arguments=["frontier-quality-gap", "data-residency-and-regulation"],
            decisive=True,
            summary=f"{s.frontier.share:.0%} of requests need frontier quality no open model reaches, and no "
            "frontier API may receive the data.",
            numbers={"frontier_share": s.frontier.share},
        )
    return Finding(
        rule="frontier-share",
        favours="hybrid",
        arguments=["frontier-quality-gap"],
        summary=f"{s.frontier.share:.0%} of requests need frontier quality no open model reaches: they go to "
        f"{s.frontier.api.offer.name} ({money(s, s.frontier.monthly_usd)}) whatever serves the rest.",
        numbers={"frontier_share": s.frontier.share, "frontier_monthly_usd": round(s.frontier.monthly_usd, 2)},
    )
