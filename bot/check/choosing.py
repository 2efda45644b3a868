"""What the team asked for, as the checker names it: the API named, the quality needed, the
open model to run; each recorded as a `Fact` with its provenance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.check.capacity import weights_gb
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import unpriced_reason
from bot.knowledge.resolve import UnknownName, closest_api_models, find_api_model, find_model
from bot.knowledge.schema.models import QUALITY_ORDER, ApiModel, ApiModelRef, OpenModel
from bot.workload import Provenance, Workload


@dataclass(frozen=True)
class Fact:
    value: object
    provenance: Provenance


@lru_cache(maxsize=256)
def assumed(reason: str) -> Provenance:
    """Assumptions repeat with the same reasons in every answer: one record each is enough."""
    return Provenance(how="assumed", reason=reason)


def resolve_api(kb: KnowledgeBase, name: str | None) -> tuple[ApiModel | None, ApiModelRef | None]:
    """The hosted model a team named: one we know the tier of, or any genai-prices can price."""
    if name is None:
        return None, None
    known = find_api_model(kb, name)
    if known is not None:
        return known, known.ref
    provider, _, model = name.partition("/")
    ref = ApiModelRef(provider=provider, model=model) if model else None
    if ref is None or unpriced_reason(ref):
        raise UnknownName("API model", name, closest_api_models(kb, name), "api_model")
    return None, ref


def quality_needed(kb: KnowledgeBase, workload: Workload, api: ApiModel | None, take: Callable[..., str]) -> str:
    """The quality asked for: said, or that of the API or the open model the team named (an API
    compared with a weaker model than theirs would be a strawman), or the default."""
    if workload.quality is None and api is not None:
        return str(take("quality", None, api.quality_tier, f"{api.name} is {api.quality_tier}-tier: {api.reason}"))
    if workload.quality is None and workload.model is not None:
        model = find_model(kb, workload.model)
        reason = f"the work is to be done by {model.name}, a {model.quality_tier}-tier model"
        return str(take("quality", None, model.quality_tier, reason))
    default = kb.defaults.quality_tier
    return str(take("quality", workload.quality, default.value, default.reason))


def open_model_for(
    kb: KnowledgeBase, workload: Workload, quality: str, api: ApiModelRef | None, facts: dict[str, Fact]
) -> OpenModel:
    if workload.model is not None:
        model = find_model(kb, workload.model)
        facts["model"] = Fact(model.id, workload.provenance_of("model"))
        return model
    model = cheapest_model_for(kb, quality, api)
    facts["model"] = Fact(
        model.id,
        Provenance(
            how="inferred",
            reason=f"the smallest open model we know at {model.quality_tier} quality"
            + (f" that stands against {api.model}" if api and api in model.comparable_api_models else ""),
        ),
    )
    return model


def cheapest_model_for(kb: KnowledgeBase, quality: str, api: ApiModelRef | None = None) -> OpenModel:
    """The smallest open model at least as capable as `quality` (the best we have for frontier)."""
    rank = QUALITY_ORDER.index
    capable = [m for m in kb.models.values() if rank(m.quality_tier) >= min(rank(quality), rank("near-frontier"))]
    matching = [m for m in capable if api is not None and api in m.comparable_api_models]
    return min(matching or capable, key=lambda m: weights_gb(m, kb.quantisations[m.default_quant]))
