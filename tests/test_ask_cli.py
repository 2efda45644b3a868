"""`localcheck ask --workload FILE`: the whole answer, readable or as JSON, and friendly on mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, CliRun

JSON_KEYS = {
    "verdict",
    "confidence",
    "workload",
    "local",
    "cloud",
    "hybrid",
    "break_even_tokens_per_day",
    "flips_if",
    "findings",
}


def ask(cli: CliRun, text: str, *args: str) -> tuple[int, str]:
    path = Path("workload.yaml")
    path.write_text(text)
    result = cli("ask", "--workload", str(path), *args)
    return result.exit_code, result.output


def test_json_answer_has_every_part_the_issue_promises(cli: CliRun) -> None:
    result = cli("ask", "--workload", str(REPO / "examples" / "support-bot.yaml"), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer.keys() >= JSON_KEYS
    assert answer["verdict"] == "local"
    local = answer["local"]
    assert {"hardware", "count", "model", "quant", "monthly_usd", "breakdown", "speeds", "utilisation"} <= local.keys()
    assert {"api_model", "provider", "monthly_usd"} <= answer["cloud"].keys()
    assert answer["workload"]["data_policy"]["how"] == "stated"
    assert answer["workload"]["input_tokens"]["how"] == "assumed" and answer["workload"]["input_tokens"]["reason"]
    assert answer["findings"][0]["rule"] == "data-must-stay" and answer["findings"][0]["decisive"]


def test_readable_answer_gives_verdict_costs_cited_reasons_and_assumptions(cli: CliRun) -> None:
    result = cli("ask", "--workload", str(REPO / "examples" / "nightly-summaries.yaml"))
    assert result.exit_code == 0
    out = result.output
    # Public documents at night: the cheapest API that does the job, at its batch price.
    assert out.startswith("Use the cloud API")
    assert "data goes to" in out and "per month" in out and "meets your needs" in out
    assert "batch API, 50% off" in out and "[batch-api-discount]" in out
    assert "Assumptions (correct any that are wrong):" in out


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("requests_per_day: -5\n", "requests_per_day", "greater than 0"),
        ("requests_per_day: 0\n", "requests_per_day", "greater than 0"),
        ("requests_per_day: 1000\navailabilty: 0.999\n", "availabilty", "not permitted"),
        ("requests_per_day: 100\nowned: [{hardware: RTX 9999}]\n", "owned", "Unknown hardware 'RTX 9999'"),
        ("requests_per_day: 100\napi_model: gpt-4o-mimi\n", "api_model", "Did you mean GPT-4o mini"),
        ("requests_per_day: 1000\npeak_requests_per_s: 0.001\n", "peak_requests_per_s", "below the day's average"),
        ("requests_per_day: 10\ntokens_per_day: 10\n", "workload", "not both"),
        ("just some words\n", "--workload", "should hold a mapping"),
    ],
)
def test_bad_input_is_one_clear_line_naming_the_field(cli: CliRun, text: str, field: str, says: str) -> None:
    code, output = ask(cli, text)
    assert code == 2
    assert field in output and says in output
    assert "Traceback" not in output


def test_a_missing_file_is_named(cli: CliRun) -> None:
    result = cli("ask", "--workload", "no-such-file.yaml")
    assert result.exit_code == 2
    assert "no-such-file.yaml" in result.output


def test_a_rules_only_answer_imports_no_langchain_or_slack() -> None:
    from tests.test_cli import imported_after

    modules = imported_after(["ask", "--no-llm", "--workload", str(REPO / "examples" / "support-bot.yaml")])
    assert modules.isdisjoint({"langchain", "langchain_core", "langchain_ollama", "slack_bolt", "slack_sdk"})


SUPPORT_BOT = (
    "we push about 2M tokens a day through gpt-4o-mini for support tickets, the tickets contain customer PII, "
    "nobody here runs servers"
)


def test_plain_text_is_answered_end_to_end_as_json(cli: CliRun) -> None:
    result = cli("ask", SUPPORT_BOT, "--no-llm", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["verdict"] == "local"
    read = answer["workload"]
    assert read["tokens_per_day"] == {
        "value": 2_000_000.0,
        "how": "stated",
        "span": "about 2M tokens a day",
        "reason": None,
    }
    assert read["ops_staff"]["how"] == "stated" and read["ops_staff"]["span"] == "nobody here runs servers"
    assert read["input_tokens"]["how"] == "assumed"


def test_plain_text_answer_shows_what_was_read_and_from_which_words(cli: CliRun) -> None:
    result = cli("ask", SUPPORT_BOT, "--no-llm")
    assert 'tokens per day: 2,000,000 ("about 2M tokens a day")' in result.output


@pytest.mark.parametrize("text", ["", "   ", "hello there :wave:"])
def test_a_message_with_no_workload_gets_guidance_not_an_answer(cli: CliRun, text: str) -> None:
    result = cli("ask", text, "--no-llm")
    assert result.exit_code == 2
    assert "Tell me about the workload in your own words" in result.output


def test_text_and_a_workload_file_together_are_refused(cli: CliRun) -> None:
    result = cli("ask", "2M tokens a day", "--workload", str(REPO / "examples" / "support-bot.yaml"))
    assert result.exit_code == 2 and "either as text or with --workload" in result.output


def test_a_huge_message_is_answered_with_a_note(cli: CliRun) -> None:
    text = SUPPORT_BOT + ". " + "filler words about the weekend " * 4000
    result = cli("ask", text, "--no-llm", "--json")
    assert result.exit_code == 0
    assert any("only the first" in note for note in json.loads(result.output)["notes"])
