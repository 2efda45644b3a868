"""A model its provider has shut down is never the cheapest API that does the job. Named by a
team, it is priced, shown and ruled out with the day it was shut down, and the answer says what
does the job now. One shut down soon still serves, and the answer says when it goes.

Shut-down models are the shipped knowledge base's own (their dates are past for good); models
shutting down soon are made so on a copy, relative to the pricing date, so no test turns on
the day it runs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bot.assessment import Assessment
from bot.check.api_offers import RETIRING_SOON
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.prices import pricing_date
from bot.workload import Workload
from tests.conftest import CliRun

SHUT_DOWN = [  # what a team writes, the entry it names, the day its provider shut it down
    ("GPT-3.5 Turbo", "gpt-3.5-turbo", "2026-10-23"),
    ("o3-mini", "o3-mini", "2026-10-23"),
    ("4.1 nano", "gpt-4.1-nano", "2026-10-23"),
    ("claude opus 4.1", "claude-opus-4-1", "2026-08-05"),
    ("deepseek chat", "deepseek-chat", "2026-07-24"),
    ("deepseek reasoner", "deepseek-reasoner", "2026-07-24"),
    ("Claude 3 Haiku", "claude-3-haiku", "2026-04-19"),
]


def ref(kb: KnowledgeBase, api_id: str) -> str:
    api = kb.api_models[api_id]
    return f"{api.provider}/{api.model}"


def finding(result: Assessment, rule: str) -> str | None:
    return next((f.summary for f in result.findings if f.rule == rule), None)


@pytest.mark.parametrize(("name", "api_id", "day"), SHUT_DOWN)
def test_a_named_model_that_is_shut_down_is_priced_shown_and_ruled_out_with_its_date(
    kb: KnowledgeBase, name: str, api_id: str, day: str
) -> None:
    result = assess(Workload(requests_per_day=5000, api_model=name), kb)
    named = result.named_api
    assert named is not None and named.api_model == ref(kb, api_id)
    assert named.monthly_usd, "still priced"
    assert not named.meets_needs and named.ruled_out_by is not None
    assert named.ruled_out_by.rule == "retired"
    assert named.ruled_out_by.arguments == ["pinned-model-versions"]
    assert named.ruled_out_by.reason == f"{kb.api_models[api_id].name} was shut down on {day}"
    assert result.chosen != named.label
    assert f"{result.cloud.provider}/{result.cloud.model}" != ref(kb, api_id), "the cloud side is a live model"
    said = finding(result, "retired")
    assert said is not None and day in said and result.cloud.api_model in said, said


def test_a_shut_down_model_named_in_words_is_answered_end_to_end(cli: CliRun) -> None:
    result = cli("ask", "--no-llm", "we push about 2M tokens a day through gpt-3.5-turbo for a help desk")
    assert result.exit_code == 0, result.output
    assert "no: GPT-3.5 Turbo was shut down on 2026-10-23" in result.output
    assert re.search(
        r"GPT-3\.5 Turbo was shut down on 2026-10-23: requests to it fail\. .+ does the same", result.output
    )


def test_the_cheaper_api_finding_leaves_a_shut_down_model_to_the_retired_finding(kb: KnowledgeBase) -> None:
    result = assess(Workload(requests_per_day=50_000, input_tokens=2000, output_tokens=500, api_model="o3-mini"), kb)
    assert finding(result, "retired") is not None
    assert finding(result, "cheaper-api") is None, "never 'you named X: $..' for a model nobody can call"


def test_a_shut_down_frontier_model_named_for_a_frontier_share_is_not_given_it(kb: KnowledgeBase) -> None:
    result = assess(Workload(requests_per_day=5000, api_model="claude opus 4.1", frontier_share=0.2), kb)
    assert result.cloud.frontier_api_model is not None
    assert result.cloud.frontier_api_model != kb.api_models["claude-opus-4-1"].name


def retiring_in(knowledge_copy: Path, api_id: str, days: int) -> KnowledgeBase:
    """The shipped knowledge base, with `api_id` shut down `days` after the pricing date."""
    path = knowledge_copy / "api_models.yaml"
    entries = yaml.safe_load(path.read_text())
    entry = next(e for e in entries if e["id"] == api_id)
    entry["retires_on"] = (pricing_date() + timedelta(days=days)).isoformat()
    entry["retirement_source"] = "a notice made up for this test"
    path.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True))
    return load_knowledge(knowledge_copy)


FRONTIER_WORK = Workload(requests_per_day=5000, quality="frontier")


def frontier_cloud(kb: KnowledgeBase) -> str:
    """The entry the cloud side of a frontier workload is on, in the shipped knowledge base."""
    cloud = assess(FRONTIER_WORK, kb).cloud
    return next(a.id for a in kb.api_models.values() if (a.provider, a.model) == (cloud.provider, cloud.model))


@pytest.mark.parametrize("days", [1, 30, RETIRING_SOON.days])
def test_the_cloud_side_shutting_down_soon_is_still_chosen_with_a_warning(
    kb: KnowledgeBase, knowledge_copy: Path, days: int
) -> None:
    api_id = frontier_cloud(kb)
    copy = retiring_in(knowledge_copy, api_id, days)
    result = assess(FRONTIER_WORK, copy)
    assert (result.cloud.provider, result.cloud.model) == (
        copy.api_models[api_id].provider,
        copy.api_models[api_id].model,
    )
    said = finding(result, "retiring")
    day = (pricing_date() + timedelta(days=days)).isoformat()
    when = f"in {days} day{'' if days == 1 else 's'}"
    assert said is not None and f"{copy.api_models[api_id].name} shuts down on {day}, {when}" in said
    retiring = next(f for f in result.findings if f.rule == "retiring")
    assert retiring.arguments == ["pinned-model-versions"] and retiring.numbers["days_left"] <= days


def test_the_cloud_side_shut_down_today_gives_way_to_the_next_cheapest(kb: KnowledgeBase, knowledge_copy: Path) -> None:
    api_id = frontier_cloud(kb)
    copy = retiring_in(knowledge_copy, api_id, 0)
    cloud = assess(FRONTIER_WORK, copy).cloud
    assert (cloud.provider, cloud.model) != (copy.api_models[api_id].provider, copy.api_models[api_id].model)


@pytest.mark.parametrize(("name", "api_id"), [("GPT-6.1 Sol", "gpt-6.1-sol"), ("claude sonnet", "claude-sonnet-5-5")])
def test_a_named_model_shutting_down_soon_is_named_in_the_warning_and_still_meets_the_needs(
    knowledge_copy: Path, name: str, api_id: str
) -> None:
    copy = retiring_in(knowledge_copy, api_id, 45)
    result = assess(Workload(requests_per_day=5000, api_model=name), copy)
    assert result.named_api is not None and result.named_api.meets_needs
    said = finding(result, "retiring")
    assert said is not None and f"{copy.api_models[api_id].name} shuts down on" in said and "in 45 days" in said


def test_a_model_shutting_down_after_the_warning_window_gets_no_warning(knowledge_copy: Path) -> None:
    copy = retiring_in(knowledge_copy, "gpt-6.1-sol", RETIRING_SOON.days + 1)
    result = assess(Workload(requests_per_day=5000, api_model="GPT-6.1 Sol"), copy)
    said = finding(result, "retiring") or ""
    assert copy.api_models["gpt-6.1-sol"].name not in said


def test_every_shut_down_date_is_a_day_and_cites_where_it_was_announced(kb: KnowledgeBase) -> None:
    dated = [api for api in kb.api_models.values() if api.retires_on is not None]
    assert len(dated) >= 15
    for api in dated:
        assert isinstance(api.retires_on, date) and api.retirement_source, api.id
    live_frontier = [
        api for api in kb.api_models.values() if api.quality_tier == "frontier" and not api.retired(pricing_date())
    ]
    assert live_frontier, "a frontier share needs an API its provider still serves"
