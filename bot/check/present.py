"""Internal results into the records of an `Assessment`, rounded as people read money."""

from __future__ import annotations

from bot.assessment import (
    CloudOption,
    HybridOption,
    LocalBreakdown,
    LocalOption,
    ServingOption,
    Speeds,
    WorkloadField,
)
from bot.check.calibration import speed_model
from bot.check.capacity import Estimate, estimate
from bot.check.costs import days_per_month
from bot.check.hosts import most_devices
from bot.check.inputs import Inputs
from bot.check.labour import LEVEL_NAMES
from bot.check.options import Choice, Frontier
from bot.check.rules import Situation
from bot.check.sizing import Plan, redundancy_usd
from bot.knowledge.loader import KnowledgeBase
from bot.units import tokens_per_request


def workload_fields(inputs: Inputs) -> dict[str, WorkloadField]:
    # Built from provenance already validated on its way in; constructing skips a second check.
    return {
        name: WorkloadField.model_construct(
            value=round(fact.value, 3) if isinstance(fact.value, float) else fact.value,
            how=fact.provenance.how,
            span=fact.provenance.span,
            reason=fact.provenance.reason,
        )
        for name, fact in inputs.facts.items()
    }


def local_option(kb: KnowledgeBase, inputs: Inputs, plan: Plan) -> LocalOption:
    cost, estimate, where = plan.cost, plan.replica.estimate, plan.layout
    return LocalOption(
        hardware=plan.fleet.hardware.id,
        hardware_name=plan.fleet.hardware.name,
        count=plan.devices,
        devices_per_replica=plan.replica.devices // plan.replica.copies,
        replicas=plan.copies,
        spare=plan.spare,
        hosts=where.hosts,
        host=where.host.id if where.host else None,
        sites=where.sites,
        availability=round(where.availability, 6) if where.availability is not None else None,
        redundancy_usd=round(redundancy_usd(kb, inputs, plan), 2),
        service_level=LEVEL_NAMES[inputs.service.level],
        labour_hours_per_month=labour_hours(inputs, plan),
        owned_devices=plan.fleet.owned_devices,
        rented=plan.fleet.rental is not None,
        rental=plan.fleet.rental.id if plan.fleet.rental else None,
        model=inputs.open_model.id,
        model_name=inputs.open_model.name,
        quant=estimate.quant or inputs.quant.id,
        engine=estimate.engine,
        monthly_usd=round(cost.monthly_usd, 2),
        capex_usd=round(cost.capex_usd, 2),
        breakdown=LocalBreakdown(**{part: round(getattr(cost, part), 2) for part in LocalBreakdown.model_fields}),
        speeds=Speeds(
            decode_tokens_per_s=round(estimate.decode_tokens_per_s, 1),
            aggregate_tokens_per_s=round(estimate.aggregate_tokens_per_s, 1),
            prefill_tokens_per_s=round(estimate.prefill_tokens_per_s, 1),
            time_to_first_token_s=round(estimate.time_to_first_token_s, 2),
            concurrency=plan.replica.concurrency // plan.replica.copies,
            requests_per_s=round(plan.replica.requests_per_s / plan.replica.copies, 3),
            source="measured" if estimate.measured else "estimated",
            tensor_parallel=estimate.tensor_parallel,
        ),
        utilisation=round(plan.fleet.utilisation, 4),
        memory_gb=round(estimate.memory_gb, 1),
        available_gb=round(estimate.available_gb, 1),
    )


def labour_hours(inputs: Inputs, plan: Plan) -> float:
    """People's time a month, setup spread like the purchase, on-call pay as the hours it buys."""
    hourly = inputs.engineer_hourly_usd
    return round(plan.cost.labour_usd / hourly, 1) if hourly else 0.0


def cloud_option(kb: KnowledgeBase, whole: Inputs, rest_usd: float, frontier: Frontier) -> CloudOption:
    """Everything by API: the rest on its comparable model, the frontier share on a frontier one."""
    return CloudOption(
        api_model=whole.api_name,
        provider=whole.api.provider,
        model=whole.api.model,
        monthly_usd=round(rest_usd + frontier.monthly_usd, 2),
        per_request_usd=round(whole.request_usd, 6),
        tokens_per_month=round(whole.tokens_per_day * days_per_month(kb)),
        frontier_api_model=frontier.api.offer.name if frontier.api else None,
        priced_with=list(whole.apis.cloud.levers),
        frontier_share=frontier.share or None,
        frontier_monthly_usd=round(frontier.monthly_usd, 2) if frontier.api else None,
    )


def hybrid_option(s: Situation, frontier: Frontier) -> HybridOption | None:
    """The local base with the API for peaks and outages, or, with a frontier share, the
    rest served locally (or by such a hybrid) and the frontier share by API."""
    rest_share = 1 - frontier.share
    if s.hybrid is not None:
        plan, local_share, api_usd = s.hybrid.plan, s.hybrid.local_share, s.hybrid.cloud_usd
    elif frontier.share and s.plan is not None and s.inputs.data_policy != "must-stay":
        plan, local_share, api_usd = s.plan, 1.0, 0.0
    else:
        return None
    api_usd += frontier.monthly_usd
    return HybridOption(
        monthly_usd=round(plan.cost.monthly_usd + api_usd, 2),
        local_monthly_usd=round(plan.cost.monthly_usd, 2),
        cloud_monthly_usd=round(api_usd, 2),
        local_share=round(local_share * rest_share, 3),
        hardware=plan.fleet.hardware.id,
        count=plan.devices,
    )


