"""The Datasette metadata's canned queries run on a real decision log."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.check.assess import assess
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.conftest import REPO


def test_every_canned_query_runs_and_finds_what_it_promises(tmp_path: Path, kb: KnowledgeBase) -> None:
    metadata = yaml.safe_load((REPO / "deploy" / "datasette.yml").read_text())
    queries = metadata["databases"]["decisions"]["queries"]
    assert {"recent", "by_verdict", "disagreements"} <= queries.keys()
    log = DecisionLog(tmp_path / "decisions.db")
    workload = parse("200k requests a day on llama3.1:8b, 2 SREs", kb).workload
    adopted = log.record(question="q", workload=workload, assessment=assess(workload, kb), source="cli")
    log.set_status(adopted, "adopted", "dana")
    log.add_feedback(adopted, helpful=False, user="erin")
    results = {name: list(log.db.query(query["sql"])) for name, query in queries.items()}
    assert [row["id"] for row in results["recent"]] == [adopted]
    assert results["by_verdict"][0]["decisions"] == 1
    assert [(row["id"], row["user"]) for row in results["disagreements"]] == [(adopted, "erin")]
