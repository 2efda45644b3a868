"""Properties a sound checker keeps for every workload, not just the ones we thought of."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.workload import OwnedHardware, Workload
from tests.strategies import owned_hardware, workloads
from tests.test_golden_scenarios import assert_traceable

checks = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def with_volume(workload: Workload, factor: float) -> Workload:
    return workload.model_copy(update={"requests_per_day": workload.requests_per_day * factor})


@checks
@given(workloads(), st.sampled_from([2, 3, 5]))
def test_more_volume_never_makes_the_cloud_relatively_cheaper(
    kb: KnowledgeBase, workload: Workload, factor: int
) -> None:
    # Whole multiples: k copies of today's local setup always serve k times the
    # load, so the cheapest local setup for it costs at most k times as much,
    # while the API bill grows exactly k times.
    small, large = assess(workload, kb), assess(with_volume(workload, factor), kb)
    if small.local is None or large.local is None:
        return
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
