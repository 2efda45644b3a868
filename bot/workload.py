"""What a team told us about its workload, and where each fact came from.

A field left as None was not said; the checker fills it from `knowledge/defaults.yaml`
and records it as assumed, so an answer can always show which facts were the
team's and which were ours.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.knowledge.schema.models import ApiQualityTier

DataPolicy = Literal["may-leave", "under-contract", "in-region", "own-cloud", "must-stay"]
"""Where the data may be processed: anywhere; by a provider under terms (`data_terms`, or those
its reasons call for); by one that keeps it in `data_region`; only in the team's own cloud
account (rented instances there included); or only on the team's premises."""
DataTerm = Literal["dpa", "baa", "zdr", "no-training"]
Region = Literal["eu", "us", "uk"]
ServiceHours = Literal["office", "24/7"]

How = Literal["stated", "assumed", "inferred"]
Volume = Literal["requests_per_day", "tokens_per_day"]
VOLUMES: frozenset[Volume] = frozenset({"requests_per_day", "tokens_per_day"})
"""The two ways to give a workload's volume: it takes one, never both (`Workload` refuses both)."""
Name = Annotated[str, StringConstraints(max_length=200)]
"""A model, API or hardware name: longer than any, it is something else pasted in."""


class Provenance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    how: How
    span: str | None = None
    """For a stated fact, the words it was read from."""
    reason: str | None = None
    """For an assumed fact, why this value."""


class OwnedHardware(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hardware: Name
    count: Annotated[int, Field(ge=1, le=1000)] = 1


class Workload(BaseModel):
    """A workload as described. Numbers are validated so nonsense names its field."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    requests_per_day: Annotated[float, Field(gt=0, le=1e10)] | None = None
    tokens_per_day: Annotated[float, Field(gt=0, le=1e13)] | None = None
    """Total tokens (input and output) a day; an alternative way to give volume."""
    input_tokens: Annotated[int, Field(ge=1, le=2_000_000)] | None = None
    """Average prompt length per request."""
    output_tokens: Annotated[int, Field(ge=1, le=200_000)] | None = None
    cached_input_tokens: Annotated[int, Field(ge=1, le=2_000_000)] | None = None
    """Prompt tokens repeated in every request (a system prompt, shared context): APIs with
    prompt caching bill them at their cached rate."""
    peak_requests_per_s: Annotated[float, Field(gt=0, le=1e6)] | None = None
    api_model: Name | None = None
    """The hosted model used or considered, e.g. "gpt-4o-mini" or "openai/gpt-4o-mini"."""
    model: Name | None = None
    """An open model to run, by id, name or Ollama tag."""
    quality: ApiQualityTier | None = None
    frontier_share: Annotated[float, Field(gt=0, lt=1)] | None = None
    """Share of requests that need frontier quality; the rest need only `quality`."""
    data_policy: DataPolicy | None = None
    data_reasons: list[Name] = []
    """Why the data is sensitive: pii, phi, gdpr, ip, source-code, ..."""
    data_terms: list[DataTerm] = []
    """With `under-contract`: what a provider must offer; unsaid, the reasons decide (phi: a BAA)."""
    data_region: Region | None = None
    """With `in-region`: where the data must stay (GDPR without a region means the EU)."""
    data_providers: list[Name] = []
    """Providers whose contract with the team already covers the data, whatever else they offer."""
    availability: Annotated[float, Field(ge=0.5, lt=1)] | None = None
    latency_s: Annotated[float, Field(gt=0, le=3600)] | None = None
    """Time to a complete typical response that users will accept."""
    first_token_s: Annotated[float, Field(gt=0, le=600)] | None = None
    """Time to the first token of a response that users will accept (streamed answers)."""
    service_hours: ServiceHours | None = None
    """When it must be up: office hours only, or around the clock."""
    customer_facing: bool = False
    """People outside the team depend on it (customers, patients, the public)."""
    on_call: bool | None = None
    """Whether someone carries a pager for it: True, False ("nobody carries a pager"), or not said."""
    offline: bool = False
    stable_latency: bool = False
    batch: bool = False
    """Work that can queue (nightly jobs, backfills) rather than people waiting."""
    fine_tuned: bool = False
    """The team runs a fine-tune of its own: only APIs that serve fine-tunes can take it."""
    one_off_months: Annotated[float, Field(gt=0, le=120)] | None = None
    """For a one-off job, how many months it runs; None for an ongoing service."""
    ops_staff: Annotated[float, Field(ge=0, le=10_000)] | None = None
    """People who already run servers and could run this (0 when nobody does)."""
    owned: list[OwnedHardware] = []
    hardware: Name | None = None
    """Hardware to consider (instead of searching every option)."""
    electricity_usd_per_kwh: Annotated[float, Field(ge=0, le=5)] | None = None
    engineer_hourly_usd: Annotated[float, Field(ge=0, le=5_000)] | None = None
    provenance: dict[str, Provenance] = {}

    @model_validator(mode="after")
    def _one_volume(self) -> Workload:
        if self.requests_per_day is not None and self.tokens_per_day is not None:
            raise ValueError("give requests_per_day or tokens_per_day, not both")
        cached, prompt = self.cached_input_tokens, self.input_tokens
        if cached is not None and prompt is not None and cached > prompt:
            raise ValueError("cached_input_tokens is more than input_tokens")
        return self

    @property
    def volume_field(self) -> Volume | None:
        """Which way the volume was given, if it was."""
        return next((field for field in VOLUMES if getattr(self, field) is not None), None)

    def provenance_of(self, field: str) -> Provenance:
        return self.provenance.get(field, Provenance(how="stated"))


def other_volume(field: str) -> Volume:
    """The other way of giving the volume than `field`."""
    return "tokens_per_day" if field == "requests_per_day" else "requests_per_day"


def given_volume(field: str, value: float) -> dict[str, float | None]:
    """The fields that make `value` in `field` a workload's volume: the other way is dropped, as only one may be."""
    return {field: value, other_volume(field): None}
