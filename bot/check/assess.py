"""`assess(workload, kb)`: the verdict, computed by rules a reader can follow.

1. Hard constraints decide first: data that may not leave or an offline site
   rule the API out; a frontier-quality need or a model no server holds rules
   local out. Both at once cannot be met as described: we ask.
2. Otherwise cost decides: the cheapest of local, cloud and hybrid, unless two
   are within the tie margin, where the other findings tip it.
3. When the team gave no volume and the answer changes within ten times more
   or less of the assumed one, the verdict is `need-more-info` with a
   question, and `leaning` keeps the answer under the assumption.
4. A fact only a model read from the question (marked inferred) never decides
   on its own: a hard constraint resting on it is not decisive, and if the
   verdict turned on it, the answer is `need-more-info`, asking to confirm it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.assessment import Assessment, Finding
from bot.check import present
from bot.check.costs import cloud_monthly_usd, days_per_month
from bot.check.economics import break_even_requests_per_day, flips, payback_months
from bot.check.inputs import Inputs, resolve_inputs
from bot.check.rules import Frontier, Situation, findings
from bot.check.sizing import Option, by_floor_cost, candidate_replicas, cheapest_hybrid, cheapest_plan
from bot.knowledge.loader import KnowledgeBase
from bot.prices import price_data_version
from bot.workload import Workload

VOLUME_QUESTION = "About how many requests (or tokens) a day will this handle, and how long are they?"
DATA_QUESTION = "Is any of this data personal, regulated or otherwise not allowed to leave your systems?"
DECISIVE_FACTS = {
    "data-must-stay": ("data_policy",),
    "offline": ("offline",),
    "frontier-quality": ("quality", "api_model"),
    "no-local-fit": ("model",),
}
"""The facts each hard constraint turns on: the first the workload gives is the one it rests on."""
CONFIRM_QUESTIONS = {
    "data_policy": "You may have said the data must stay on your premises; is that so?",
    "offline": "You may have said it has to work without an internet connection; is that so?",
    "quality": "You may have said the work needs frontier quality; is that so?",
    "api_model": "You may have said you use {api}; is that so?",
    "model": "You may have said you want to run {model}; is that so?",
}
CONFLICT_QUESTION = (
    "As described, no option works: the data may not leave, but only an API gives the quality asked for "
    "(for all requests or a share of them). "
    "Could a provider under contract (a DPA or BAA, in your region) take the data, or would a near-frontier "
    "open model do?"
)


@dataclass(frozen=True)
class Decision:
    verdict: str
    confidence: float


def assess(workload: Workload, kb: KnowledgeBase) -> Assessment:
    whole = resolve_inputs(kb, workload)
    # A frontier share goes to a frontier API whatever else is chosen: local against
    # cloud is decided on the rest, and a local win there makes a hybrid.
    inputs = whole.local_part()
    frontier = Frontier(whole.frontier_share, whole.frontier_api, whole.frontier_usd(days_per_month(kb)))
    # Replica shapes and their floor costs do not depend on volume: found once, they
    # also serve the answers at other volumes.
    options = by_floor_cost(kb, inputs, candidate_replicas(kb, inputs))
    situation = _situation(kb, inputs, options, frontier)
    found = findings(situation)
    decision = _decide(kb, situation, found)
    unconfirmed = _read_by_model_only(workload, found)
    if unconfirmed:
        found = [f.model_copy(update={"decisive": False}) if f.rule in unconfirmed else f for f in found]
    question = None
    verdict, leaning, confidence = decision.verdict, None, decision.confidence
    if unconfirmed and _decide(kb, situation, found).verdict != verdict:
        leaning = verdict if verdict != "need-more-info" else "local" if situation.plan else None
        fact = next(iter(unconfirmed.values()))
        question = CONFIRM_QUESTIONS[fact].format(api=inputs.api_name, model=inputs.open_model.name)
        verdict, confidence = "need-more-info", min(confidence, 0.4)
    elif verdict == "need-more-info":
        question = CONFLICT_QUESTION
        leaning = "local" if situation.plan else None
    elif inputs.how("requests_per_day") == "assumed" and not _holds_across_volumes(
        kb, inputs, options, frontier, verdict
    ):
        verdict, leaning, question, confidence = (
            "need-more-info",
            decision.verdict,
            VOLUME_QUESTION,
            min(confidence, 0.35),
        )
    elif inputs.how("data_policy") == "assumed" and verdict in ("cloud", "hybrid"):
        question, confidence = DATA_QUESTION, confidence - 0.1

    plan = situation.plan
    break_even = break_even_requests_per_day(kb, inputs, situation.options) if plan else None
    tokens_per_request = inputs.input_tokens + inputs.output_tokens
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
        break_even_tokens_per_day=_round(break_even * tokens_per_request) if break_even is not None else None,
        payback_months=_round(payback_months(kb, inputs, plan)) if plan else None,
        flips_if=present.flips(flips(kb, inputs, plan, situation.cloud_usd, break_even)) if plan else [],
        findings=found,
        knowledge_version=kb.version,
        prices=price_data_version(),
    )


def _situation(kb: KnowledgeBase, inputs: Inputs, options: list[Option], frontier: Frontier) -> Situation:
    plan = cheapest_plan(kb, inputs, options)
    cloud_usd = cloud_monthly_usd(kb, inputs)
    hybrid = None
    if plan and inputs.data_policy != "must-stay":
        # Only a hybrid cheaper than both by the tie margin changes the answer.
        worth_it = min(plan.cost.monthly_usd, cloud_usd) * (1 - kb.defaults.cost_tie_margin.value)
        hybrid = cheapest_hybrid(kb, inputs, options, beat=worth_it)
    unavailable = None if plan else present.why_no_local(kb, inputs)
    return Situation(kb, inputs, plan, cloud_usd, hybrid, unavailable, options, frontier)


def _decide(kb: KnowledgeBase, s: Situation, found: list[Finding]) -> Decision:
    must_local = any(f.decisive and f.favours == "local" for f in found)
    must_cloud = any(f.decisive and f.favours == "cloud" for f in found)
    if must_local and (must_cloud or s.frontier.share):
        return Decision("need-more-info", 0.3)
    if must_local:
        return Decision("local", 0.9)
    if must_cloud or s.plan is None:
        return Decision("cloud", 0.9)
    decision = _decide_on_cost(kb, s, found)
    if s.frontier.share and decision.verdict == "local":
        return Decision("hybrid", decision.confidence)  # the frontier share still goes out
    return decision


def _decide_on_cost(kb: KnowledgeBase, s: Situation, found: list[Finding]) -> Decision:
    margin = kb.defaults.cost_tie_margin.value
    costs = {"local": s.plan.cost.monthly_usd, "cloud": s.cloud_usd}  # type: ignore[union-attr]
    if s.hybrid is not None:
        return Decision("hybrid", 0.6)
    cheaper, dearer = sorted(costs, key=costs.__getitem__)
    gap = (costs[dearer] - costs[cheaper]) / costs[dearer]
    if gap > margin:
        return Decision(cheaper, min(0.95, 0.55 + gap * 0.5))
    leaning = sum((f.favours == "local") - (f.favours == "cloud") for f in found if f.rule != "cost")
    return Decision("local" if leaning > 0 else "cloud", 0.45)


def _read_by_model_only(workload: Workload, found: list[Finding]) -> dict[str, str]:
    """Decisive findings whose fact only a model read (rule -> that fact's field)."""
    resting = {}
    for finding in found:
        given = [field for field in DECISIVE_FACTS.get(finding.rule, ()) if field in workload.provenance]
        if finding.decisive and given and workload.provenance[given[0]].how == "inferred":
            resting[finding.rule] = given[0]
    return resting


def _holds_across_volumes(
    kb: KnowledgeBase, inputs: Inputs, options: list[Option], frontier: Frontier, verdict: str
) -> bool:
    """Whether the verdict stays the same at a tenth and at ten times the assumed volume."""
    for factor in (0.1, 10.0):
        other = inputs.scaled(factor)
        situation = _situation(kb, other, options, frontier.scaled(factor))
        if _decide(kb, situation, findings(situation)).verdict != verdict:
            return False
    return True


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
