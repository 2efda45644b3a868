"""From a workload as described to the `Inputs` the checker computes with.

Every gap is filled from `knowledge/defaults.yaml` with its reason, and every value is recorded
as a `Fact` with its provenance (stated, inferred or assumed), in the order an answer lists them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from bot.check.capacity import Measured
from bot.check.choosing import Fact, assumed, open_model_for, quality_needed, resolve_api
from bot.check.inputs import AS_THEY_ARE, Inputs, InvalidWorkload, WhatIf
from bot.check.labour import LEVEL_NAMES, Service, service_for
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.resolve import find_hardware
from bot.knowledge.schema.defaults import Default, Defaults
from bot.knowledge.schema.models import ApiModel, ApiModelRef, OpenModel
from bot.units import per_second, requests_from_tokens
from bot.workload import DataPolicy, Provenance, Workload

T = TypeVar("T")

AS_STATED = (
    "data_region",
    "fine_tuned",
    "latency_s",
    "first_token_s",
    "service_hours",
    "customer_facing",
    "on_call",
    "offline",
    "stable_latency",
    "batch",
    "one_off_months",
    "ops_staff",
)
"""Workload fields the checker takes as they were said (or left unsaid)."""
STATED_LISTS = ("data_reasons", "data_terms", "data_providers")
"""Workload lists the checker takes as they were said, frozen."""


class Facts:
    """The facts an answer shows, filled in as the inputs are resolved."""

    def __init__(self, workload: Workload) -> None:
        self.workload = workload
        self.by_field: dict[str, Fact] = {}

    def take(self, field: str, value: T | None, otherwise: T, reason: str) -> T:
        """The value the team gave for `field`, else `otherwise`, assumed for `reason`."""
        if value is not None:
            self.by_field[field] = Fact(value, self.workload.provenance_of(field))
            return value
        self.by_field[field] = Fact(otherwise, assumed(reason))
        return otherwise

    def default(self, field: str, value: float | None, default: Default) -> float:
        """The value the team gave for `field`, else the default's, assumed for its reason."""
        return float(self.take(field, value, default.value, default.reason))

    def stated(self, field: str, value: object) -> None:
        self.by_field[field] = Fact(value, self.workload.provenance_of(field))

    def inferred(self, field: str, value: object, reason: str) -> None:
        self.by_field[field] = Fact(value, Provenance(how="inferred", reason=reason))


def resolve_inputs(
    kb: KnowledgeBase,
    workload: Workload,
    measured: Mapping[tuple[str, str], Measured] | None = None,
    what_if: WhatIf = AS_THEY_ARE,
) -> Inputs:
    """Fill every gap from the defaults; raise `InvalidWorkload` when facts conflict. `measured`:
    speeds the team timed, by (model id, hardware id); `what_if`: prices changed from the knowledge base's."""
    d = kb.defaults
    facts = Facts(workload)
    input_tokens = int(
        facts.take("input_tokens", workload.input_tokens, int(d.input_tokens.value), d.input_tokens.reason)
    )
    output_tokens = int(
        facts.take("output_tokens", workload.output_tokens, int(d.output_tokens.value), d.output_tokens.reason)
    )
    requests, peak = _volume(d, workload, facts, input_tokens, output_tokens)
    api_entry, api_ref = resolve_api(kb, workload.api_model)
    quality, open_model = _models(kb, workload, facts, api_entry, api_ref)
    anywhere: DataPolicy = "may-leave"
    data_policy = facts.take(
        "data_policy", workload.data_policy, anywhere, "nothing was said about the data being sensitive"
    )
    if workload.ops_staff is None:
        facts.by_field["ops_staff"] = Fact(
            None, Provenance(how="assumed", reason="not said: someone on the team can run a server part-time")
        )
    availability, service = _service(d, workload, facts)
    for name in sorted(workload.model_fields_set - facts.by_field.keys() - {"provenance"}):
        facts.stated(name, getattr(workload, name))  # the rest of what was said
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
        cached_input_tokens=min(workload.cached_input_tokens or 0, input_tokens),
        availability=availability,
        service=service,
        owned=tuple((find_hardware(kb, o.hardware, field="owned"), o.count) for o in workload.owned),
        hardware=find_hardware(kb, workload.hardware) if workload.hardware else None,
        electricity_usd_per_kwh=facts.default(
            "electricity_usd_per_kwh", workload.electricity_usd_per_kwh, d.electricity_usd_per_kwh
        ),
        engineer_hourly_usd=facts.default("engineer_hourly_usd", workload.engineer_hourly_usd, d.engineer_hourly_usd),
        facts=facts.by_field,
        defaults=d,
        measured=tuple(sorted((model, hw, m) for (model, hw), m in (measured or {}).items())),
        what_if=what_if,
        **_as_stated(workload),
    )
    return _priced(kb, facts, inputs, api_ref)


