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
            # Named columns, each copied but the id, the question and the event id (unique): the log's
            # migrations add columns, and a copy by position would break with each.
            copied = [c for c in log.db["decisions"].columns_dict if c not in ("id", "question", "slack_event_id")]
            columns = ", ".join(copied)
            log.db.execute(
                f"insert into decisions (id, question, slack_event_id, {columns}) "  # noqa: S608 - column names
                f"select printf('%s%06d', substr(id, 1, 20), rowid + ?), question || ' copy ' || (rowid + ?), null, "
                f"{columns} from decisions limit ?",
                [have, have, batch],
            )
            have += batch


if __name__ == "__main__":
    main()
