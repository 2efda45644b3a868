"""Pictures of an answer: what each way of serving it costs from a tenth to ten times the volume.

The numbers come from the checker, re-assessed at each volume; the picture is drawn with
matplotlib in headless mode, imported only when a chart is drawn, so answers without one
never load it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.assessment import Assessment, ServingOption
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.workload import Workload

if TYPE_CHECKING:
    from matplotlib.figure import Figure

POINTS = 25
RANGE = (0.1, 10.0)
"""The volumes drawn, as multiples of the team's own."""
KINDS = {"buy": "buy hardware", "owned": "hardware you own", "rent": "rent GPUs", "api": "API", "hybrid": "hybrid"}
RULED_OUT = "cheapest that does not meet your needs"


@dataclass(frozen=True)
class CostCurves:
    """Monthly cost of the cheapest option of each kind that meets the needs, at each volume."""

    tokens_per_day: list[float]
    per: str
    """What the costs are for: "a month", or "the whole job" for a one-off."""
    series: dict[str, list[float | None]] = field(default_factory=dict)
    """By kind of option ("API", "rent GPUs", ...), with the cheapest ruled-out option as its own series."""
    team_tokens_per_day: float = 0.0
    break_even_tokens_per_day: float | None = None


def cost_curves(workload: Workload, assessment: Assessment, kb: KnowledgeBase) -> CostCurves:
    """The assessment's options re-priced from a tenth to ten times the volume."""
    team = _tokens_per_day(assessment)
    factors = [RANGE[0] * (RANGE[1] / RANGE[0]) ** (i / (POINTS - 1)) for i in range(POINTS)]
    names = [*KINDS.values(), RULED_OUT]
    series: dict[str, list[float | None]] = {name: [] for name in names}
    for factor in factors:
        options = assess(_scaled(workload, assessment, factor), kb).options
        for name, cost in _cheapest_by_kind(options).items():
            series[name].append(cost)
    one_off = any(o.job_usd is not None for o in assessment.options)
    return CostCurves(
        tokens_per_day=[team * f for f in factors],
        per="the whole job" if one_off else "a month",
        series={name: costs for name, costs in series.items() if any(c is not None for c in costs)},
        team_tokens_per_day=team,
        break_even_tokens_per_day=assessment.break_even_tokens_per_day,
    )


def _cheapest_by_kind(options: list[ServingOption]) -> dict[str, float | None]:
    found: dict[str, float | None] = dict.fromkeys([*KINDS.values(), RULED_OUT])
    for option in options:
        name = KINDS[option.kind] if option.meets_needs else RULED_OUT
        cost = option.cost_usd
        if found[name] is None or cost < found[name]:  # type: ignore[operator]
            found[name] = cost
    return found


def _tokens_per_day(a: Assessment) -> float:
    per_request = float(a.workload["input_tokens"].value) + float(a.workload["output_tokens"].value)
    return float(a.workload["requests_per_day"].value) * per_request


def _scaled(workload: Workload, assessment: Assessment, factor: float) -> Workload:
    """The same workload at `factor` times the volume the answer used (a stated peak scales with it)."""
    changes: dict[str, float | None] = {
        "requests_per_day": float(assessment.workload["requests_per_day"].value) * factor,
        "tokens_per_day": None,
    }
    if workload.peak_requests_per_s is not None:
        changes["peak_requests_per_s"] = workload.peak_requests_per_s * factor
    return workload.model_copy(update=changes)


def draw_cost_chart(curves: CostCurves) -> Figure:
    """Cost against volume on log axes: each kind of option, the team's volume and the break-even marked."""
    from matplotlib.figure import Figure  # headless: a Figure needs no display or pyplot state

    figure = Figure(figsize=(7.5, 4.2), dpi=100, layout="constrained")
    axes = figure.subplots()
    for name, costs in curves.series.items():
        points = [(x, y) for x, y in zip(curves.tokens_per_day, costs, strict=True) if y]
        if not points:
            continue
        greyed = name == RULED_OUT
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, label=name, linewidth=2, color="0.7" if greyed else None, linestyle=":" if greyed else "-")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(curves.tokens_per_day[0], curves.tokens_per_day[-1])
    axes.axvline(curves.team_tokens_per_day, color="black", linewidth=1, label="your volume", gid="team-volume")
    if (even := curves.break_even_tokens_per_day) and curves.tokens_per_day[0] <= even <= curves.tokens_per_day[-1]:
        axes.axvline(even, color="black", linestyle="--", linewidth=1, label="break-even", gid="break-even")
    axes.set_xlabel("tokens a day")
    axes.set_ylabel(f"US dollars {'for ' if curves.per != 'a month' else ''}{curves.per}")
    axes.set_title("What each way of serving it costs")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(fontsize="small", loc="upper left")
    return figure


def save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, format="png")
