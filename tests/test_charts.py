"""The cost chart: a real PNG whose axes span the volumes priced and whose marks sit where the answer says."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.charts import RULED_OUT, cost_curves, draw_cost_chart, save_png
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.workload import Workload

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
