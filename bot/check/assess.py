"""`assess(workload, kb)`: the verdict, computed by rules a reader can follow.

1. Every way to serve the workload is priced (`options`): hardware bought or already owned,
   GPUs rented by the hour, every API that does the job, and hybrids. Each says where the
   data goes and whether it meets the team's needs (data rules, an offline site, the quality
   asked for, a model no server holds at the speed needed); if not, which rule rules it out.
2. The verdict is the cheapest option that meets the needs. Within the tie margin of the
   runner-up of another kind, the other findings tip it. No option at all: we ask.
3. When the team gave no volume and the answer changes within ten times more or less of the
   assumed one, the verdict is `need-more-info` with a question, and `leaning` keeps the
   answer under the assumption.
4. A fact only a model read from the question (marked inferred) never decides on its own: if
   the verdict turns on it, the answer is `need-more-info`, asking to confirm it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot import units
from bot.assessment import Assessment, Finding, RuledOut
from bot.check import present
from bot.check.capacity import Measured
from bot.check.costs import days_per_month
from bot.check.economics import break_even_requests_per_day, flips, payback_months
from bot.check.inputs import AS_THEY_ARE, Inputs, WhatIf
from bot.check.options import (
    Choice,
    Frontier,
    Ruling,
    cheapest_hybrid_for,
    choices,
    decide,
    rental_barred,
    self_hosted,
)
from bot.check.paying import Option, by_floor_cost
from bot.check.resolving import resolve_inputs
from bot.check.rules import Situation, findings
from bot.check.sizing import candidate_replicas
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import price_data_version
from bot.workload import Workload

VOLUME_QUESTION = "About how many requests (or tokens) a day will this handle, and how long are they?"
DATA_QUESTION = "Is any of this data personal, regulated or otherwise not allowed to leave your systems?"
DECISIVE_FACTS = {
    "data_policy": ("data-must-stay",),
    "offline": ("offline",),
    "quality": ("frontier-quality",),
    "api_model": ("frontier-quality",),
    "model": ("no-local-fit",),
    "service_hours": ("round-the-clock",),
    "on_call": ("round-the-clock",),
    "ops_staff": ("round-the-clock",),
    "availability": ("round-the-clock",),
}
"""The facts a hard constraint turns on, and its rules: a model's reading of any must be confirmed."""
CONFIRM_QUESTIONS = {
    "data_policy": "You may have said the data must stay on your premises; is that so?",
    "offline": "You may have said it has to work without an internet connection; is that so?",
    "quality": "You may have said the work needs frontier quality; is that so?",
    "api_model": "You may have said you use {api}; is that so?",
    "model": "You may have named {model} as the model to run; is that so?",
    "service_hours": "You may have said it must run around the clock; is that so?",
    "on_call": "You may have said whether anyone carries a pager for it; is that so?",
    "ops_staff": "You may have said nobody on the team runs servers; is that so?",
    "availability": "You may have given an uptime target; is that so?",
}
SERVICE_QUESTION = (
    "As described, no option works: the data must stay with you, and nobody there can be on call to keep it up. "
    "Could someone carry the pager, or could a provider under contract take the data?"
)
TOO_FAST_QUESTION = (
    "As described, no option works: no hardware we know serves this model as fast as asked, and the work may not "
    "go to an API. Would a slower answer do, or a smaller model?"
)
CONFLICT_QUESTION = (
    "As described, no option works: the data may not go where the quality asked for is sold "
    "(for all requests or a share of them). "
    "Could a provider under contract (a DPA or BAA, in your region) take the data, or would a near-frontier "
    "open model do?"
)
FRONTIER_GAP = RuledOut(
    rule="frontier-quality",
    arguments=["frontier-quality-gap"],
    reason="it needs frontier quality, which no open model reaches",
)


