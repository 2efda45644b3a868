"""The cost chart: a real PNG whose axes span the volumes priced and whose marks sit where the answer says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.charts import KINDS, RULED_OUT, cost_curves, draw_cost_chart, draw_tornado, save_png
from bot.check.assess import assess
from bot.check.sensitivity import sensitivity
from bot.currency import shown_in
from bot.knowledge.loader import KnowledgeBase
from bot.workload import Workload
from tests.conftest import REPO, CliRun

# Local on cost under GDPR: the cheapest hosts keep no data in the EU, so a break-even exists.
EU_TRIAGE = Workload(
    requests_per_day=2_000_000, model="llama3.1:8b", data_policy="in-region", data_reasons=["gdpr"], ops_staff=2
)


def marks(figure: object) -> dict[str, float]:
    axes = figure.axes[0]  # type: ignore[attr-defined]
    return {line.get_gid(): line.get_xdata()[0] for line in axes.get_lines() if line.get_gid()}


def test_the_chart_is_a_png_spanning_a_tenth_to_ten_times_the_volume(kb: KnowledgeBase, tmp_path: Path) -> None:
    answer = assess(EU_TRIAGE, kb)
    curves = cost_curves(EU_TRIAGE, answer, kb)
    figure = draw_cost_chart(curves)
    path = tmp_path / "chart.png"
    save_png(figure, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    low, high = figure.axes[0].get_xlim()
    team = 2_000_000 * (800 + 250)
    assert low == pytest.approx(team / 10) and high == pytest.approx(team * 10)
    assert marks(figure)["team-volume"] == pytest.approx(team)


def test_the_break_even_mark_sits_where_the_assessment_puts_it(kb: KnowledgeBase) -> None:
    answer = assess(EU_TRIAGE, kb)
    assert answer.break_even_tokens_per_day is not None
    figure = draw_cost_chart(cost_curves(EU_TRIAGE, answer, kb))
    assert marks(figure)["break-even"] == pytest.approx(answer.break_even_tokens_per_day)


def test_options_that_do_not_meet_the_needs_are_drawn_apart_in_grey(kb: KnowledgeBase) -> None:
    answer = assess(EU_TRIAGE, kb)
    curves = cost_curves(EU_TRIAGE, answer, kb)
    assert RULED_OUT in curves.series and "API" in curves.series
    lines = {line.get_label(): line for line in draw_cost_chart(curves).axes[0].get_lines()}
    assert lines[RULED_OUT].get_color() == "0.7"
    # the API that meets the needs costs more than the one ruled out, at every volume
    assert all(a > r for a, r in zip(curves.series["API"], curves.series[RULED_OUT], strict=True) if a and r)


def test_a_one_off_job_is_charted_whole(kb: KnowledgeBase) -> None:
    job = Workload(tokens_per_day=70_000_000, model="llama3.1:8b", batch=True, one_off_months=1.5, ops_staff=2)
    curves = cost_curves(job, assess(job, kb), kb)
    assert curves.per == "the whole job"
    assert "whole job" in draw_cost_chart(curves).axes[0].get_ylabel()


def test_the_costs_are_the_assessments_own_at_the_teams_volume(kb: KnowledgeBase) -> None:
    """The curves re-run the checker: at the middle point (the team's volume) each series is the
    cheapest option of its kind in the answer itself."""
    answer = assess(EU_TRIAGE, kb)
    curves = cost_curves(EU_TRIAGE, answer, kb)
    middle = len(curves.tokens_per_day) // 2
    assert curves.tokens_per_day[middle] == pytest.approx(curves.team_tokens_per_day)
    for option in answer.options:
        if option.meets_needs:
            series = curves.series[KINDS[option.kind]]
            assert series[middle] is not None and series[middle] <= option.cost_usd + 0.01


def test_a_euro_team_gets_the_chart_in_euros(kb: KnowledgeBase) -> None:
    answer = assess(EU_TRIAGE, kb)
    curves = cost_curves(EU_TRIAGE, answer, kb)
    euros = shown_in(kb, "EUR")
    axes = draw_cost_chart(curves, euros).axes[0]
    api = next(line for line in axes.get_lines() if line.get_label() == "API")
    dollars = [c for c in curves.series["API"] if c]
    assert list(api.get_ydata()) == pytest.approx([c / euros.usd_per_unit for c in dollars])
    assert axes.get_ylabel() == "EUR a month"


def test_the_tornado_marks_each_flip_where_the_sensitivity_puts_it(kb: KnowledgeBase) -> None:
    rows = sensitivity(EU_TRIAGE, kb)
    axes = draw_tornado(rows).axes[0]
    drawn = {item.get_gid(): item for item in [*axes.get_lines(), *axes.patches] if item.get_gid()}
    flips = 0
    for row in rows:
        bar = drawn[f"holds-{row.what}"]
        assert bar.get_x() == pytest.approx(row.holds_from / row.today)
        assert bar.get_x() + bar.get_width() == pytest.approx(row.holds_to / row.today)
        for side, flip in (("below", row.below), ("above", row.above)):
            if flip is not None:
                assert drawn[f"flip-{row.what}-{side}"].get_xdata()[0] == pytest.approx(flip.value / row.today)
                flips += 1
    assert flips >= 5
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    assert labels[-1] == rows[0].label  # the narrowest on top


QUESTION = "2M requests a day on llama3.1:8b; the data is personal and must stay in the EU; we have 2 SREs"


def test_ask_chart_writes_both_pngs_and_says_where(cli: CliRun, tmp_path: Path) -> None:
    path = tmp_path / "answer.png"
    result = cli("ask", "--no-llm", "--json", "--currency", "GBP", "--chart", str(path), QUESTION)
    assert result.exit_code == 0, result.output
    tornado = tmp_path / "answer-tornado.png"
    for png in (path, tornado):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    answer = json.loads(result.stdout)
    assert answer["charts"] == [str(path), str(tornado)]


def test_a_chart_that_cannot_be_written_costs_a_note_not_the_answer(cli: CliRun, tmp_path: Path) -> None:
    result = cli("ask", "--no-llm", "--chart", str(tmp_path / "missing" / "dir" / "c.png"), QUESTION)
    assert result.exit_code == 0
    assert "--chart: could not write" in result.stderr and "Traceback" not in result.output
    assert result.stdout.startswith("Go hybrid") or "Why:" in result.stdout


def test_an_answer_without_a_chart_never_loads_matplotlib() -> None:
    """`ask --no-llm` stays quick: the plotting library is imported only to draw."""
    script = (
        "import sys; from typer.testing import CliRunner; from bot.cli import app;"
        f"r = CliRunner().invoke(app, ['ask', '--no-llm', {QUESTION!r}]);"
        "assert r.exit_code == 0, r.output; print('matplotlib' in sys.modules)"
    )
    env = {**os.environ, "LOCALCHECK_DB": os.environ["LOCALCHECK_DB"]}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPO, check=True)
    assert done.stdout.strip() == "False"
