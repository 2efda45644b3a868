"""Benchmark of the Slack app: time from event received to card posted, and a burst of 200 mentions.

Run with `./dev bench`; prints figures, asserts nothing. The real Bolt app in HTTP mode answers
signed requests on 127.0.0.1; a fake of Slack's Web API records what it posts. No model runs (the
template writes), so the figures are the bot's own work.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.resources import data_dir
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import posted_cards, start_bot

QUESTION = "about {n}k requests a day on llama3.1:8b for ticket triage, 2 SREs run our servers"
LATENCY_SAMPLES = 40
BURST = 200


def main() -> None:
    kb = load_knowledge(data_dir("knowledge"))
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        bot = start_bot(kb, slack, Path(folder) / "decisions.db", ollama_host="http://127.0.0.1:9")
        latencies = []
        for i in range(LATENCY_SAMPLES):
            started = time.perf_counter()
            bot.mention(QUESTION.format(n=10 + i))
            slack.wait_for("chat.postMessage", count=i + 1, timeout=30)
            latencies.append(time.perf_counter() - started)
            slack.wait_for("chat.stopStream", count=i + 1, timeout=30)
        before = len(posted_cards(slack))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as senders:
            replies = list(senders.map(lambda i: bot.mention(QUESTION.format(n=100 + i))[0].status, range(BURST)))
        acknowledged = time.perf_counter() - started
        slack.wait_for("chat.stopStream", count=LATENCY_SAMPLES + BURST, timeout=120)
        answered = time.perf_counter() - started
        cards = len(posted_cards(slack)) - before
        logged = bot.log.db.execute("select count(*), count(distinct slack_event_id) from decisions").fetchone()
    cuts = statistics.quantiles(latencies, n=20)
    print(
        f"slack: event to card posted p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {cuts[18] * 1000:.0f} ms over {LATENCY_SAMPLES} mentions (HTTP mode, template writer)"
    )
    print(
        f"slack: burst of {BURST} mentions: {replies.count(200)} acknowledged in {acknowledged:.1f} s, "
        f"{cards} cards posted, all answered in {answered:.1f} s; log holds {logged[0] - LATENCY_SAMPLES} "
        f"of them, {logged[1] - LATENCY_SAMPLES} distinct events"
    )


if __name__ == "__main__":
    main()
