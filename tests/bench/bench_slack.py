"""Benchmark of the Slack app as it runs in production: `localcheck serve --http` (gunicorn) as a process.

Run with `./dev bench`; prints figures, asserts nothing. Signed requests go to 127.0.0.1; a fake of
Slack's Web API records what the bot posts, and when. No model runs (nothing listens at OLLAMA_HOST,
so the template writes), so the figures are the bot's own work:

- one mention at a time: event to card posted;
- a burst of 500 mentions sent at the same instant, each on its own connection: how many were
  acknowledged (HTTP 200) and how fast, how many answered (a card in the thread) and how long each
  waited for its card, and how many were lost (a connection error, or never answered).
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.fakes.slack_api import Call, FakeSlack, _post
from tests.slack.served import burst, mention, serve, stop
from tests.slack.test_production import BURST

QUESTION = "about {n}k requests a day on llama3.1:8b for ticket triage, 2 SREs run our servers"
LATENCY_SAMPLES = 40
ANSWERED_WITHIN_S = 600


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        card_posted: dict[str, float] = {}

        def post(call: Call) -> dict[str, Any]:
            if call.params.get("blocks"):
                card_posted[str(call.params.get("thread_ts"))] = time.monotonic()
            return _post(slack, call)

        slack.respond("chat.postMessage", post)
        served = serve(slack, Path(folder), "--http")
        try:
            one_by_one = []
            for n in range(LATENCY_SAMPLES):
                started = time.monotonic()
                ts = served.bot.mention(QUESTION.format(n=n), ts=f"1600000000.{n:06d}")[1]
                slack.wait_for("chat.stopStream", count=n + 1, timeout=30)
                one_by_one.append(card_posted[ts] - started)
            requests = [mention(QUESTION.format(n=n), f"1700000000.{n:06d}") for n in range(BURST)]
            sent = time.monotonic()
            replies = burst(served.url, requests)
            acknowledged = time.monotonic() - sent
            with contextlib.suppress(TimeoutError):  # what never arrived is counted as lost below
                slack.wait_for("chat.stopStream", count=LATENCY_SAMPLES + BURST, timeout=ANSWERED_WITHIN_S)
            answered = time.monotonic() - sent
        finally:
            stop(served)
    to_card = sorted(card_posted[ts] - sent for ts in card_posted if ts.startswith("1700000000."))
    acks = sorted(seconds for status, seconds in replies if status == 200)
    lost = BURST - len(to_card)
    print(
        f"slack: event to card posted p50 {statistics.median(one_by_one) * 1000:.0f} ms, "
        f"p95 {_p95(one_by_one) * 1000:.0f} ms over {LATENCY_SAMPLES} mentions one at a time "
        "(localcheck serve --http, template writer)"
    )
    print(
        f"slack: burst of {BURST} mentions at once: {len(acks)} acknowledged (p50 {statistics.median(acks):.2f} s, "
        f"p95 {_p95(acks):.2f} s, all in {acknowledged:.1f} s), {len(to_card)} answered "
        f"(card p50 {statistics.median(to_card):.1f} s, p95 {_p95(to_card):.1f} s, all in {answered:.1f} s), "
        f"{lost} lost",
    )


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


if __name__ == "__main__":
    main()
