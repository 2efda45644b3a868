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
from bot.knowledge.references import ApiRef, api_refs
from bot.knowledge.schema.models import ApiModelRef


def price_problems(kb: KnowledgeBase) -> list[Problem]:
    """API models, and the ones open models compare with or are hosted as, that genai-prices
    cannot price or marks deprecated."""
    named = list(api_refs(kb))
    return located(kb.root, [*_unpriced(named), *_deprecated_refs(named)])


def _unpriced(named: list[ApiRef]) -> Iterator[Problem]:
    for api in named:
        if reason := unpriced_reason(api.ref):
            what = _UNPRICED.get(api.field, f"{api.ref.provider}/{api.ref.model}")
            yield api.problem(f"genai-prices cannot price {what}: {reason}")


_UNPRICED = {"model": "it", "fine_tune": "its fine-tune"}
"""How an API model's own entry names what cannot be priced; elsewhere it is named in full."""


def _deprecated_refs(named: list[ApiRef]) -> Iterator[Problem]:
    """genai-prices still prices many models their provider has shut down; those it marks
    deprecated are at least known to be going."""
    for api in named:
        if _deprecated(api.ref):
            yield api.problem(_DEPRECATED.format(ref=api.ref))


_DEPRECATED = "genai-prices marks {ref.provider}/{ref.model} deprecated: name a model its provider still serves"


@cache
def _deprecated(ref: ApiModelRef) -> bool:
    from genai_prices import Usage, calc_price

    try:
        price = calc_price(Usage(input_tokens=1, output_tokens=1), ref.model, provider_id=ref.provider)
    except LookupError:
        return False  # not priced at all: `_unpriced_*` say so
    return bool(price.model.deprecated)