def why_no_local(kb: KnowledgeBase, inputs: Inputs) -> str:
    """Why no local configuration serves the workload, with the closest any came."""
    model = inputs.open_model
    context = tokens_per_request(inputs.input_tokens, inputs.output_tokens)
    if context > model.max_context:
        return f"{model.name} handles {model.max_context:,} tokens of context; a request needs {context:,}."
    candidates = [inputs.hardware] if inputs.hardware else list(kb.hardware.values())
    fitting = []
    for hardware in candidates:
        for count in range(1, most_devices(kb, hardware.id) + 1):
            result = estimate(
                speed_model(kb),
                hardware,
                model,
                inputs.quant,
                runtime_overhead_gb=kb.defaults.runtime_overhead_gb.value,
                count=count,
                context=context,
                prompt_tokens=inputs.input_tokens,
            )
            if result.fits:
                fitting.append((hardware, count, result))
                break
    where = inputs.hardware.name if inputs.hardware else "any hardware we know"
    if not fitting:
        return f"{model.name} does not fit in one host of {where}."
    hardware, count, best = max(fitting, key=lambda f: f[2].decode_tokens_per_s - f[2].time_to_first_token_s)
    on = f"{count} x {hardware.name}" if count > 1 else hardware.name
    return f"{model.name} fits on {on}, but too slowly for people waiting: {_too_slow(kb, inputs, best)}."


def _too_slow(kb: KnowledgeBase, inputs: Inputs, best: Estimate) -> str:
    """Each speed need the fastest fit misses, against what was asked or assumed."""
    d = kb.defaults
    first, stream = best.time_to_first_token_s, best.decode_tokens_per_s
    total = first + inputs.output_tokens / stream
    wait = inputs.first_token_s if inputs.first_token_s is not None else None
    if wait is None and inputs.latency_s is None:
        wait = d.interactive_first_token_s.value
    missed = []
    if wait is not None and first > wait:
        missed.append(f"the first token takes {first:.2f} s against the {wait:g} s " +
                      ("asked for" if inputs.first_token_s is not None else "people wait at most"))  # fmt: skip
    if inputs.latency_s is not None and total > inputs.latency_s:
        missed.append(f"a whole answer takes {total:.1f} s against the {inputs.latency_s:g} s asked for")
    if not missed or stream < d.interactive_tokens_per_s.value:
        missed.append(f"a stream runs {stream:.0f} tokens/s (at least {d.interactive_tokens_per_s.value:g} needed)")
    return "; ".join(missed)


def options(kb: KnowledgeBase, inputs: Inputs, found: list[Choice]) -> list[ServingOption]:
    """The options as the answer lists them, cheapest first; a one-off job priced whole."""
    months = inputs.one_off_months
    shown = []
    for choice in found:
        plan, api = choice.plan, choice.api
        monthly = round(choice.monthly_usd, 2)
        fields: dict[str, object] = {}
        if plan is not None:
            fields |= {"hardware": plan.fleet.hardware.id, "devices": plan.devices, "hosts": plan.layout.hosts}
            fields |= {"sites": plan.layout.sites, "labour_hours_per_month": labour_hours(inputs, plan)}
            fields["engine"] = plan.replica.estimate.engine
            if plan.fleet.rental is not None:
                fields |= {"provider": plan.fleet.rental.provider, "billing": plan.fleet.rental.billing}
        if api is not None and choice.kind == "api":
            ref = api.offer.fine_tune if inputs.fine_tuned and api.offer.fine_tune else api.offer.ref
            fields |= {"provider": ref.provider, "api_model": f"{ref.provider}/{ref.model}"}
            fields["billing"] = ", ".join(api.levers) or None
        shown.append(
            ServingOption(
                kind=choice.kind,
                label=label_of(kb, inputs, choice),
                where=choice.where,
                meets_needs=choice.meets_needs,
                ruled_out_by=choice.ruled_out,
                monthly_usd=None if months else monthly,
                job_usd=round(choice.monthly_usd * months, 2) if months else None,
                **fields,
            )
        )
    return shown


def label_of(kb: KnowledgeBase, inputs: Inputs, choice: Choice) -> str:
    """A short name for an option, unique among the options of one answer (a frontier share, which
    goes to the same API in every option, is said once beside them)."""
    plan, api = choice.plan, choice.api
    if choice.hybrid is not None and api is not None:
        text = f"{_plan_label(kb, plan)} for the base load, {api.offer.name} for the peaks"  # type: ignore[arg-type]
    elif plan is not None:
        text = _plan_label(kb, plan)
    else:
        text = api.offer.name if api else "?"
    return text


def _plan_label(kb: KnowledgeBase, plan: Plan) -> str:
    fleet = plan.fleet
    name = fleet.hardware.name
    rental = fleet.rental
    # Noun phrases, not orders ("Buy 2 x ..."): an explanation quoting a label recommends nothing.
    if rental is not None:
        where = kb.providers[rental.provider].name
        return f"{plan.devices} x {name} rented at {where} ({rental.billing})"
    if fleet.owned_devices == plan.devices:
        return f"Your {plan.devices} x {name}"
    if fleet.owned_devices:
        return f"Your {fleet.owned_devices} {name} and {plan.devices - fleet.owned_devices} more bought"
    return f"{plan.devices} x {name} bought"


def named_api(kb: KnowledgeBase, inputs: Inputs, shown: list[ServingOption]) -> ServingOption | None:
    """The option for the API the team named, if it named one."""
    named = inputs.named_api
    if named is None:
        return None
    wanted = f"{named.provider}/{named.model}"
    return next((o for o in shown if o.kind == "api" and o.api_model == wanted), None)
