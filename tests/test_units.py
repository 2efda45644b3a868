"""One length of a month, one way from tokens to requests: what a team says a month is what it is costed at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot import units
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.problems import KnowledgeError
from bot.workload import Workload
from bot.write.figures import digitise
from tests.conftest import CliRun


def answer(cli: CliRun, text: str) -> dict:
    result = cli("ask", "--no-llm", "--json", text)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def tokens_per_request(answer: dict) -> int:
    workload = answer["workload"]
    return workload["input_tokens"]["value"] + workload["output_tokens"]["value"]


@pytest.mark.parametrize(
    ("text", "requests_a_month"),
    [
        ("we send 500k requests a month to gpt-4o-mini", 500_000),
        ("2.5 million requests monthly on gpt-4o-mini", 2_500_000),
        ("we do 90,000 requests per month with gpt-4o-mini", 90_000),
    ],
)
def test_requests_a_month_are_costed_as_that_many_a_month(cli: CliRun, text: str, requests_a_month: int) -> None:
    said = answer(cli, text)
    assert said["cloud"]["tokens_per_month"] == requests_a_month * tokens_per_request(said)


def test_tokens_a_month_are_costed_as_that_many_a_month(cli: CliRun) -> None:
    said = answer(cli, "12M tokens a month through gpt-4o-mini")
    assert said["cloud"]["tokens_per_month"] == 12_000_000


@pytest.mark.parametrize("bill", [300, 1_250, 40])
def test_a_monthly_bill_comes_back_as_the_same_bill(cli: CliRun, bill: int) -> None:
    said = answer(cli, f"we spend ${bill} a month on gpt-4o-mini")
    assert said["named_api"]["monthly_usd"] == pytest.approx(bill, abs=0.01)


def test_the_costs_month_is_the_parsers_month(kb: KnowledgeBase) -> None:
    assert kb.defaults.hours_per_month.value == units.HOURS_PER_MONTH
    assert pytest.approx(30.417, abs=1e-3) == units.DAYS_PER_MONTH


@pytest.mark.parametrize("hours", [720, 744, 730.5])
def test_a_knowledge_base_with_another_month_is_refused(knowledge_copy: Path, hours: float) -> None:
    path = knowledge_copy / "defaults.yaml"
    defaults = yaml.safe_load(path.read_text())
    defaults["hours_per_month"]["value"] = hours
    path.write_text(yaml.safe_dump(defaults, sort_keys=False))
    with pytest.raises(KnowledgeError, match="hours_per_month"):
        load_knowledge(knowledge_copy)


@settings(deadline=None)  # pure arithmetic: a slow example is the shared machine, not the code
@given(
    requests=st.floats(min_value=1e-3, max_value=1e10),
    input_tokens=st.integers(min_value=1, max_value=2_000_000),
    output_tokens=st.integers(min_value=1, max_value=200_000),
)
def test_tokens_and_requests_convert_back_and_forth(requests: float, input_tokens: int, output_tokens: int) -> None:
    tokens = units.tokens_from_requests(requests, input_tokens, output_tokens)
    assert units.requests_from_tokens(tokens, input_tokens, output_tokens) == pytest.approx(requests)


def test_a_workload_takes_requests_or_tokens_not_both() -> None:
    with pytest.raises(ValidationError, match="not both"):
        Workload(requests_per_day=1_000, tokens_per_day=1_000_000)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("about 884.1 million tokens", "about 884.1 million tokens"),
        ("12 thousand requests", "12 thousand requests"),
        ("a million tokens", "1000000 tokens"),
        ("two billion", "2000000000"),
    ],
)
def test_a_scale_word_after_digits_stays_with_its_figure(text: str, read: str) -> None:
    """The answer's "884.1 million tokens a day" is one figure to the writer's check, not 884.1 and a million."""
    assert digitise(text) == read
