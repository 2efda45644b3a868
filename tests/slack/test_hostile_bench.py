"""The hostile-input benchmark's own run: every case tried, none acted, nothing stalled."""

from __future__ import annotations

from tests.bench.hostile_slack import measure


def test_the_hostile_benchmark_finds_nothing_that_acted() -> None:
    figures = measure()
    assert figures["cases"] >= 40
    assert figures["unverified_actions"] == 0 and figures["tracebacks"] == 0
    assert figures["longest_stall_s"] < 2