def assess(
    workload: Workload,
    kb: KnowledgeBase,
    measured: Mapping[tuple[str, str], Measured] | None = None,
    what_if: WhatIf = AS_THEY_ARE,
) -> Assessment:
    """`measured`: speeds the team timed on its own hardware (`localcheck calibrate`), by (model id,
    hardware id); an answer that runs that model there uses them and says so. `what_if`: prices
    changed from the knowledge base's, to find what the verdict hinges on (`bot.check.sensitivity`)."""
    whole = resolve_inputs(kb, workload, measured, what_if)
    # A frontier share goes to a frontier API whatever else is chosen: the options are
    # priced on the rest, each with that share's bill added.
    inputs = whole.local_part()
    frontier = Frontier(whole.frontier_share, whole.frontier_api, whole.frontier_usd(days_per_month(kb)))
    # Replica shapes and their floor costs do not depend on volume: found once, they
    # also serve the answers at other volumes.
    replicas = _shapes(kb, inputs)
    situation = _situation(kb, inputs, replicas, frontier)
    found = findings(situation)
    ruling = decide(kb, situation.choices, lambda: found)
    verdict, leaning, confidence, question = ruling.verdict, None, ruling.confidence, None
    unconfirmed = [f for f in DECISIVE_FACTS if f in workload.provenance and workload.provenance[f].how == "inferred"]
    if unconfirmed:  # a constraint only a model read decides nothing until confirmed
        resting = {rule for fact in unconfirmed for rule in DECISIVE_FACTS[fact]}
        found = [f.model_copy(update={"decisive": False}) if f.rule in resting else f for f in found]
    if unconfirmed and _without(workload, unconfirmed, kb, measured, what_if).verdict != verdict:
        leaning = verdict if verdict != "need-more-info" else None
        named = inputs.apis.named.offer.name if inputs.apis.named else inputs.api_name
        question = CONFIRM_QUESTIONS[unconfirmed[0]].format(api=named, model=inputs.open_model.name)
        verdict, confidence = "need-more-info", min(confidence, 0.4)
    elif verdict == "need-more-info":
        question = _conflict_question(inputs, situation)
    elif inputs.how("requests_per_day") == "assumed" and not _holds_across_volumes(
        kb, inputs, replicas, frontier, verdict
    ):
        verdict, leaning, question, confidence = "need-more-info", verdict, VOLUME_QUESTION, min(confidence, 0.35)
    elif inputs.how("data_policy") == "assumed" and ruling.chosen is not None and ruling.chosen.where != "premises":
        question, confidence = DATA_QUESTION, confidence - 0.1

    chosen = ruling.chosen if verdict != "need-more-info" else None
    return _assessment(
        kb,
        whole,
        inputs,
        situation,
        frontier,
        found,
        chosen,
        verdict=verdict,
        leaning=leaning,
        confidence=confidence,
        question=question,
    )


def _assessment(
    kb: KnowledgeBase,
    whole: Inputs,
    inputs: Inputs,
    situation: Situation,
    frontier: Frontier,
    found: list[Finding],
    chosen: Choice | None,
    *,
    verdict: str,
    leaning: str | None,
    confidence: float,
    question: str | None,
) -> Assessment:
    """The answer as shown: the verdict settled, with every option, cost, break-even and finding."""
    plan = situation.plan
    ongoing = plan is not None and not inputs.one_off_months  # a one-off job has no break-even per day
    break_even = break_even_requests_per_day(kb, inputs, situation.options) if ongoing else None
    tokens_per_request = units.tokens_per_request(inputs.input_tokens, inputs.output_tokens)
    options = present.options(kb, inputs, situation.choices)
    return Assessment(
        verdict=verdict,
        leaning=leaning,
        confidence=round(max(0.05, confidence), 2),
        question=question,
        workload=present.workload_fields(whole),
        local=present.local_option(kb, inputs, plan) if plan else None,
        local_unavailable=situation.local_unavailable,
        cloud=present.cloud_option(kb, whole, situation.cloud_usd, frontier),
        hybrid=present.hybrid_option(situation, frontier),
        options=options,
        chosen=present.label_of(kb, inputs, chosen) if chosen else None,
        named_api=present.named_api(kb, inputs, options),
        break_even_tokens_per_day=_round(break_even * tokens_per_request) if break_even is not None else None,
        payback_months=_round(payback_months(kb, inputs, plan)) if plan and plan.fleet.rental is None else None,
        flips_if=flips(kb, inputs, plan, situation.cloud_usd, break_even) if plan else [],
        findings=found,
        knowledge_version=kb.version,
        prices=price_data_version(),
    )


