"""Benchmark of the decision log: inserts per second, and search latency over 100,000 decisions.

Run with `./dev bench`; prints figures, asserts nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bot.check.assess import assess
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import load_knowledge
from bot.parse import parse
from bot.resources import data_dir

LOGGED_ONE_BY_ONE = 5_000
TOTAL = 100_000
WORDS = [
    "support",
    "triage",
    "summaries",
    "contracts",
    "code review",
    "search",
    "chat",
    "extraction",
    "legal",
    "billing",
]


def main() -> None:
    kb = load_knowledge(data_dir("knowledge"))
    workload = parse("about 200k requests a day on llama3.1:8b, 2 SREs", kb).workload
    assessment = assess(workload, kb)
    with tempfile.TemporaryDirectory() as folder:
        log = DecisionLog(Path(folder) / "decisions.db")
        started = time.perf_counter()
        for i in range(LOGGED_ONE_BY_ONE):
            log.record(
                question=f"{WORDS[i % len(WORDS)]} workload number {i}",
                workload=workload,
                assessment=assessment,
                source="cli",
            )
        rate = LOGGED_ONE_BY_ONE / (time.perf_counter() - started)
        _fill(log, TOTAL)
        latencies = []
        for word in WORDS * 5:
            started = time.perf_counter()
            log.search(word, limit=20)
            latencies.append(time.perf_counter() - started)
        size_mb = (Path(folder) / "decisions.db").stat().st_size / 1e6
    print(
        f"decision log: {rate:,.0f} decisions logged/s one by one (each its own transaction, "
        f"~{len(assessment.model_dump_json()) / 1000:.0f} kB of assessment each)"
    )
    print(
        f"decision log: search over {TOTAL:,} decisions ({size_mb:,.0f} MB): p50 "
        f"{statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )


def _fill(log: DecisionLog, total: int) -> None:
    """Copies of the decisions logged so far, in bulk, up to `total` (varied ids and questions)."""
    have = log.db.execute("select count(*) from decisions").fetchone()[0]
    with log.db.conn:
        while have < total:
            batch = min(have, total - have)
            log.db.execute(
                "insert into decisions select printf('%s%06d', substr(id, 1, 20), rowid + ?), created, source, "
                "question || ' copy ' || (rowid + ?), workload, assessment, verdict, local_monthly_usd, "
                "cloud_monthly_usd, knowledge_version, slack_team, slack_channel, slack_thread, slack_user, null, "
                "status, status_by, status_at, parent_id, recommendation, writer, fallback_reason, duration_ms "
                "from decisions limit ?",
                [have, have, batch],
            )
            have += batch


if __name__ == "__main__":
    main()
