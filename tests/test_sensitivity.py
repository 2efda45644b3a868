"""What the verdict hinges on: every flip value the answer lists, applied to the workload and assessed
afresh, really flips the verdict; today's value holds; and the list reaches the CLI, --json and the card."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings

from bot.assessment import Assessment, Flip
from bot.check.assess import assess
from bot.check.inputs import WhatIf
from bot.check.sensitivity import VERDICT_WORDS, sensitivity
from bot.knowledge.loader import KnowledgeBase
from bot.workload import Workload
from tests.conftest import CliRun
from tests.strategies import workloads

# Hybrid by a narrow margin: several assumptions turn it (see test_charts.py for its break-even).
EU_TRIAGE = Workload(
    requests_per_day=2_000_000, model="llama3.1:8b", data_policy="in-region", data_reasons=["gdpr"], ops_staff=2
)


def verdict(a: Assessment) -> str:
    """The verdict the numbers give, also when the answer asks a question first."""
    return a.leaning or a.verdict


def applied(workload: Workload, a: Assessment, flip: Flip, kb: KnowledgeBase) -> Assessment:
    """The workload with the flip's value put in, written out here rather than with the module's own levers."""
    per_request = float(a.workload["input_tokens"].value) + float(a.workload["output_tokens"].value)
    requests = float(a.workload["requests_per_day"].value)
    changed = {
        "volume": {"requests_per_day": flip.value / per_request, "tokens_per_day": None},
        "engineer_cost": {"engineer_hourly_usd": flip.value},
        "electricity": {"electricity_usd_per_kwh": flip.value},
        "utilisation": {"peak_requests_per_s": requests / 86_400 * flip.value},
    }.get(flip.what, {})
    what_if = {
        "hardware_price": WhatIf(hardware_price=flip.value),
        "hardware_life": WhatIf(hardware_life_months=flip.value),
        "api_price": WhatIf(api_price=flip.value),
    }.get(flip.what, WhatIf())
    return assess(workload.model_copy(update=changed), kb, what_if=what_if)


def check_flips(workload: Workload, kb: KnowledgeBase) -> int:
    """Every listed flip flips, to the verdict it names; returns how many there were."""
    a = assess(workload, kb)
    rows = sensitivity(workload, kb)
    assert {row.what for row in rows} == {
        "volume",
        "engineer_cost",
        "electricity",
        "hardware_price",
        "hardware_life",
        "utilisation",
        "api_price",
    }
    flips = 0
    for row in rows:
        assert row.holds_from <= row.today * 1.0001 and row.holds_to >= row.today * 0.9999, row
        for flip in filter(None, (row.below, row.above)):
            flipped = verdict(applied(workload, a, flip, kb))
            assert flipped != verdict(a), (row.text, flip)
            assert flip.text.endswith(VERDICT_WORDS[flipped]), (flip.text, flipped)
            flips += 1
        assert (row.below is not None) == (row.holds_from > 0 and "; below" in row.text)
    return flips


def test_a_narrow_verdict_turns_where_the_list_says(kb: KnowledgeBase) -> None:
    assert assess(EU_TRIAGE, kb).verdict == "hybrid"
    assert check_flips(EU_TRIAGE, kb) >= 5


def test_every_listed_flip_really_flips_the_verdict(kb: KnowledgeBase) -> None:
    found: list[int] = []

    @hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(workloads())
    def check(workload: Workload) -> None:
        found.append(check_flips(workload, kb))

    check()
    assert sum(found) >= 10, "the search found almost no flips: the property was barely tested"


def test_sensitivity_is_not_computed_by_assess(kb: KnowledgeBase) -> None:
    """It costs a few hundred decisions: the checker's own path (and its benchmark) never pays for it."""
    assert assess(EU_TRIAGE, kb).sensitivity == []


def test_the_cli_and_json_show_what_the_verdict_hinges_on(cli: CliRun, tmp_path: object) -> None:
    question = "2M requests a day on llama3.1:8b; the data is personal and must stay in the EU; we have 2 SREs"
    text = cli("ask", "--no-llm", question).output
    assert "What the verdict hinges on:" in text
    answer = json.loads(cli("ask", "--no-llm", "--json", question).output)
    rows = answer["sensitivity"]
    assert len(rows) == 7 and all({"what", "holds_from", "holds_to", "text"} <= row.keys() for row in rows)
    for row in rows:
        if row["below"] or row["above"]:
            assert row["text"] in text


@pytest.mark.parametrize("code", ["EUR", "GBP"])
def test_the_list_is_in_the_teams_currency(cli: CliRun, code: str) -> None:
    question = "2M requests a day on llama3.1:8b; the data is personal and must stay in the EU; we have 2 SREs"
    text = cli("ask", "--no-llm", "--currency", code, question).output
    hinges = text.split("What the verdict hinges on:")[1].split("\n\n")[0]
    assert "an hour" in hinges and "$" not in hinges


@pytest.mark.parametrize(
    "workload",
    [
        Workload(requests_per_day=20_000, data_policy="must-stay", data_reasons=["phi"], ops_staff=1),
        Workload(tokens_per_day=300_000_000, model="llama3.1:8b", data_policy="must-stay", data_reasons=["itar"]),
    ],
)
def test_what_would_change_a_data_bound_answer_is_only_the_data_rule(kb: KnowledgeBase, workload: Workload) -> None:
    """No price, volume or wage sends data that must stay to an API: the answer does not say one would."""
    result = assess(workload, kb)
    assert result.verdict == "local", "both say enough to be answered: nothing is asked"
    assert [flip.what for flip in result.flips_if] == ["data_policy"]
    assert "if the work could go to an API" in result.flips_if[0].text