@dataclass(frozen=True)
class Shapes:
    """Replica shapes and ways to pay, cheapest floor first: all of them, and those the data rules allow."""

    all: list[Option]
    allowed: list[Option]


def _shapes(kb: KnowledgeBase, inputs: Inputs) -> Shapes:
    every = by_floor_cost(kb, inputs, candidate_replicas(kb, inputs))
    allowed = [o for o in every if o.rental is None or rental_barred(kb, inputs, o.rental) is None]
    return Shapes(every, allowed)


def _situation(kb: KnowledgeBase, inputs: Inputs, replicas: Shapes, frontier: Frontier) -> Situation:
    plans = self_hosted(kb, inputs, replicas.all)
    quality_gap = FRONTIER_GAP if inputs.quality == "frontier" else None
    hybrid = None if quality_gap else cheapest_hybrid_for(kb, inputs, replicas.allowed, plans)
    found = choices(kb, inputs, plans, hybrid, frontier, quality_gap)
    self_hosting = [c for c in found if c.plan is not None and c.hybrid is None]
    best = next((c for c in self_hosting if c.meets_needs), self_hosting[0] if self_hosting else None)
    plan = best.plan if best else None
    cloud_usd = inputs.request_usd * inputs.requests_per_day * days_per_month(kb)
    unavailable = None if plan else present.why_no_local(kb, inputs)
    return Situation(kb, inputs, plan, cloud_usd, hybrid, unavailable, replicas.allowed, frontier, found)


def _conflict_question(inputs: Inputs, situation: Situation) -> str:
    """What to ask when no option meets the needs: the one that rules self-hosting out."""
    if inputs.unmet_service is not None:
        return SERVICE_QUESTION
    if situation.plan is None and inputs.quality != "frontier":
        return TOO_FAST_QUESTION
    return CONFLICT_QUESTION


def _without(
    workload: Workload,
    fields: list[str],
    kb: KnowledgeBase,
    measured: Mapping[tuple[str, str], Measured] | None,
    what_if: WhatIf,
) -> Ruling:
    """The decision had the model not read `fields`."""
    unread = {field: Workload.model_fields[field].get_default() for field in fields}
    provenance = {k: v for k, v in workload.provenance.items() if k not in fields}
    rest = workload.model_copy(update={**unread, "provenance": provenance})
    return ruling_for(rest, kb, measured, what_if)


def ruling_for(
    workload: Workload,
    kb: KnowledgeBase,
    measured: Mapping[tuple[str, str], Measured] | None = None,
    what_if: WhatIf = AS_THEY_ARE,
) -> Ruling:
    """What the options and findings decide for `workload`, without the rest of an answer (break-even,
    the questions to ask, the records shown): the step `assess` turns on, re-run to find what it hinges on."""
    whole = resolve_inputs(kb, workload, measured, what_if)
    inputs = whole.local_part()
    frontier = Frontier(whole.frontier_share, whole.frontier_api, whole.frontier_usd(days_per_month(kb)))
    return _ruling(kb, inputs, _shapes(kb, inputs), frontier)


def _holds_across_volumes(
    kb: KnowledgeBase, inputs: Inputs, replicas: Shapes, frontier: Frontier, verdict: str
) -> bool:
    """Whether the verdict stays the same at a tenth and at ten times the assumed volume."""
    return all(
        _ruling(kb, inputs.scaled(factor), replicas, frontier.scaled(factor)).verdict == verdict
        for factor in (0.1, 10.0)
    )


def _ruling(kb: KnowledgeBase, inputs: Inputs, replicas: Shapes, frontier: Frontier) -> Ruling:
    situation = _situation(kb, inputs, replicas, frontier)
    return decide(kb, situation.choices, lambda: findings(situation))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
