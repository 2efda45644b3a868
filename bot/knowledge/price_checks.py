"""What genai-prices says of the API models the knowledge base names: that it can price them, and
that it does not mark them deprecated.

Loading genai-prices takes time, so only `knowledge check`, the doctor and the commands that
price an answer ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import unpriced_reason
from bot.knowledge.problems import Problem, located
from bot.knowledge.schema.models import ApiModelRef


def price_problems(kb: KnowledgeBase) -> list[Problem]:
    """API models, and the ones open models compare with or are hosted as, that genai-prices
    cannot price or marks deprecated."""
    return located(kb.root, [*_unpriced_comparables(kb), *_unpriced_api_models(kb), *_deprecated_refs(kb)])


def _unpriced_comparables(kb: KnowledgeBase) -> Iterator[Problem]:
    for model in kb.models.values():
        for api in model.comparable_api_models:
            if reason := unpriced_reason(api):
                yield Problem(
                    "models.yaml",
                    f"genai-prices cannot price {api.provider}/{api.model}: {reason}",
                    entry=model.id,
                    field="comparable_api_models",
                )


def _unpriced_api_models(kb: KnowledgeBase) -> Iterator[Problem]:
    for api in kb.api_models.values():
        if reason := unpriced_reason(api.ref):
            yield Problem("api_models.yaml", f"genai-prices cannot price it: {reason}", entry=api.id, field="model")
        if api.fine_tune is not None and (reason := unpriced_reason(api.fine_tune)):
            yield Problem(
                "api_models.yaml", f"genai-prices cannot price its fine-tune: {reason}", entry=api.id, field="fine_tune"
            )
    for model in kb.models.values():
        for ref in model.hosted:
            if reason := unpriced_reason(ref):
                yield Problem(
                    "models.yaml",
                    f"genai-prices cannot price {ref.provider}/{ref.model}: {reason}",
                    entry=model.id,
                    field="hosted",
                )


def _deprecated_refs(kb: KnowledgeBase) -> Iterator[Problem]:
    """genai-prices still prices many models their provider has shut down; those it marks
    deprecated are at least known to be going."""
    for api in kb.api_models.values():
        for field, ref in (("model", api.ref), ("fine_tune", api.fine_tune)):
            if ref is not None and _deprecated(ref):
                yield Problem("api_models.yaml", _DEPRECATED.format(ref=ref), entry=api.id, field=field)
    for model in kb.models.values():
        for field, refs in (("comparable_api_models", model.comparable_api_models), ("hosted", model.hosted)):
            for ref in refs:
                if _deprecated(ref):
                    yield Problem("models.yaml", _DEPRECATED.format(ref=ref), entry=model.id, field=field)


_DEPRECATED = "genai-prices marks {ref.provider}/{ref.model} deprecated: name a model its provider still serves"


@cache
def _deprecated(ref: ApiModelRef) -> bool:
    from genai_prices import Usage, calc_price

    try:
        price = calc_price(Usage(input_tokens=1, output_tokens=1), ref.model, provider_id=ref.provider)
    except LookupError:
        return False  # not priced at all: `_unpriced_*` say so
    return bool(price.model.deprecated)
