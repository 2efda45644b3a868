"""Benchmark of the checker: assessments per second on one core, and the speed model's error.

Run with `./dev bench` (or `python -m tests.bench.bench_checker`); prints figures, asserts nothing.
Targets (issue 3): >= 2,000 assessments/s on one core; median decode error <= 15% on held-out points.
"""

from __future__ import annotations

import os
import statistics
import time

from bot.check.assess import assess
from bot.check.calibration import decode_errors, out_of_memory_predictions
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
        errors = [abs(e.relative_error) for e in decode_errors(kb, held_out=held_out)]
        label = "held-out" if held_out else "training"
        print(
            f"speed model, {label} points: median decode error {statistics.median(errors):.1%} "
            f"over {len(errors)} measurements (p90 {statistics.quantiles(errors, n=10)[-1]:.1%})"
        )
    oom = out_of_memory_predictions(kb)
    print(f"out-of-memory: {sum(ok for _, ok in oom)} of {len(oom)} published failures predicted")


if __name__ == "__main__":
    main()
