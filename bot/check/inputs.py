"""From a workload as described to the concrete values the checker computes with.

Every value carries its provenance: stated by the team, inferred by us from
what they said, or assumed from `knowledge/defaults.yaml` with its reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from bot.assessment import RuledOut
from bot.check.capacity import Measured
from bot.check.choosing import Fact, assumed, open_model_for, quality_needed, resolve_api
from bot.check.labour import LEVEL_NAMES, Service, service_for, unmet_need
from bot.check.rates import Rates, rates_for
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.resolve import find_hardware
from bot.knowledge.schema.defaults import Defaults
from bot.knowledge.schema.hardware import Hardware
from bot.knowledge.schema.models import ApiModelRef, OpenModel, Quantisation
from bot.units import per_second, requests_from_tokens, tokens_from_requests
from bot.workload import DataPolicy, Provenance, Workload

if TYPE_CHECKING:
    from bot.check.apis import ApiMarket, PricedApi

T = TypeVar("T")


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


def resolve_inputs(
    kb: KnowledgeBase,
    workload: Workload,
    measured: Mapping[tuple[str, str], Measured] | None = None,
    what_if: WhatIf = AS_THEY_ARE,
) -> Inputs:
    """Fill every gap from the defaults; raise `InvalidWorkload` when facts conflict. `measured`:
    speeds the team timed, by (model id, hardware id); `what_if`: prices changed from the knowledge base's."""
    d = kb.defaults
    facts: dict[str, Fact] = {}

    def take(field: str, value: T | None, otherwise: T, reason: str) -> T:
        if value is not None:
            facts[field] = Fact(value, workload.provenance_of(field))
            return value
        facts[field] = Fact(otherwise, assumed(reason))
        return otherwise

    input_tokens = int(take("input_tokens", workload.input_tokens, int(d.input_tokens.value), d.input_tokens.reason))
    output_tokens = int(
        take("output_tokens", workload.output_tokens, int(d.output_tokens.value), d.output_tokens.reason)
    )
    if workload.tokens_per_day is not None:
        requests = requests_from_tokens(workload.tokens_per_day, input_tokens, output_tokens)
        facts["tokens_per_day"] = Fact(workload.tokens_per_day, workload.provenance_of("tokens_per_day"))
        facts["requests_per_day"] = Fact(
            requests, Provenance(how="inferred", reason="tokens per day over the tokens of one request")
        )
    else:
        requests = float(
            take("requests_per_day", workload.requests_per_day, d.requests_per_day.value, d.requests_per_day.reason)
        )
    average_rps = per_second(requests)
    if workload.batch:
        peak_default, peak_reason = average_rps, "batch work can be spread evenly over the day"
    else:
        peak_default, peak_reason = average_rps * d.peak_to_average.value, d.peak_to_average.reason
    peak = float(take("peak_requests_per_s", workload.peak_requests_per_s, peak_default, peak_reason))
    if peak < average_rps * 0.999:
        raise InvalidWorkload(
            "peak_requests_per_s", f"a peak of {peak:g}/s is below the day's average of {average_rps:.3g}/s"
        )

    api_entry, api_ref = resolve_api(kb, workload.api_model)
    if api_ref is not None:
        facts["api_model"] = Fact(f"{api_ref.provider}/{api_ref.model}", workload.provenance_of("api_model"))
    if workload.frontier_share:
        facts["frontier_share"] = Fact(workload.frontier_share, workload.provenance_of("frontier_share"))
    # A named frontier API serves a frontier share; the rest is held to the default tier.
    serves_share = bool(workload.frontier_share) and api_entry is not None and api_entry.quality_tier == "frontier"
    quality = quality_needed(kb, workload, None if serves_share else api_entry, take)
    open_model = open_model_for(kb, workload, quality, api_ref, facts)

    anywhere: DataPolicy = "may-leave"
    data_policy = take("data_policy", workload.data_policy, anywhere, "nothing was said about the data being sensitive")
    if workload.ops_staff is None:
        facts["ops_staff"] = Fact(
            None, Provenance(how="assumed", reason="not said: someone on the team can run a server part-time")
        )
    availability = workload.availability
    if availability is None and (workload.customer_facing or workload.service_hours == "24/7"):
        why = "people outside the team depend on it" if workload.customer_facing else "it runs around the clock"
        availability = take(
            "availability", None, d.implied_availability.value, f"{why}: {d.implied_availability.reason}"
        )
    service = service_for(
        d,
        availability=availability,
        service_hours=workload.service_hours,
        customer_facing=workload.customer_facing,
        on_call=workload.on_call,
    )
    facts["service_level"] = Fact(LEVEL_NAMES[service.level], Provenance(how="inferred", reason=service.why))
    for name in sorted(workload.model_fields_set - facts.keys() - {"provenance"}):
        facts[name] = Fact(getattr(workload, name), workload.provenance_of(name))  # the rest of what was said
    inputs = Inputs(
        requests_per_day=requests,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        peak_requests_per_s=peak,
        open_model=open_model,
        quant=kb.quantisations[open_model.default_quant],
        named_api=api_ref,
        quality=quality,
        frontier_share=workload.frontier_share or 0.0,
        data_policy=data_policy,
        data_reasons=tuple(workload.data_reasons),
        data_terms=tuple(workload.data_terms),
        data_region=workload.data_region,
        data_providers=tuple(workload.data_providers),
        cached_input_tokens=min(workload.cached_input_tokens or 0, input_tokens),
        fine_tuned=workload.fine_tuned,
        availability=availability,
        latency_s=workload.latency_s,
        first_token_s=workload.first_token_s,
        service_hours=workload.service_hours,
        customer_facing=workload.customer_facing,
        on_call=workload.on_call,
        service=service,
        offline=workload.offline,
        stable_latency=workload.stable_latency,
        batch=workload.batch,
        one_off_months=workload.one_off_months,
        ops_staff=workload.ops_staff,
        owned=tuple((find_hardware(kb, o.hardware, field="owned"), o.count) for o in workload.owned),
        hardware=find_hardware(kb, workload.hardware) if workload.hardware else None,
        electricity_usd_per_kwh=float(
            take(
                "electricity_usd_per_kwh",
                workload.electricity_usd_per_kwh,
                d.electricity_usd_per_kwh.value,
                d.electricity_usd_per_kwh.reason,
            )
        ),
        engineer_hourly_usd=float(
            take(
                "engineer_hourly_usd",
                workload.engineer_hourly_usd,
                d.engineer_hourly_usd.value,
                d.engineer_hourly_usd.reason,
            )
        ),
        facts=facts,
        defaults=d,
        measured=tuple(sorted((model, hw, m) for (model, hw), m in (measured or {}).items())),
        what_if=what_if,
    )
    from bot.check.apis import market  # it prices what the rest of the inputs describe

    priced = market(kb, inputs, api_ref)
    if what_if.api_price != 1.0:
        priced = priced.scaled(what_if.api_price)
    inputs = dataclasses.replace(inputs, market=priced)
    if (frontier := inputs.frontier_api) is not None:
        facts["frontier_api_model"] = Fact(
            f"{frontier.offer.ref.provider}/{frontier.offer.ref.model}",
            workload.provenance_of("api_model")
            if frontier is inputs.apis.named
            else assumed("the cheapest frontier-tier API the data may go to, for requests of this size"),
        )
    return inputs
