"""Every hosted model an answer may price: the API models the knowledge base rates (api_models.yaml)
and every provider selling an open model's weights (models.yaml `hosted`), rated at that open
model's tier, each with its base prices per token; and whether its provider has shut it down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from bot.assessment import RuledOut
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import pricing_date, request_cost_usd, worked_out_from_prices
from bot.knowledge.schema.models import QUALITY_ORDER, ApiModel, ApiModelRef
from bot.knowledge.schema.providers import Provider

RETIRING_SOON = timedelta(days=90)
"""A model shut down within this still serves, but the answer warns: a migration and its re-testing
are then due, and providers give as little as 60 days' notice (Anthropic) or three months
(OpenAI's specialised variants)."""


@dataclass(frozen=True, eq=False)
class ApiOffer:
    """One hosted model from one provider, as genai-prices prices it."""

    ref: ApiModelRef
    name: str
    tier: str
    provider: Provider
    reasoning: bool
    fine_tune: ApiModelRef | None
    api_model: ApiModel | None
    """Its api_models.yaml entry; None for an open model's weights sold by a host, or an API
    model the knowledge base does not rate."""
    open_model_id: str | None
    """For hosted open weights, the open model they are."""
    per_token: tuple[float, float, float]
    """Base US dollars per input, output and cached input token (small requests, no tiers)."""

    @property
    def rank(self) -> int:
        return QUALITY_ORDER.index(self.tier)


@worked_out_from_prices
@cache
def offers(kb: KnowledgeBase) -> tuple[ApiOffer, ...]:
    """Every hosted model an answer may price: rated API models and hosted open weights."""
    found = [
        _offer(kb, api.ref, api.name, api.quality_tier, api.reasoning, api.fine_tune, api, None)
        for api in kb.api_models.values()
    ]
    rated = {(o.ref.provider, o.ref.model) for o in found}
    for model in kb.models.values():
        for ref in model.hosted:
            if (ref.provider, ref.model) not in rated:
                name = f"{model.name} on {kb.providers[ref.provider].name}"
                found.append(_offer(kb, ref, name, model.quality_tier, False, None, None, model.id))
    return tuple(found)


def _offer(
    kb: KnowledgeBase,
    ref: ApiModelRef,
    name: str,
    tier: str,
    reasoning: bool,
    fine_tune: ApiModelRef | None,
    api_model: ApiModel | None,
    open_model_id: str | None,
) -> ApiOffer:
    per_input = request_cost_usd(ref, 1_000, 0) / 1_000
    per_output = request_cost_usd(ref, 0, 1_000) / 1_000
    per_cached = _cached_rate(ref, per_input)
    provider = kb.providers[ref.provider]
    return ApiOffer(ref, name, tier, provider, reasoning, fine_tune, api_model, open_model_id,
                    (per_input, per_output, per_cached))  # fmt: skip


def _cached_rate(ref: ApiModelRef, per_input: float) -> float:
    try:
        return request_cost_usd(ref, 1_000, 0, cached_tokens=1_000) / 1_000
    except (LookupError, ValueError):
        return per_input


def retired(offer: ApiOffer) -> RuledOut | None:
    """Shut down by its provider by the pricing date: requests to it fail, whatever it would cost."""
    api = offer.api_model
    if api is None or api.retires_on is None or not api.retired(pricing_date()):
        return None
    return RuledOut(
        rule="retired",
        arguments=["pinned-model-versions"],
        reason=f"{offer.name} was shut down on {api.retires_on.isoformat()}",
    )


def retiring_soon(offer: ApiOffer) -> date | None:
    """The day a model that still serves is shut down, when that is within `RETIRING_SOON`."""
    api = offer.api_model
    if api is None or api.retires_on is None or api.retired(pricing_date()):
        return None
    return api.retires_on if api.retires_on - pricing_date() <= RETIRING_SOON else None
