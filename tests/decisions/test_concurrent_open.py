"""Many processes opening one new log at the same instant: every migration once, every row kept."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.check.assess import assess
from bot.decisions.migrations import MIGRATIONS
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.decisions.damage import QUESTION, decision_ids

PROCESSES = 12
ROWS_EACH = 5


def _open_together_and_log(path: Path, barrier: Any, results: Any, workload: Any, assessment: Any) -> None:
    barrier.wait()  # every process opens the new file at once
    try:
        log = DecisionLog(path)
        ids = [
            log.record(question=f"row {i}", workload=workload, assessment=assessment, source="cli")
            for i in range(ROWS_EACH)
        ]
        results.put(("ok", ids))
    except Exception as error:
        results.put(("error", repr(error)))


def test_processes_opening_a_new_log_together_lose_no_row(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = tmp_path / "new" / "decisions.db"
    workload = parse(QUESTION, kb).workload
    assessment = assess(workload, kb)
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_open_together_and_log, args=(path, barrier, results, workload, assessment))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert [kind for kind, _ in outcomes] == ["ok"] * PROCESSES, outcomes
    returned = sorted(decision_id for _, ids in outcomes for decision_id in ids)
    assert decision_ids(path) == returned and len(set(returned)) == PROCESSES * ROWS_EACH
    with sqlite3.connect(path) as connection:
        applied = [row[0] for row in connection.execute("select name from _migrations order by name")]
        assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert applied == sorted(m.__name__ for m in MIGRATIONS), "each migration recorded once"


def test_cli_processes_asking_at_once_on_a_new_log_all_log(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "decisions.db"
    env = {"LOCALCHECK_DB": str(db), "OLLAMA_HOST": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "ask", "--no-llm", "--json", f"{n + 1}M tokens a day on gpt-4o-mini"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    answers = []
    for process in started:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0 and "Traceback" not in stderr and stderr == "", stderr
        answers.append(json.loads(stdout)["decision_id"])
    assert decision_ids(db) == sorted(answers)
