"""The cloud side: every hosted API that could do the job, priced for this workload.

Candidates are the offers of `bot.check.api_offers`: the API models the knowledge base rates
and the hosted open weights, rated at their open model's tier. One meets the needs when its
tier reaches the quality asked for, its provider may receive the data (`data_rules`), and,
for a team running its own fine-tune, it serves fine-tunes. A model its
provider has shut down by the pricing date (`retires_on`) is no candidate at all: genai-prices
still prices many of them. The cloud side of every answer is the cheapest that does; the API
the team named is priced beside it, never in its place, and ruled out if it is shut down.

Each is priced per request of the stated size by genai-prices, with the levers a pricing
expert would pull: the batch API's discount for work that can wait, the cached rate for a
repeated prompt prefix, hidden reasoning tokens billed as output, a fine-tune's own price.
Base prices per token give every candidate a lower bound (tiers only add to them), so only
the few that could be cheapest are priced exactly.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

from bot.assessment import RuledOut
from bot.check.api_offers import ApiOffer, offers, retired
from bot.check.data_rules import DataNeeds, barred
from bot.check.latency import slow_first_token
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import request_cost_usd, worked_out_from_prices
from bot.knowledge.schema.models import QUALITY_ORDER, ApiModelRef
from bot.knowledge.schema.providers import Provider


class Request(DataNeeds, Protocol):
    """What an API's price and whether it may serve depend on: the request, the levers, the rules."""

    @property
    def quality(self) -> str: ...
    @property
    def input_tokens(self) -> int: ...
    @property
    def output_tokens(self) -> int: ...
    @property
    def cached_input_tokens(self) -> int: ...
    @property
    def batch(self) -> bool: ...
    @property
    def fine_tuned(self) -> bool: ...
    @property
    def first_token_s(self) -> float | None: ...


@dataclass(frozen=True)
class RequestFacts:
    """A `Request` as plain values, so the APIs priced for one serve every workload that shares them."""

    quality: str
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    batch: bool
    fine_tuned: bool
    data_policy: str
    data_reasons: tuple[str, ...]
    data_terms: tuple[str, ...]
    data_region: str | None
    data_providers: tuple[str, ...]
    offline: bool
    first_token_s: float | None

    @classmethod
    def of(cls, request: Request) -> RequestFacts:
        return cls(*(getattr(request, field.name) for field in dataclasses.fields(cls)))


@dataclass(frozen=True)
class PricedApi:
    offer: ApiOffer
    request_usd: float
    """What one request of the workload's size costs, levers applied."""
    levers: tuple[str, ...]
    ruled_out: RuledOut | None
    """Why it does not meet the needs (data rules, a fine-tune it cannot serve), or None."""


@dataclass(frozen=True)
class ApiMarket:
    """The APIs an answer shows: the cheapest that meets the needs, the cheapest at the quality
    asked for whatever the data rules, the one the team named, and where a frontier share goes."""

    cheapest: PricedApi | None
    cheapest_at_tier: PricedApi
    named: PricedApi | None
    frontier: PricedApi | None

    @property
    def cloud(self) -> PricedApi:
        """The cloud side: the cheapest that meets the needs, else the cheapest at the tier."""
        return self.cheapest or self.cheapest_at_tier

    def scaled(self, factor: float) -> ApiMarket:
        """Every API at `factor` times its price: the same ones are cheapest."""

        def at(api: PricedApi) -> PricedApi:
            return dataclasses.replace(api, request_usd=api.request_usd * factor)

        return ApiMarket(
            cheapest=at(self.cheapest) if self.cheapest else None,
            cheapest_at_tier=at(self.cheapest_at_tier),
            named=at(self.named) if self.named else None,
            frontier=at(self.frontier) if self.frontier else None,
        )


def market(kb: KnowledgeBase, request: Request, named: ApiModelRef | None) -> ApiMarket:
    """The APIs priced for `request`; `named` is the one the team gave, if any."""
    return _market(kb, RequestFacts.of(request), named)


@worked_out_from_prices
@lru_cache(maxsize=4096)
def _market(kb: KnowledgeBase, inputs: RequestFacts, named: ApiModelRef | None) -> ApiMarket:
    """Cached: many workloads differ only in volume, which no per-request price depends on."""
    needed = QUALITY_ORDER.index(inputs.quality)
    live = [o for o in offers(kb) if retired(o) is None]
    at_tier = [o for o in live if o.rank >= needed]
    cheapest_at_tier = _cheapest(kb, inputs, at_tier, lambda o: _fine_tune_problem(inputs, o))
    if cheapest_at_tier is None:  # nothing serves a fine-tune at this tier: price the base models
        cheapest_at_tier = _cheapest(kb, inputs, at_tier, lambda o: None)
    assert cheapest_at_tier is not None  # noqa: S101 - the loader requires a live frontier-tier API model
    return ApiMarket(
        cheapest=_cheapest(kb, inputs, at_tier, lambda o: ruled_out(inputs, o)),
        cheapest_at_tier=cheapest_at_tier,
        named=_named(kb, inputs, named),
        frontier=_cheapest(
            kb,
            inputs,
            [o for o in live if o.tier == "frontier"],
            lambda o: barred(inputs, "provider", o.provider),
        ),
    )


