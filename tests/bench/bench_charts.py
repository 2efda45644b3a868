"""Benchmark of an answer's pictures and what its verdict hinges on, on one core.

Run with `./dev bench` (or `python -m tests.bench.bench_charts`); prints figures, asserts nothing.
Targets (issue 15): under 300 ms to draw a chart to PNG once matplotlib is imported (the import is
timed apart: `ask` without `--chart` never pays it); the sensitivity search is timed too, since every
answer people read carries it.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from bot.check.assess import assess
from bot.check.sensitivity import sensitivity
from bot.knowledge.loader import load_knowledge
from bot.resources import data_dir
from tests.bench.workloads import workload_mix

WORKLOADS = 12


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    kb = load_knowledge(data_dir("knowledge"))
    started = time.perf_counter()
    from bot.charts import cost_curves, draw_cost_chart, draw_tornado, png_bytes

    png_bytes(draw_cost_chart(cost_curves(*_answered(kb, 0), kb)))  # the first draw loads fonts and backends
    first = time.perf_counter() - started
    answers = [_answered(kb, seed) for seed in range(WORKLOADS)]
    rows = []
    curves = _timed(lambda w, a: cost_curves(w, a, kb), answers)
    hinges = _timed(lambda w, a: rows.append(sensitivity(w, kb)), answers)
    costs = _timed(lambda w, a: png_bytes(draw_cost_chart(cost_curves(w, a, kb))), answers)
    tornado = _timed(lambda w, a: png_bytes(draw_tornado(sensitivity(w, kb))), answers)
    print(f"charts: import and first draw {first * 1000:,.0f} ms (once a process; never without --chart)")
    print(f"charts: cost curves (25 assessments) {_ms(curves)}; sensitivity search {_ms(hinges)}")
    print(f"charts: cost chart to PNG, curves included {_ms(costs)}; tornado to PNG, search included {_ms(tornado)}")
    print(f"charts: drawing alone, cost chart {_ms(_less(costs, curves))}; tornado {_ms(_less(tornado, hinges))}")
    print(f"charts: over {WORKLOADS} varied workloads, median (max); target under 300 ms a chart after import")


def _answered(kb: object, seed: int) -> tuple[object, object]:
    for workload in workload_mix(200, seed=seed):
        try:
            return workload, assess(workload, kb)  # type: ignore[arg-type]
        except (LookupError, ValueError):
            continue
    raise RuntimeError("no workload in the mix could be assessed")


def _timed(step: Callable[[object, object], object], answers: list[tuple[object, object]]) -> list[float]:
    times = []
    for workload, answer in answers:
        started = time.perf_counter()
        step(workload, answer)
        times.append(time.perf_counter() - started)
    return times


def _less(whole: list[float], part: list[float]) -> list[float]:
    return [max(0.0, w - p) for w, p in zip(whole, part, strict=True)]


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:,.0f} ms ({max(times) * 1000:,.0f})"


if __name__ == "__main__":
    main()