def _as_stated(workload: Workload) -> dict[str, Any]:
    return {name: getattr(workload, name) for name in AS_STATED} | {
        name: tuple(getattr(workload, name)) for name in STATED_LISTS
    }


def _volume(
    d: Defaults, workload: Workload, facts: Facts, input_tokens: int, output_tokens: int
) -> tuple[float, float]:
    """Requests a day (given, or from tokens a day) and the busiest second's requests."""
    if workload.tokens_per_day is not None:
        requests = requests_from_tokens(workload.tokens_per_day, input_tokens, output_tokens)
        facts.stated("tokens_per_day", workload.tokens_per_day)
        facts.inferred("requests_per_day", requests, "tokens per day over the tokens of one request")
    else:
        requests = facts.default("requests_per_day", workload.requests_per_day, d.requests_per_day)
    average_rps = per_second(requests)
    if workload.batch:
        peak_default, peak_reason = average_rps, "batch work can be spread evenly over the day"
    else:
        peak_default, peak_reason = average_rps * d.peak_to_average.value, d.peak_to_average.reason
    peak = float(facts.take("peak_requests_per_s", workload.peak_requests_per_s, peak_default, peak_reason))
    if peak < average_rps * 0.999:
        raise InvalidWorkload(
            "peak_requests_per_s", f"a peak of {peak:g}/s is below the day's average of {average_rps:.3g}/s"
        )
    return requests, peak


def _models(
    kb: KnowledgeBase, workload: Workload, facts: Facts, api_entry: ApiModel | None, api_ref: ApiModelRef | None
) -> tuple[str, OpenModel]:
    """The quality the work needs and the open model that would do it."""
    if api_ref is not None:
        facts.stated("api_model", f"{api_ref.provider}/{api_ref.model}")
    if workload.frontier_share:
        facts.stated("frontier_share", workload.frontier_share)
    # A named frontier API serves a frontier share; the rest is held to the default tier.
    serves_share = bool(workload.frontier_share) and api_entry is not None and api_entry.quality_tier == "frontier"
    quality = quality_needed(kb, workload, None if serves_share else api_entry, facts.take)
    return quality, open_model_for(kb, workload, quality, api_ref, facts.by_field)


def _service(d: Defaults, workload: Workload, facts: Facts) -> tuple[float | None, Service]:
    """The uptime needed (said, or implied by who depends on it and when) and the service level it takes."""
    availability = workload.availability
    if availability is None and (workload.customer_facing or workload.service_hours == "24/7"):
        why = "people outside the team depend on it" if workload.customer_facing else "it runs around the clock"
        availability = facts.take(
            "availability", None, d.implied_availability.value, f"{why}: {d.implied_availability.reason}"
        )
    service = service_for(
        d,
        availability=availability,
        service_hours=workload.service_hours,
        customer_facing=workload.customer_facing,
        on_call=workload.on_call,
    )
    facts.inferred("service_level", LEVEL_NAMES[service.level], service.why)
    return availability, service


def _priced(kb: KnowledgeBase, facts: Facts, inputs: Inputs, api_ref: ApiModelRef | None) -> Inputs:
    """`inputs` with the APIs priced for them, and where a frontier share goes."""
    from bot.check.apis import market  # it prices what the rest of the inputs describe

    priced = market(kb, inputs, api_ref)
    if inputs.what_if.api_price != 1.0:
        priced = priced.scaled(inputs.what_if.api_price)
    inputs = dataclasses.replace(inputs, market=priced)
    if (frontier := inputs.frontier_api) is not None:
        facts.by_field["frontier_api_model"] = Fact(
            f"{frontier.offer.ref.provider}/{frontier.offer.ref.model}",
            facts.workload.provenance_of("api_model")
            if frontier is inputs.apis.named
            else assumed("the cheapest frontier-tier API the data may go to, for requests of this size"),
        )
    return inputs
