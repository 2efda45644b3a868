"""Described workloads across the space, with the verdict and findings each must produce."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from bot.assessment import Assessment, ServingOption, Verdict
from bot.check.api_offers import offers
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.workload import Workload

SCENARIOS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "scenarios" / "golden.yaml").read_text())


def test_every_verdict_the_checker_can_give_has_a_scenario_and_each_scenario_a_name_of_its_own() -> None:
    assert {s["verdict"] for s in SCENARIOS} == set(get_args(Verdict))
    names = [s["name"] for s in SCENARIOS]
    assert len(names) == len(set(names)), "a repeated name hides which scenario failed"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(kb: KnowledgeBase, scenario: dict[str, Any]) -> None:
    result = assess(Workload.model_validate(scenario["workload"]), kb)
    rules = [f.rule for f in result.findings]
    assert result.verdict == scenario["verdict"], rules
    for rule in scenario.get("rules", []):
        assert rule in rules
    for rule in scenario.get("absent", []):
        assert rule not in rules, rule
    if "decisive" in scenario:
        assert result.findings[0].rule == scenario["decisive"] and result.findings[0].decisive
    if "cost_favours" in scenario:
        assert next(f.favours for f in result.findings if f.rule == "cost") == scenario["cost_favours"]
    if scenario.get("question"):
        assert result.question and result.question.endswith("?")
    for key in ("spare", "sites", "host", "service_level"):
        if key in scenario:
            assert result.local is not None and getattr(result.local, key) == scenario[key], key
    if "devices_multiple" in scenario:
        assert result.local is not None and result.local.count % scenario["devices_multiple"] == 0
    for field in scenario.get("assumed", []):
        assert result.workload[field].how == "assumed" and result.workload[field].reason
    if "unavailable" in scenario:
        assert scenario["unavailable"] in (result.local_unavailable or "")
    for argument in scenario.get("arguments", []):
        assert argument in result.cited_arguments
    chosen = next((o for o in result.options if o.label == result.chosen), None)
    for key, value in scenario.items():
        if key.startswith("chosen_"):
            assert chosen is not None and _chosen(chosen, key.removeprefix("chosen_"), kb) == value, key
    if "ruled_out" in scenario:
        assert scenario["ruled_out"] in {o.ruled_out_by.rule for o in result.options if o.ruled_out_by}
    assert_traceable(result, kb)


def _chosen(option: ServingOption, what: str, kb: KnowledgeBase) -> str:
    if what == "tier":  # the quality tier of the API chosen
        offer = next(o for o in offers(kb) if f"{o.ref.provider}/{o.ref.model}" == option.api_model)
        return offer.tier
    return str(getattr(option, what))


def assert_traceable(result: Assessment, kb: KnowledgeBase) -> None:
    """What every answer owes its reader, whatever the scenario."""
    assert result.findings, "an answer without reasons"
    for finding in result.findings:
        assert finding.arguments and set(finding.arguments) <= kb.arguments.keys(), finding.rule
    if result.verdict in ("local", "cloud", "hybrid"):
        favouring = {f.favours for f in result.findings}
        assert result.verdict in favouring, "the verdict must rest on at least one finding that favours it"
    if result.verdict == "need-more-info":
        assert result.question
    for field in result.workload.values():
        assert field.how == "stated" or field.reason, "every assumption says why"
