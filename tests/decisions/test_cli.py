"""`localcheck ask` logs every answer; `localcheck decisions` reviews them, on real files."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
import yaml

from tests.conftest import CliRun

# Local on cost: the hosts that sell Llama 3.1 8B cheapest keep no data in the EU.
QUESTION = (
    "about 2M requests a day on llama3.1:8b for ticket triage under GDPR, peaking at 60 requests a second, "
    "2 SREs run our servers"
)


def ask(cli: CliRun, text: str = QUESTION, *args: str, env: dict[str, str] | None = None) -> dict:
    result = cli("ask", text, "--no-llm", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{") :])


def test_every_answer_is_logged_and_can_be_shown(cli: CliRun) -> None:
    answer = ask(cli)
    decision_id = answer["decision_id"]
    shown = cli("decisions", "show", decision_id[:10])
    assert shown.exit_code == 0 and decision_id in shown.output and QUESTION in shown.output
    assert answer["verdict"] in shown.output.lower() or "Run it locally" in shown.output
    listed = json.loads(cli("decisions", "list", "--json").output)
    assert [d["id"] for d in listed] == [decision_id]
    assert listed[0]["source"] == "cli" and listed[0]["status"] == "proposed"


def test_the_readable_answer_says_where_it_was_logged(cli: CliRun) -> None:
    result = cli("ask", QUESTION, "--no-llm")
    assert "Logged as decision " in result.output


def test_refining_a_logged_decision(cli: CliRun) -> None:
    first = ask(cli)
    refined = ask(cli, "what if we double the volume?", "--refine", first["decision_id"][:12])
    assert refined["workload"]["requests_per_day"]["value"] == 4_000_000
    assert refined["workload"]["requests_per_day"]["span"] == "double"
    shown = json.loads(cli("decisions", "show", refined["decision_id"], "--json").output)
    assert shown["parent_id"] == first["decision_id"] and shown["source"] == "refine"


def test_refining_an_unknown_decision_is_a_clear_error(cli: CliRun) -> None:
    result = cli("ask", "double it", "--refine", "NOPE")
    assert result.exit_code == 1 and "No single decision has the id 'NOPE'" in result.output


def test_adopt_reject_feedback_and_stats(cli: CliRun) -> None:
    keep, drop = (
        ask(cli)["decision_id"],
        ask(cli, "3000 requests a day on gpt-4o-mini, public data only")["decision_id"],
    )
    assert "is now adopted (by dana)" in cli("decisions", "adopt", keep, "--by", "dana").output
    assert "is now rejected" in cli("decisions", "reject", drop).output
    assert cli("decisions", "feedback", keep, "--helpful").exit_code == 0
    stats = json.loads(cli("decisions", "stats", "--json").output)
    assert stats["decisions"] == 2 and stats["by_status"] == {"adopted": 1, "rejected": 1}
    assert stats["feedback"] == {"helpful": 1} and stats["monthly_usd_adopted"] > 0
    assert [d["id"] for d in json.loads(cli("decisions", "list", "--status", "adopted", "--json").output)] == [keep]


def test_search(cli: CliRun) -> None:
    wanted = ask(cli)["decision_id"]
    ask(cli, "3000 requests a day on gpt-4o-mini, public data only")
    found = json.loads(cli("decisions", "search", "triage", "--json").output)
    assert [d["id"] for d in found] == [wanted]
    assert "No decisions match." in cli("decisions", "search", "zebra").output


def test_export_in_three_formats(cli: CliRun) -> None:
    decision_id = ask(cli)["decision_id"]
    rows = list(csv.DictReader(io.StringIO(cli("decisions", "export", "--format", "csv").output)))
    assert rows[0]["id"] == decision_id and rows[0]["question"] == QUESTION
    exported = json.loads(cli("decisions", "export", "--format", "json").output)
    assert exported[0]["workload"]["requests_per_day"] == 2_000_000 and exported[0]["assessment"]["verdict"]
    markdown = cli("decisions", "export", "--format", "markdown").output.splitlines()
    assert markdown[0].startswith("| id | created |") and decision_id in markdown[2]


def test_purge(cli: CliRun) -> None:
    ask(cli)
    assert "Deleted 0 decision(s)." in cli("decisions", "purge", "--before", "2000-01-01", "--yes").output
    assert "Deleted 1 decision(s)." in cli("decisions", "purge", "--before", "2999-01-01", "--yes").output
    assert cli("decisions", "purge", "--before", "yesterday", "--yes").exit_code == 2


def test_revisit_sees_a_verdict_flip_when_a_price_changes(cli: CliRun, knowledge_copy: Path) -> None:
    decided = ask(cli)
    # 2M requests a day with two SREs: self-hosted, the peaks held by batching, no API beside it.
    verdict = decided["verdict"]
    assert verdict == "local" and decided["hybrid"] is None
    assert "still holds" in cli("decisions", "revisit").output

    for name, price in (("hardware.yaml", "purchase_usd"), ("rentals.yaml", "usd_per_gpu_hour")):
        prices = knowledge_copy / name
        entries = yaml.safe_load(prices.read_text())
        for entry in entries:  # a world where every device costs ten times as much, bought or rented
            if entry.get(price):
                entry[price] *= 10
        prices.write_text(yaml.safe_dump(entries, sort_keys=False))
    revisited = cli("decisions", "revisit", "--json", env={"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)})
    assert "Re-checking" in revisited.stderr, "progress goes to stderr, out of the JSON's way"
    changes = json.loads(revisited.stdout)
    assert [c["id"] for c in changes] == [decided["decision_id"]]
    moved = changes[0]["moved"]
    assert changes[0]["old_verdict"] == verdict and changes[0]["new_verdict"] != verdict
    assert any(m.startswith(f"verdict {verdict} ->") for m in moved)
    assert any(m.startswith("chosen option ") for m in moved), moved
    rented = [o["label"] for o in decided["options"] if o["kind"] == "rent"]
    assert any(m.startswith(f"{label} $") and "(+" in m for label in rented for m in moved), "rent rose tenfold"
    assert "hardware prices" in changes[0]["causes"] and "the knowledge base" in changes[0]["causes"]
    readable = cli("decisions", "revisit", env={"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)}).stdout
    assert "what moved: hardware prices" in readable and "Re-checking" not in readable


def test_the_log_is_a_real_file_where_the_settings_say(cli: CliRun) -> None:
    ask(cli)
    path = Path(os.environ["LOCALCHECK_DB"])
    assert path.is_file() and path.stat().st_size > 0


def test_revisit_with_prices_that_cannot_be_fetched_says_so_and_uses_the_snapshot(cli: CliRun) -> None:
    ask(cli)
    result = cli("decisions", "revisit", "--refresh-prices", env={"LOCALCHECK_PRICES_URL": "http://127.0.0.1:9/x"})
    assert result.exit_code == 0
    assert "could not fetch the newest prices from http://127.0.0.1:9/x" in result.stderr
    assert "re-checking with genai-prices " in result.stderr and "Traceback" not in result.output
    assert "still holds" in result.stdout and "genai-prices" in result.stdout


def test_stats_say_what_each_figure_sums(cli: CliRun) -> None:
    answers = [ask(cli), ask(cli, "3000 requests a day on gpt-4o-mini, public data only"), ask(cli, "a one-off job")]
    adopted = answers[:2]
    for answer in adopted:
        cli("decisions", "adopt", answer["decision_id"])
    stats = json.loads(cli("decisions", "stats", "--json").output)
    chosen = [next(o for o in a["options"] if o["label"] == a["chosen"]) for a in adopted]
    assert stats["monthly_usd_adopted"] == pytest.approx(sum(o["monthly_usd"] for o in chosen), abs=0.01)
    assert stats["adopted_priced"] == 2
    local = sum(a["local"]["monthly_usd"] for a in answers if a.get("local"))
    assert stats["monthly_usd_considered"]["local"] == pytest.approx(local, abs=0.01)
    assert stats["monthly_usd_considered"]["cloud"] == pytest.approx(
        sum(a["cloud"]["monthly_usd"] for a in answers), abs=0.01
    )
    text = cli("decisions", "stats").output
    assert "3 decisions (every answer logged: refinements and quick estimates count too)" in text
    assert f"${local:,.0f} for the best self-hosted options" in text
    assert f"the options the 2 adopted decision(s) chose: ${stats['monthly_usd_adopted']:,.0f} a month" in text