def ruled_out(inputs: Request, offer: ApiOffer) -> RuledOut | None:
    return (
        retired(offer)
        or barred(inputs, "provider", offer.provider)
        or _fine_tune_problem(inputs, offer)
        or slow_first_token(inputs, offer)
    )


def _fine_tune_problem(inputs: Request, offer: ApiOffer) -> RuledOut | None:
    if not inputs.fine_tuned or offer.fine_tune is not None:
        return None
    return RuledOut(
        rule="fine-tune",
        arguments=["pinned-model-versions"],
        reason=f"{offer.name} does not serve a fine-tune of the team's own that we know of",
    )


def _cheapest(
    kb: KnowledgeBase, inputs: Request, candidates: list[ApiOffer], problem: Callable[[ApiOffer], RuledOut | None]
) -> PricedApi | None:
    """The cheapest candidate with no problem, priced exactly; tried in order of their lower bounds."""
    best: PricedApi | None = None
    bounds = sorted(((lower_bound(kb, inputs, o), o) for o in candidates), key=lambda pair: pair[0])
    for bound, offer in bounds:
        if best is not None and bound >= best.request_usd:
            break
        if problem(offer) is not None:
            continue
        priced = price(kb, inputs, offer)
        if best is None or priced.request_usd < best.request_usd:
            best = priced
    return best


def _named(kb: KnowledgeBase, inputs: Request, named: ApiModelRef | None) -> PricedApi | None:
    if named is None:
        return None
    offer = next((o for o in offers(kb) if o.ref == named), None)
    if offer is None:  # priced by genai-prices but not rated here: its tier is the one asked for
        provider = kb.providers.get(named.provider) or Provider(
            id=named.provider,
            name=named.provider,
            kind="model-vendor",
            source="not in providers.yaml: no data terms known",
            as_of=date.today(),
        )
        offer = ApiOffer(named, f"{named.provider}/{named.model}", inputs.quality, provider, False, None, None, None,
                         (0.0, 0.0, 0.0))  # fmt: skip
    return price(kb, inputs, offer)


def lower_bound(kb: KnowledgeBase, inputs: Request, offer: ApiOffer) -> float:
    """No request of this size costs less on `offer`: base prices, no tiers."""
    per_input, per_output, per_cached = offer.per_token
    cached = inputs.cached_input_tokens
    output = _billed_output(kb, inputs, offer)
    usd = (inputs.input_tokens - cached) * per_input + cached * per_cached + output * per_output
    return usd * (1 - _batch_discount(inputs, offer))


def price(kb: KnowledgeBase, inputs: Request, offer: ApiOffer) -> PricedApi:
    """One request of the workload's size on `offer`, with the levers that apply."""
    ref = offer.fine_tune if inputs.fine_tuned and offer.fine_tune else offer.ref
    output = _billed_output(kb, inputs, offer)
    levers = []
    cached = inputs.cached_input_tokens
    try:
        usd = request_cost_usd(ref, inputs.input_tokens, output, cached_tokens=cached)
        if cached:
            levers.append(f"{cached:,} prompt tokens at the cached rate")
    except (LookupError, ValueError):  # no cached rate: every prompt token at the full price
        usd = request_cost_usd(ref, inputs.input_tokens, output)
    if output != inputs.output_tokens:
        levers.append(f"hidden reasoning billed as {output / inputs.output_tokens:g}x the output")
    if discount := _batch_discount(inputs, offer):
        usd *= 1 - discount
        levers.append(f"batch API, {discount:.0%} off")
    if ref is not offer.ref:
        levers.append("fine-tune price")
    return PricedApi(offer, usd, tuple(levers), ruled_out(inputs, offer))


def _billed_output(kb: KnowledgeBase, inputs: Request, offer: ApiOffer) -> int:
    if not offer.reasoning:
        return inputs.output_tokens
    return math.ceil(inputs.output_tokens * (1 + kb.defaults.reasoning_output_multiplier.value))


def _batch_discount(inputs: Request, offer: ApiOffer) -> float:
    return (offer.provider.batch_discount or 0.0) if inputs.batch else 0.0
