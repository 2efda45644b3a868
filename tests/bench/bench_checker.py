"""Benchmark of the checker: assessments per second on one core, and the speed model's error.

Run with `./dev bench` (or `python -m tests.bench.bench_checker`); prints figures, asserts nothing.
Targets (issue 3): >= 2,000 assessments/s on one core; median decode error <= 15% on held-out points.
Issue 12: held-out errors for single-stream decode, batched throughput and prefill, beside a naive
roofline (peak bandwidth for decode, peak FLOPS for prefill and batching, no overheads).
"""

from __future__ import annotations

import os
import statistics
import time

from bot.check.assess import assess
from bot.check.calibration import measure_errors, out_of_memory_predictions
from bot.check.predicting import MEASURES, PointError
from bot.knowledge.loader import load_knowledge
from bot.resources import data_dir
from tests.bench.workloads import workload_mix

MIX = 2_000
ROUNDS = 5


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    kb = load_knowledge(data_dir("knowledge"))
    workloads = workload_mix(MIX)
    started = time.perf_counter()
    for workload in workloads:  # the first pass fills the caches a running bot keeps warm
        assess(workload, kb)
    cold = time.perf_counter() - started
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for workload in workloads:
            assess(workload, kb)
        rates.append(MIX / (time.perf_counter() - started))
    print(
        f"checker: {statistics.median(rates):,.0f} assessments/s on one core "
        f"(median of {ROUNDS} rounds over {MIX:,} varied workloads; "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}; first pass {MIX / cold:,.0f}/s)"
    )

    for held_out in (True, False):
        label = "held-out" if held_out else "training"
        for measure in MEASURES:
            fitted = _spread(measure_errors(kb, measure, held_out=held_out))
            naive = _spread(measure_errors(kb, measure, held_out=held_out, naive=True))
            print(
                f"speed model, {label} points, {measure}: median error {fitted[0]:.1%} (p90 {fitted[1]:.1%}) "
                f"over {fitted[2]} measurements; naive roofline {naive[0]:.1%} (p90 {naive[1]:.1%})"
            )
    oom = out_of_memory_predictions(kb)
    print(f"out-of-memory: {sum(ok for _, ok in oom)} of {len(oom)} published failures predicted")


def _spread(errors: list[PointError]) -> tuple[float, float, int]:
    """Median and 90th percentile of the absolute relative errors, and how many."""
    absolute = [abs(e.relative_error) for e in errors]
    return statistics.median(absolute), statistics.quantiles(absolute, n=10)[-1], len(absolute)


if __name__ == "__main__":
    main()
