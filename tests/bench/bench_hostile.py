"""The hostile-input summary: what attackers and careless users could make the bot do.

Each area's hook (`tests/bench/hostile_*.py`) runs its hostile cases through the real surfaces
(signed and unsigned HTTP requests to the Slack app, CLI processes, the fake model servers) and
counts what went wrong. This adds them up into the figures the README promises: requests that
acted without verification, rows lost, tracebacks, misreadings, hostile texts shown (all zero)
and the longest stall (under a second).
"""

from __future__ import annotations

import importlib
import time

AREAS = ("slack", "log", "input", "writer")
COUNTS = ("unverified_actions", "rows_lost", "tracebacks", "misread", "hostile_texts_shown")


def main() -> None:
    totals: dict[str, float] = dict.fromkeys(COUNTS, 0)
    cases, stall, by_area = 0, 0.0, []
    for area in AREAS:
        started = time.perf_counter()
        figures = importlib.import_module(f"tests.bench.hostile_{area}").measure()
        cases += int(figures.get("cases", 0))
        stall = max(stall, figures.get("longest_stall_s", 0.0))
        for name in COUNTS:
            totals[name] += figures.get(name, 0)
        by_area.append(f"{area} {int(figures.get('cases', 0))} in {time.perf_counter() - started:.0f} s")
    counted = ", ".join(f"{name.replace('_', ' ')} {int(value)}" for name, value in totals.items())
    print(f"hostile input: {cases} cases ({'; '.join(by_area)}): {counted}; longest stall {stall:.2f} s")


if __name__ == "__main__":
    main()
