"""The concrete values the checker computes with, each with its provenance (`bot.check.resolving`
fills them from a workload and the defaults)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from bot.assessment import RuledOut
from bot.check.capacity import Measured
from bot.check.choosing import Fact
from bot.check.labour import Service, unmet_need
from bot.check.rates import Rates, rates_for
from bot.knowledge.schema.defaults import Defaults
from bot.knowledge.schema.hardware import Hardware
from bot.knowledge.schema.models import ApiModelRef, OpenModel, Quantisation
from bot.units import per_second, tokens_from_requests
from bot.workload import DataPolicy

if TYPE_CHECKING:
    from bot.check.apis import ApiMarket, PricedApi


class InvalidWorkload(ValueError):
    """A workload whose facts cannot all be true; `field` names the one at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class WhatIf:
    """Prices the knowledge base fixes, changed to ask what the verdict hinges on (`bot.check.sensitivity`):
    every API's price and the hardware's as multiples of today's, and the months hardware is spread over."""

    api_price: float = 1.0
    hardware_price: float = 1.0
    hardware_life_months: float | None = None


AS_THEY_ARE = WhatIf()


@dataclass(frozen=True)
class Inputs:
    requests_per_day: float
    input_tokens: int
    output_tokens: int
    peak_requests_per_s: float
    open_model: OpenModel
    quant: Quantisation
    named_api: ApiModelRef | None
    """The API the team named, if any: priced beside the cloud side, never in its place."""
    quality: str
    """The quality the work needs, on the tier scale (for a frontier share, the rest's)."""
    frontier_share: float
    """Share of requests only a frontier API serves well (0 when none)."""
    data_policy: DataPolicy
    data_reasons: tuple[str, ...]
    data_terms: tuple[str, ...]
    data_region: str | None
    data_providers: tuple[str, ...]
    cached_input_tokens: int
    fine_tuned: bool
    availability: float | None
    """Stated, or implied by customer-facing or round-the-clock work."""
    latency_s: float | None
    first_token_s: float | None
    service_hours: str | None
    customer_facing: bool
    on_call: bool | None
    service: Service
    """The service level self-hosting must give, and the hours it takes."""
    offline: bool
    stable_latency: bool
    batch: bool
    one_off_months: float | None
    ops_staff: float | None
    owned: tuple[tuple[Hardware, int], ...]
    hardware: Hardware | None
    electricity_usd_per_kwh: float
    engineer_hourly_usd: float
    facts: dict[str, Fact]
    defaults: Defaults
    market: ApiMarket | None = None
    """The APIs priced for this workload (`bot.check.apis`); set once the rest is resolved."""
    measured: tuple[tuple[str, str, Measured], ...] = ()
    """Speeds the team timed on its own hardware: (model id, hardware id, speeds)."""
    what_if: WhatIf = AS_THEY_ARE

    def measured_for(self, model_id: str, hardware_id: str) -> Measured | None:
        return next((m for model, hw, m in self.measured if model == model_id and hw == hardware_id), None)

    @property
    def apis(self) -> ApiMarket:
        assert self.market is not None  # noqa: S101 - resolve_inputs always sets it
        return self.market

    @property
    def api(self) -> ApiModelRef:
        """The cloud side: the cheapest API that meets the needs (else the cheapest at the tier)."""
        return self.apis.cloud.offer.ref

    @property
    def api_name(self) -> str:
        return self.apis.cloud.offer.name

    @property
    def request_usd(self) -> float:
        """What one request of this size costs on the cloud side, with the levers that apply."""
        return self.apis.cloud.request_usd

    @property
    def frontier_api(self) -> PricedApi | None:
        """Where the frontier share goes: the named API if it is frontier-tier, else the cheapest
        frontier API the data may go to."""
        if not self.frontier_share:
            return None
        named = self.apis.named
        if named is not None and named.offer.tier == "frontier" and named.ruled_out is None:
            return named
        return self.apis.frontier

    def scaled(self, factor: float) -> Inputs:
        """The same workload at `factor` times the volume (and peak)."""
        return dataclasses.replace(
            self,
            requests_per_day=self.requests_per_day * factor,
            peak_requests_per_s=self.peak_requests_per_s * factor,
        )

    def local_part(self) -> Inputs:
        """The requests an open model can serve: all but the frontier share."""
        if not self.frontier_share:
            return self
        return dataclasses.replace(self.scaled(1 - self.frontier_share), frontier_share=0.0)

    def frontier_usd(self, days_per_month: float) -> float:
        """The monthly API bill for the frontier share, the same whatever else is chosen."""
        frontier = self.frontier_api
        if frontier is None:
            return 0.0
        return frontier.request_usd * self.requests_per_day * self.frontier_share * days_per_month

    @cached_property
    def rates(self) -> Rates:
        return rates_for(self)

    @cached_property
    def unmet_service(self) -> RuledOut | None:
        """Why self-hosting cannot give the service needed at any price (nobody to carry the pager)."""
        return unmet_need(
            self.defaults,
            self.service,
            availability=self.availability,
            ops_staff=self.ops_staff,
            on_call=self.on_call,
            on_call_usd=self.defaults.on_call_hours_per_month.value * self.engineer_hourly_usd,
        )

    @property
    def average_requests_per_s(self) -> float:
        return per_second(self.requests_per_day)

    @property
    def tokens_per_day(self) -> float:
        return tokens_from_requests(self.requests_per_day, self.input_tokens, self.output_tokens)

    def how(self, field: str) -> str:
        return self.facts[field].provenance.how
