"""Properties a sound checker keeps for every workload, not just the ones we thought of."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.check.api_offers import offers
from bot.check.apis import price, ruled_out
from bot.check.assess import assess
from bot.check.resolving import resolve_inputs
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import pricing_date
from bot.knowledge.schema.models import QUALITY_ORDER
from bot.workload import OwnedHardware, Workload
from tests.strategies import owned_hardware, workloads
from tests.test_golden_scenarios import assert_traceable

checks = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def with_volume(workload: Workload, factor: float) -> Workload:
    return workload.model_copy(update={"requests_per_day": workload.requests_per_day * factor})


@checks
# Without an uptime need: k hosts fail more often than one, so a larger fleet may need a spare
# host that k copies of a small one lacked, and the k-copies bound below does not hold.
@given(workloads(availability=None, service_hours=None, customer_facing=False), st.sampled_from([2, 3, 5]))
def test_more_volume_never_makes_the_cloud_relatively_cheaper(
    kb: KnowledgeBase, workload: Workload, factor: int
) -> None:
    # Whole multiples: k copies of today's local setup always serve k times the
    # load, so the cheapest local setup for it costs at most k times as much,
    # while the API bill grows exactly k times.
    small, large = assess(workload, kb), assess(with_volume(workload, factor), kb)
    if small.local is None or large.local is None or small.cloud.monthly_usd < 1:
        return  # bills of cents, rounded to the cent, make no ratio
    assert large.local.monthly_usd <= factor * small.local.monthly_usd * (1 + 1e-9)
    assert large.cloud.monthly_usd / large.local.monthly_usd >= small.cloud.monthly_usd / small.local.monthly_usd * (
        1 - 1e-9
    )


@checks
@given(workloads(), owned_hardware())
def test_hardware_already_owned_never_raises_the_local_cost(
    kb: KnowledgeBase, workload: Workload, owned: OwnedHardware
) -> None:
    without = assess(workload, kb)
    with_owned = assess(workload.model_copy(update={"owned": [owned]}), kb)
    assert (without.local is None) == (with_owned.local is None)
    if without.local and with_owned.local:
        assert with_owned.local.monthly_usd <= without.local.monthly_usd + 1e-6


@checks
@given(workloads(data_policy="must-stay", data_reasons=["pii"]))
def test_data_that_may_not_leave_never_gets_a_cloud_answer(kb: KnowledgeBase, workload: Workload) -> None:
    result = assess(workload, kb)
    assert result.verdict in ("local", "need-more-info")
    assert result.hybrid is None, "a hybrid would send part of the data to the API"


@checks
@given(workloads() | workloads(quality="frontier") | workloads(offline=True))
def test_every_answer_is_traceable(kb: KnowledgeBase, workload: Workload) -> None:
    assert_traceable(assess(workload, kb), kb)


@checks
@given(workloads())
def test_the_cloud_side_is_the_cheapest_api_that_does_the_job(kb: KnowledgeBase, workload: Workload) -> None:
    """Never a strawman: no API that meets the quality and the data rules costs less per request."""
    inputs = resolve_inputs(kb, workload).local_part()
    cheapest = inputs.apis.cheapest
    needed = QUALITY_ORDER.index(inputs.quality)
    for offer in offers(kb):
        if offer.rank < needed or ruled_out(inputs, offer) is not None:
            continue
        assert cheapest is not None, f"{offer.name} meets the needs, yet no API was found that does"
        assert cheapest.request_usd <= price(kb, inputs, offer).request_usd * (1 + 1e-9), offer.name


@checks
@given(workloads() | workloads(quality="frontier") | workloads(frontier_share=0.3))
def test_no_answer_ever_picks_a_model_its_provider_has_shut_down(kb: KnowledgeBase, workload: Workload) -> None:
    shut_down = {api.ref for api in kb.api_models.values() if api.retired(pricing_date())}
    shut_down_names = {api.name for api in kb.api_models.values() if api.retired(pricing_date())}
    inputs = resolve_inputs(kb, workload)
    for side in (inputs.apis.cloud, inputs.apis.cheapest, inputs.apis.cheapest_at_tier, inputs.apis.frontier):
        assert side is None or side.offer.ref not in shut_down, side.offer.name
    result = assess(workload, kb)
    assert result.cloud.frontier_api_model not in shut_down_names
    for option in result.options:
        if option.kind == "api" and option.label in shut_down_names:
            assert not option.meets_needs, option.label  # a data rule may be said first; `retired` says the rest
            assert "retired" in {f.rule for f in result.findings}, option.label
    assert result.chosen not in shut_down_names


@checks
@given(workloads())
def test_the_chosen_option_meets_the_needs_and_keeps_the_data_where_the_rules_allow(
    kb: KnowledgeBase, workload: Workload
) -> None:
    result = assess(workload, kb)
    chosen = next((o for o in result.options if o.label == result.chosen), None)
    if result.verdict == "need-more-info":
        return
    assert chosen is not None and chosen.meets_needs and chosen.verdict == result.verdict
    allowed = {"must-stay": {"premises"}, "own-cloud": {"premises", "own-cloud"}}.get(
        result.workload["data_policy"].value, {"premises", "own-cloud", "provider"}
    )
    assert chosen.where in allowed
    cheaper = [o for o in result.options if o.meets_needs and o.cost_usd < chosen.cost_usd]
    margin = kb.defaults.cost_tie_margin.value
    assert all(o.cost_usd >= chosen.cost_usd * (1 - margin) - 1e-6 for o in cheaper), "a cheaper option was passed over"
