"""Every way to serve the workload, priced, and the one the verdict picks.

    buy      hardware bought for the team's premises
    owned    hardware already there: only its running costs count
    rent     GPUs rented by the hour, in the team's own cloud account or a GPU cloud
    api      a hosted API, proprietary or an open model's weights sold by a host
    hybrid   self-hosted base load with the API taking the peaks, or a frontier share by API

Each option says where the data is processed and whether it meets the team's needs; if not,
which rule ruled it out. The verdict is the cheapest option that meets the needs; within the
tie margin of the runner-up of another kind, the other findings tip it, and the confidence
grows with the margin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.assessment import Finding, OptionKind, RuledOut, Where
from bot.check.apis import PricedApi
from bot.check.costs import days_per_month
from bot.check.data_rules import barred
from bot.check.hybrids import Hybrid, cheapest_hybrid
from bot.check.inputs import Inputs
from bot.check.paying import Option
from bot.check.sizing import Plan, cheapest_plan
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.hardware import Rental

VERDICTS: dict[str, str] = {"buy": "local", "owned": "local", "rent": "rent", "api": "cloud", "hybrid": "hybrid"}
NO_FRONTIER_API = RuledOut(
    rule="frontier-share",
    arguments=["frontier-quality-gap", "data-residency-and-regulation"],
    reason="a share of the work needs frontier quality, and no frontier API may receive the data",
)


@dataclass(frozen=True)
class Frontier:
    """The share of requests that goes to a frontier API whatever else is chosen."""

    share: float
    api: PricedApi | None
    monthly_usd: float

    def scaled(self, factor: float) -> Frontier:
        return Frontier(self.share, self.api, self.monthly_usd * factor)


@dataclass(frozen=True, slots=True)
class Choice:
    """One priced way to serve the workload (the rest of it, with a frontier share, plus that share)."""

    kind: OptionKind
    where: Where
    monthly_usd: float
    ruled_out: RuledOut | None
    plan: Plan | None = None
    api: PricedApi | None = None
    hybrid: Hybrid | None = None
    shared_usd: float = 0.0
    """What every option pays alike (a frontier share's API bill), left out when margins are compared."""

    @property
    def verdict(self) -> str:
        return VERDICTS[self.kind]

    @property
    def meets_needs(self) -> bool:
        return self.ruled_out is None


@dataclass(frozen=True)
class Ruling:
    """The checker's verdict on its options, before the rest of an answer (not a logged decision)."""

    verdict: str
    confidence: float
    chosen: Choice | None


def self_hosted(kb: KnowledgeBase, inputs: Inputs, options: list[Option]) -> list[Plan]:
    """The cheapest plan of each self-hosted kind: bought (or owned), on owned hardware alone,
    rented in the team's own cloud account, rented from a GPU cloud."""
    owned = {hardware.id for hardware, _ in inputs.owned}
    groups: list[Callable[[Option], bool]] = [
        lambda o: o.rental is None,
        lambda o: o.rental is not None and o.rental.venue == "own-cloud",
        lambda o: o.rental is not None and o.rental.venue == "gpu-cloud",
    ]
    if owned:
        groups.append(lambda o: o.rental is None and o.replica.hardware.id in owned)
    plans: list[Plan] = []
    for group in groups:
        plan = cheapest_plan(kb, inputs, options, group)
        if plan is not None and all(plan is not p and _shape(plan) != _shape(p) for p in plans):
            plans.append(plan)
    return plans


def _shape(plan: Plan) -> tuple[str, int, str | None]:
    return plan.fleet.hardware.id, plan.devices, plan.fleet.rental.id if plan.fleet.rental else None


def kind_of(plan: Plan) -> OptionKind:
    if plan.fleet.rental is not None:
        return "rent"
    return "owned" if plan.fleet.owned_devices == plan.devices else "buy"


def where_of(plan: Plan) -> Where:
    rental = plan.fleet.rental
    if rental is None:
        return "premises"
    return "own-cloud" if rental.venue == "own-cloud" else "provider"


def choices(
    kb: KnowledgeBase,
    inputs: Inputs,
    plans: list[Plan],
    hybrid: Hybrid | None,
    frontier: Frontier,
    quality_gap: RuledOut | None,
) -> list[Choice]:
    """Every option, cheapest first: self-hosted plans, the APIs worth showing, the hybrid.

    `inputs` describe the part an open model may serve: all but a frontier share, which goes
    to `frontier.api` in every option, or, when no frontier API may take the data, leaves no
    option that meets the needs. `quality_gap` rules out every self-hosted option when no
    open model reaches the quality asked for.
    """
    share_barred = NO_FRONTIER_API if frontier.share and frontier.api is None else None
    extra = frontier.monthly_usd
    found = [_self_hosted_choice(kb, inputs, plan, frontier, quality_gap or share_barred) for plan in plans]
    found += [_api_choice(kb, inputs, api, extra, share_barred) for api in apis_worth_showing(inputs)]
    if hybrid is not None:
        api = inputs.apis.cloud
        why_not = quality_gap or share_barred or api.ruled_out or _plan_barred(kb, inputs, hybrid.plan)
        monthly = hybrid.monthly_usd + extra
        found.append(
            Choice("hybrid", "provider", monthly, why_not, plan=hybrid.plan, api=api, hybrid=hybrid, shared_usd=extra)
        )
    return sorted(found, key=lambda c: (c.monthly_usd, c.kind))


def apis_worth_showing(inputs: Inputs) -> list[PricedApi]:
    """The cheapest API that meets the needs, the cheapest at the tier when the data rules bar
    it, and the one the team named: each once."""
    market = inputs.apis
    shown: list[PricedApi] = []
    for api in (market.cheapest, market.cheapest_at_tier, market.named):
        if api is not None and all(api.offer is not other.offer for other in shown):
            shown.append(api)
    return shown


def _self_hosted_choice(
    kb: KnowledgeBase, inputs: Inputs, plan: Plan, frontier: Frontier, barred_all: RuledOut | None
) -> Choice:
    if frontier.share:  # the frontier share still goes to an API: a hybrid
        kind: OptionKind = "hybrid"
        where: Where = "provider"
    else:
        kind, where = kind_of(plan), where_of(plan)
    why_not = barred_all or _plan_barred(kb, inputs, plan)
    shared = frontier.monthly_usd
    return Choice(kind, where, plan.cost.monthly_usd + shared, why_not, plan=plan, shared_usd=shared)


def _plan_barred(kb: KnowledgeBase, inputs: Inputs, plan: Plan) -> RuledOut | None:
    """Why a self-hosted plan cannot serve: where the data may go, or a service level nobody can
    keep (no one to carry the pager, an uptime no layout of hosts and sites reaches)."""
    rental = plan.fleet.rental
    barred_data = None if rental is None else rental_barred(kb, inputs, rental)
    return barred_data or inputs.unmet_service or (None if plan.layout.reachable else unreachable(inputs))


def unreachable(inputs: Inputs) -> RuledOut:
    return RuledOut(
        rule="availability",
        arguments=["availability-is-what-you-pay-for"],
        reason=f"no layout of hosts we price, even at two sites, stays up {inputs.availability:.4%} of the time",
    )


def rental_barred(kb: KnowledgeBase, inputs: Inputs, rental: Rental) -> RuledOut | None:
    """Rented in the team's own cloud account, the data stays there; at a GPU cloud it goes to that provider."""
    if rental.venue == "own-cloud":
        return barred(inputs, "own-cloud")
    return barred(inputs, "provider", kb.providers[rental.provider])


def _api_choice(
    kb: KnowledgeBase, inputs: Inputs, api: PricedApi, frontier_usd: float, share_barred: RuledOut | None
) -> Choice:
    monthly = api.request_usd * inputs.requests_per_day * days_per_month(kb)
    why_not = share_barred or api.ruled_out
    return Choice("api", "provider", monthly + frontier_usd, why_not, api=api, shared_usd=frontier_usd)


def decide(kb: KnowledgeBase, found: Iterable[Choice], findings: Callable[[], list[Finding]]) -> Ruling:
    """The cheapest option that meets the needs; a near tie with another kind tipped by the findings
    (asked for only then: most answers are no tie)."""
    candidates = [c for c in found if c.meets_needs]
    if not candidates:
        return Ruling("need-more-info", 0.3, None)
    best = candidates[0]
    rival = next((c for c in candidates if c.verdict != best.verdict), None)
    if rival is None:
        return Ruling(best.verdict, 0.9, best)
    own = rival.monthly_usd - rival.shared_usd  # what the rival costs beyond what every option pays alike
    gap = (rival.monthly_usd - best.monthly_usd) / own if own > 0 else 0.0
    if gap > kb.defaults.cost_tie_margin.value:
        return Ruling(best.verdict, min(0.95, 0.55 + gap * 0.5), best)
    said = findings()
    tipped = max((best, rival), key=lambda c: (_leaning(said, c), c is best))
    return Ruling(tipped.verdict, 0.45, tipped)


SIDES: dict[str, frozenset[str]] = {
    "buy": frozenset({"local"}),
    "owned": frozenset({"local"}),
    "rent": frozenset({"rent", "local"}),
    "api": frozenset({"cloud"}),
    "hybrid": frozenset({"hybrid", "local"}),
}
"""The findings that speak for an option: what favours running it yourself speaks for renting
and for a hybrid's self-hosted base too."""


def _leaning(findings: list[Finding], choice: Choice) -> int:
    """How many findings other than cost favour this option."""
    return sum(f.favours in SIDES[choice.kind] for f in findings if f.rule != "cost")


def cheapest_hybrid_for(kb: KnowledgeBase, inputs: Inputs, allowed: list[Option], plans: list[Plan]) -> Hybrid | None:
    """A self-hosted base (of the `allowed` shapes) with the API for what spills over, when it beats
    every single option by the tie margin, and the API may take the data."""
    if not plans or inputs.apis.cheapest is None:
        return None
    api_usd = inputs.request_usd * inputs.requests_per_day * days_per_month(kb)
    single = min([p.cost.monthly_usd for p in plans] + [api_usd])
    return cheapest_hybrid(kb, inputs, allowed, beat=single * (1 - kb.defaults.cost_tie_margin.value))
