"""Pictures of an answer: what each way of serving it costs from a tenth to ten times the volume, and a
tornado of how far each assumption may move before the verdict turns.

The costs come from the checker, re-assessed at each volume (the same numbers as the answer's); the
tornado draws the answer's own `sensitivity`. The pictures are drawn with matplotlib in headless mode
(a bare Figure, no pyplot), imported only when a chart is drawn, so answers without one never load it.
An answer's charts are two PNG files: the costs, and the tornado beside it (`chart_files`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.assessment import Assessment, Sensitivity, ServingOption, ShownIn
from bot.check.assess import assess
from bot.check.sensitivity import at_volume
from bot.knowledge.loader import KnowledgeBase
from bot.units import tokens_from_requests
from bot.workload import Workload

if TYPE_CHECKING:
    from matplotlib.figure import Figure

POINTS = 25
RANGE = (0.1, 10.0)
"""The volumes drawn, as multiples of the team's own."""
KINDS = {"buy": "buy hardware", "owned": "hardware you own", "rent": "rent GPUs", "api": "API", "hybrid": "hybrid"}
RULED_OUT = "cheapest that does not meet your needs"
TORNADO_RANGE = (0.08, 12.5)
TORNADO_TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10)
TORNADO_SUFFIX = "-tornado"
"""`ask --chart costs.png` writes the tornado to costs-tornado.png."""


@dataclass(frozen=True)
class CostCurves:
    """Monthly cost of the cheapest option of each kind that meets the needs, at each volume."""

    tokens_per_day: list[float]
    per: str
    """What the costs are for: "a month", or "the whole job" for a one-off."""
    series: dict[str, list[float | None]] = field(default_factory=dict)
    """By kind of option ("API", "rent GPUs", ...), with the cheapest ruled-out option as its own series;
    in US dollars."""
    team_tokens_per_day: float = 0.0
    break_even_tokens_per_day: float | None = None


def cost_curves(workload: Workload, assessment: Assessment, kb: KnowledgeBase) -> CostCurves:
    """The assessment's options re-priced from a tenth to ten times the volume."""
    team = _tokens_per_day(assessment)
    requests = float(assessment.workload["requests_per_day"].value)
    factors = [RANGE[0] * (RANGE[1] / RANGE[0]) ** (i / (POINTS - 1)) for i in range(POINTS)]
    names = [*KINDS.values(), RULED_OUT]
    series: dict[str, list[float | None]] = {name: [] for name in names}
    for factor in factors:
        options = assess(at_volume(workload, requests, factor), kb).options
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
    fields = a.workload
    sizes = int(fields["input_tokens"].value), int(fields["output_tokens"].value)
    return tokens_from_requests(float(fields["requests_per_day"].value), *sizes)


def draw_cost_chart(curves: CostCurves, shown_in: ShownIn | None = None) -> Figure:
    """Cost against volume on log axes, in the team's currency: each kind of option, the team's volume and
    the break-even marked."""
    from matplotlib.figure import Figure  # headless: a Figure needs no display or pyplot state

    rate = shown_in.usd_per_unit if shown_in else 1.0
    figure = Figure(figsize=(7.5, 4.2), dpi=100)
    figure.subplots_adjust(left=0.11, right=0.97, bottom=0.12, top=0.92)  # fixed: a layout engine doubles the time
    axes = figure.subplots()
    for name, costs in curves.series.items():
        points = [(x, y / rate) for x, y in zip(curves.tokens_per_day, costs, strict=True) if y]
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
    unit = shown_in.code if shown_in and shown_in.code != "USD" else "US dollars"
    axes.set_ylabel(f"{unit} {'for ' if curves.per != 'a month' else ''}{curves.per}")
    axes.set_title("What each way of serving it costs")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(fontsize="small", loc="upper left")
    return figure


def draw_tornado(rows: list[Sensitivity]) -> Figure:
    """How far each assumption may move, as a multiple of today's value, before the verdict turns: a bar
    over the range where it holds, narrowest on top, and a mark where it flips."""
    from matplotlib.figure import Figure

    drawn = [row for row in rows if row.today > 0]
    height = 0.5 * len(drawn) + 1.4
    figure = Figure(figsize=(7.5, height), dpi=100)
    figure.subplots_adjust(left=0.33, right=0.97, bottom=0.65 / height, top=1 - 0.4 / height)
    axes = figure.subplots()
    for place, row in enumerate(reversed(drawn)):  # barh draws bottom up: the narrowest ends on top
        low, high = row.holds_from / row.today, row.holds_to / row.today
        turns = row.below is not None or row.above is not None
        axes.barh(
            place, high - low, left=low, height=0.6, color="tab:blue" if turns else "0.8", gid=f"holds-{row.what}"
        )
        for side, flip in (("below", row.below), ("above", row.above)):
            if flip is not None:
                at = flip.value / row.today
                axes.plot(at, place, marker="|", markersize=18, color="tab:red", gid=f"flip-{row.what}-{side}")
    axes.set_yticks(range(len(drawn)), [row.label for row in reversed(drawn)])
    axes.set_xscale("log")
    axes.set_xlim(*TORNADO_RANGE)
    axes.set_xticks(TORNADO_TICKS, [f"{tick:g}x" for tick in TORNADO_TICKS])
    axes.minorticks_off()
    axes.axvline(1.0, color="black", linewidth=1, gid="today")
    axes.set_xlabel("times today's value (red: where it flips; grey: it holds over all values tried)")
    axes.set_title("Where the verdict holds")
    axes.grid(True, axis="x", which="major", alpha=0.3)
    return figure


def chart_files(
    workload: Workload, assessment: Assessment, kb: KnowledgeBase, shown_in: ShownIn | None
) -> list[tuple[str, bytes]]:
    """An answer's charts as PNG files, by name: the costs, and the tornado when the answer has a sensitivity."""
    figures = [("costs.png", draw_cost_chart(cost_curves(workload, assessment, kb), shown_in))]
    if assessment.sensitivity:
        figures.append((f"costs{TORNADO_SUFFIX}.png", draw_tornado(assessment.sensitivity)))
    return [(name, png_bytes(figure)) for name, figure in figures]


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, format="png")


def beside(path: Path, name: str) -> Path:
    """Where `ask --chart FILE.png` writes a chart: the costs to FILE.png, the tornado to FILE-tornado.png."""
    suffix = name.removeprefix("costs").removesuffix(".png")
    return path.with_name(f"{path.stem}{suffix}{path.suffix}")
