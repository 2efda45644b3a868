"""providers.yaml: who serves an API or rents out GPUs, and the terms data may be sent under."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.knowledge.schema.base import Entry, Named, Positive, ProviderId, Text

DataTermKind = Literal["dpa", "baa", "zdr", "no-training", "region-eu", "region-us", "region-uk"]
"""What a provider offers for data the team may send only under terms: a data processing
agreement, a HIPAA business associate agreement, zero data retention, no training on API
data by default, processing kept in a region."""
ProviderKind = Literal["model-vendor", "model-host", "marketplace", "hyperscaler", "gpu-cloud"]


class DataTerm(Entry):
    term: DataTermKind
    detail: Text
    source: Text
    as_of: date


class FirstToken(Entry):
    """How long a provider's API typically takes to start answering, as one page measured it."""

    seconds: Positive
    model: Text
    """The model measured: other models of the provider may be faster or slower."""
    source: Text
    as_of: date


class Provider(Named):
    """Who serves an API or rents out GPUs, and the terms data may be sent under."""

    id: ProviderId
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    kind: ProviderKind
    terms: list[DataTerm] = Field(default_factory=list)
    batch_discount: Annotated[float, Field(gt=0, lt=1)] | None = None
    """Share taken off the price for work sent through the provider's batch API."""
    batch_source: Text | None = None
    first_token: FirstToken | None = None
    """Typical time to the first streamed token of a non-reasoning model; None when no page says."""
    source: Text
    as_of: date
    notes: str | None = None

    def offers(self, term: str) -> bool:
        return any(t.term == term for t in self.terms)

    @model_validator(mode="after")
    def _batch_cited(self) -> Provider:
        if (self.batch_discount is None) != (self.batch_source is None):
            raise ValueError("give batch_discount and batch_source together, or neither")
        return self
