"""A team that works in euros (or pounds, francs, ...) reads every amount in it, at the dated rate of
knowledge/currencies.yaml; the log keeps US dollars, and the writer's check holds the text to the converted
figures."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.check.assess import assess
from bot.currency import localised, shown_in
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.write import checked_template
from bot.write.check import problems
from bot.write.template import template_text
from tests.conftest import CliRun
from tests.fakes.ollama import FakeOllama
from tests.strategies import workloads

QUESTION = (
    "we push about 2M tokens a day through gpt-5.4-mini for support tickets; the tickets contain customer PII "
    "and nobody here runs servers"
)
DOLLARS = re.compile(r"(?<![A-Za-z])\$\d")


def amounts(text: str, symbol: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(re.escape(symbol) + r"\s?(\d[\d,]*(?:\.\d+)?)", text)]


def test_ask_with_a_currency_shows_every_amount_in_it_and_logs_dollars(cli: CliRun, kb: KnowledgeBase) -> None:
    in_dollars = cli("ask", "--no-llm", QUESTION).output
    in_euros = cli("ask", "--no-llm", "--currency", "EUR", QUESTION)
    assert in_euros.exit_code == 0, in_euros.output
    text = in_euros.output
    assert not DOLLARS.search(text), "a dollar amount is left in a euro answer"
    rate = kb.currencies["EUR"].usd_per_unit
    # The chosen option's monthly cost, line for line: the dollar figure over the table's rate.
    dollars = amounts(next(line for line in in_dollars.splitlines() if line.startswith("> ")), "$")[0]
    euros = amounts(next(line for line in text.splitlines() if line.startswith("> ")), "€")[0]
    assert euros == pytest.approx(dollars / rate, rel=0.002)
    assert "Amounts in EUR at 1.0824 USD per EUR (European Central Bank" in text and "2024-12-31" in text
    log = DecisionLog(Path(os.environ["LOCALCHECK_DB"]))
    first, second = (log.get(d.id) for d in sorted(log.list(), key=lambda d: d.id))
    assert second.local_monthly_usd == first.local_monthly_usd  # the log keeps US dollars
    assert second.assessment is not None and second.assessment.shown_in is None
    assert "$" in second.assessment.findings[1].summary


def test_json_keeps_dollars_and_says_the_currency(cli: CliRun) -> None:
    plain = json.loads(cli("ask", "--no-llm", "--json", QUESTION).output)
    euros = json.loads(cli("ask", "--no-llm", "--json", "--currency", "eur", QUESTION).output)
    assert euros["options"] == plain["options"]  # the data stays in US dollars
    assert euros["shown_in"]["code"] == "EUR" and euros["shown_in"]["as_of"] == "2024-12-31"
    assert plain["shown_in"] is None
    assert "€" in euros["recommendation"] and not DOLLARS.search(euros["recommendation"])


@pytest.mark.parametrize(
    ("text", "code", "symbol"),
    [
        ("2M tokens a day on gpt-4o-mini; electricity is 0.30 EUR/kWh", "EUR", "€"),
        ("2M tokens a day on gpt-4o-mini, we pay £80/h for engineers", "GBP", "£"),
        ("2M tokens a day on gpt-4o-mini; engineers cost 95 CHF an hour", "CHF", "CHF "),
        ("our bill is €4k a month on gpt-4o-mini", "EUR", "€"),
        ("2M tokens a day on gpt-4o-mini, power costs 0.25 euros per kWh", "EUR", "€"),
    ],
)
def test_a_price_written_in_a_currency_answers_in_it(cli: CliRun, text: str, code: str, symbol: str) -> None:
    result = cli("ask", "--no-llm", text)
    assert result.exit_code == 0, result.output
    assert f"Amounts in {code} at" in result.output
    assert symbol in result.output and not DOLLARS.search(result.output.split("Knowledge base")[0])


def test_a_price_is_read_at_the_tables_rate_and_the_team_words_are_quoted_as_written(kb: KnowledgeBase) -> None:
    read = parse("2M tokens a day; electricity is 0.30 EUR/kWh and engineers cost £80/h", kb)
    assert read.workload.electricity_usd_per_kwh == pytest.approx(0.30 * kb.currencies["EUR"].usd_per_unit)
    assert read.workload.engineer_hourly_usd == pytest.approx(80 * kb.currencies["GBP"].usd_per_unit)
    assert read.currency == "EUR"  # the first price's
    shown = localised(assess(read.workload, kb), shown_in(kb, "EUR"))
    assert shown.workload["electricity_usd_per_kwh"].span == "0.30 EUR/kWh"
    assert parse("2M tokens a day at $0.20/kWh", kb).currency is None


def test_an_unknown_currency_is_one_line_naming_those_we_know(cli: CliRun) -> None:
    result = cli("ask", "--no-llm", "--currency", "XYZ", QUESTION)
    assert result.exit_code != 0
    assert "--currency: 'XYZ' is not a currency we have a rate for; we know" in result.output
    assert "EUR" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("code", ["EUR", "GBP", "CHF", "JPY"])
def test_the_writer_check_accepts_the_converted_figures_and_refuses_dollars(kb: KnowledgeBase, code: str) -> None:
    workload = parse(QUESTION, kb).workload
    shown = localised(assess(workload, kb), shown_in(kb, code))
    text = template_text(shown)
    assert problems(text, shown, kb) == [], text
    assert checked_template(shown, kb) == text
    chosen = next(o for o in shown.options if o.label == shown.chosen)
    symbol = kb.currencies[code].symbol
    euros = f"{chosen.cost_usd / kb.currencies[code].usd_per_unit:,.0f}"
    assert f"{symbol}{' ' if symbol[-1].isalpha() else ''}{euros}" in text
    dollars = f"Run it locally [data-residency-and-regulation]: ${chosen.cost_usd:,.0f} a month."
    assert any("another currency" in p for p in problems(dollars, shown, kb))


def test_every_template_in_any_currency_passes_the_check(kb: KnowledgeBase) -> None:
    @hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(workloads(), st.sampled_from(sorted(kb.currencies)))
    def check(workload, code) -> None:  # type: ignore[no-untyped-def]
        shown = localised(assess(workload, kb), shown_in(kb, code))
        text = template_text(shown)
        assert problems(text, shown, kb) == [], text

    check()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda rows: [r for r in rows if r["id"] != "USD"], "USD must be listed"),
        (lambda rows: [{**r, "usd_per_unit": -1} if r["id"] == "EUR" else r for r in rows], "greater than 0"),
        (lambda rows: [{**r, "as_of": "soon"} if r["id"] == "GBP" else r for r in rows], "as_of"),
        (lambda rows: [{**r, "spellings": ["€"]} if r["id"] == "GBP" else r for r in rows], "'€' also names EUR"),
    ],
)
def test_a_bad_rate_table_is_named(knowledge_copy: Path, cli: CliRun, change: object, says: str) -> None:
    path = knowledge_copy / "currencies.yaml"
    rows = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump(change(rows), allow_unicode=True))  # type: ignore[operator]
    result = cli("knowledge", "check", env={"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)})
    assert result.exit_code != 0 and "currencies.yaml" in result.output and says in result.output, result.output


def euro_writer(amount: str) -> object:
    """A model that reads nothing extra and writes the verdict with the chosen option's cost as `amount`
    says it: "as given" repeats the prompt's euro figure rounded, "in dollars" the logged dollar one."""

    def reply(request: dict) -> str:  # type: ignore[type-arg]
        if "Fields to fill" in request["messages"][-1]["content"]:
            return "{}"
        prompt = next(m["content"] for m in request["messages"] if "Options, cheapest first" in m["content"])
        chosen = next(line for line in prompt.splitlines() if line.startswith("- * "))
        euros = float(re.search(r"€([\d,]+\.\d\d)", chosen)[1].replace(",", ""))  # type: ignore[index]
        said = f"€{euros:,.0f}" if amount == "as given" else f"${euros * 1.0824:,.0f}"
        cite = prompt[prompt.index("[") : prompt.index("]") + 1]
        return f"Verdict: run it locally.\nTradeoffs:\n- It costs {said} a month {cite}.\nNext step: pilot it."

    return reply


def test_a_model_writing_euros_passes_the_check_and_one_writing_dollars_does_not(
    cli: CliRun, fake_ollama: FakeOllama
) -> None:
    fake_ollama.replies = [euro_writer("as given")]
    answer = json.loads(cli("ask", "--json", "--currency", "EUR", QUESTION).output)
    assert answer["writer"] == "ollama:llama3.1:8b", answer["fallback_reason"]
    assert "€" in answer["recommendation"]
    fake_ollama.replies = [euro_writer("in dollars")]
    answer = json.loads(cli("ask", "--json", "--currency", "EUR", QUESTION).output)
    assert answer["writer"] == "template" and "another currency" in answer["fallback_reason"]
    assert "the answer is in EUR" in answer["fallback_reason"]
