"""`decisions browse`: Datasette's metadata generated for the log at hand, private decisions left out."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

from bot.check.assess import assess
from bot.decisions.browse import canned_queries, database_name, metadata
from bot.decisions.records import AskedVia, SlackOrigin
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.slack.privacy import record_share
from tests.conftest import CliRun

QUESTION = "200k requests a day on llama3.1:8b, 2 SREs"
HAS_DATASETTE = importlib.util.find_spec("datasette") is not None


def record(log: DecisionLog, kb: KnowledgeBase, question: str, source: AskedVia = "mention", **origin: object) -> str:
    workload = parse(QUESTION, kb).workload
    slack = SlackOrigin(team="T1", user="U1", **origin) if origin else None  # type: ignore[arg-type]
    return log.record(question=question, workload=workload, assessment=assess(workload, kb), source=source, slack=slack)


@pytest.fixture
def log(tmp_path: Path, kb: KnowledgeBase) -> DecisionLog:
    """A log whose file name has spaces, as macOS's Application Support does, with every kind of origin."""
    return DecisionLog(tmp_path / "Application Support" / "my decisions.db")


def fill(log: DecisionLog, kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    """(shown, hidden) question texts."""
    record(log, kb, "from the command line", source="cli")
    record(log, kb, "public channel", channel="C1", thread="1700000000.000100", public=True)
    record(log, kb, "private channel with a C id", channel="C2", thread="1.0", public=False)
    record(log, kb, "unknown visibility", channel="C3", thread="2.0")
    record(log, kb, "a DM", source="dm", channel="D1", thread="3.0", public=False)
    record(log, kb, "quick estimate only its asker saw", source="slash", channel="C1", public=True)
    shared = record(log, kb, "quick estimate shared", source="slash", channel="C1", public=True)
    record_share(log, log.get(shared), message_ts="1700000000.000900", by="U1")
    for question in ("public channel", "private channel with a C id"):
        decision = next(d for d in log.list() if d.question == question)
        log.set_status(decision.id, "adopted", "dana")
        log.add_feedback(decision.id, helpful=False, user="erin")
        with log.db.conn:
            log.db.table("revisit_posts").insert(
                {"decision_id": decision.id, "posted_at": decision.id, "verdict": "cloud", "text": "moved"}
            )
    shown = {"from the command line", "public channel", "quick estimate shared"}
    hidden = {"private channel with a C id", "unknown visibility", "a DM", "quick estimate only its asker saw"}
    return shown, hidden


def run_queries(log: DecisionLog, *, include_private: bool) -> dict[str, list[dict]]:
    return {
        name: list(log.db.query(query["sql"]))
        for name, query in canned_queries(include_private=include_private).items()
    }


def test_the_canned_queries_show_only_public_channels_and_the_cli(log: DecisionLog, kb: KnowledgeBase) -> None:
    shown, hidden = fill(log, kb)
    results = run_queries(log, include_private=False)
    assert {row["question"] for row in results["recent"]} == shown
    assert sum(row["decisions"] for row in results["by_verdict"]) == len(shown)
    assert [row["question"] for row in results["disagreements"]] == ["public channel"]
    assert len(results["aged"]) == 1
    everything = run_queries(log, include_private=True)
    assert {row["question"] for row in everything["recent"]} == shown | hidden
    assert len(everything["disagreements"]) == 2 and len(everything["aged"]) == 2


def test_each_row_links_to_its_slack_thread(log: DecisionLog, kb: KnowledgeBase) -> None:
    fill(log, kb)
    links = {row["question"]: row["slack_thread"] for row in run_queries(log, include_private=False)["recent"]}
    assert links["public channel"] == "https://app.slack.com/client/T1/C1/thread/C1-1700000000.000100"
    assert links["quick estimate shared"] == "https://app.slack.com/client/T1/C1/thread/C1-1700000000.000900"
    assert links["from the command line"] is None


def test_the_metadata_is_keyed_by_the_files_own_name_and_closes_every_table(
    log: DecisionLog, kb: KnowledgeBase
) -> None:
    fill(log, kb)
    generated = metadata(log.path)
    assert database_name(log.path) == "my decisions"
    database = generated["databases"]["my decisions"]
    assert generated["allow_sql"] is False and database["allow_sql"] is False
    tables = {row[0] for row in log.db.execute("select name from sqlite_master where type in ('table', 'view')")}
    assert {"decisions", "feedback", "decisions_fts", "revisit_posts"} <= tables
    assert all(database["tables"][table] == {"hidden": True, "allow": False} for table in tables)
    assert database["queries"] == canned_queries()
    opened = metadata(log.path, include_private=True)["databases"]["my decisions"]
    assert "allow_sql" not in opened and "allow" not in str(opened["tables"])


def test_a_log_from_before_visibility_was_recorded_shows_its_slack_decisions_as_private(
    log: DecisionLog, kb: KnowledgeBase
) -> None:
    record(log, kb, "old public channel", channel="C1", thread="1.0", public=True)
    with sqlite3.connect(log.path) as connection:  # as m011 left a row logged before it
        connection.execute("update decisions set slack_channel_public = null")
    assert run_queries(log, include_private=False)["recent"] == []


def test_browse_prints_the_metadata_for_the_configured_log(
    cli: CliRun, log: DecisionLog, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(log, kb)
    monkeypatch.setenv("LOCALCHECK_DB", str(log.path))
    printed = cli("decisions", "browse", "--print-metadata")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == metadata(log.path)


def test_browse_without_a_log_says_so(cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALCHECK_DB", str(tmp_path / "none.db"))
    result = cli("decisions", "browse")
    assert result.exit_code == 1 and "No decision log at" in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif(HAS_DATASETTE, reason="Datasette is installed here")
def test_browse_without_datasette_says_how_to_install_it(
    cli: CliRun, log: DecisionLog, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(log, kb)
    monkeypatch.setenv("LOCALCHECK_DB", str(log.path))
    result = cli("decisions", "browse")
    assert result.exit_code == 1
    assert "Datasette is not installed" in result.stderr and "-m pip install 'datasette>=0.65'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not HAS_DATASETTE, reason="Datasette is not installed (the `browse` extra)")
def test_datasette_serves_the_public_decisions_and_nothing_else(
    log: DecisionLog, kb: KnowledgeBase, tmp_path: Path
) -> None:
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from bot.decisions.browse import datasette_command
    from tests.conftest import _closed_port

    shown, hidden = fill(log, kb)
    metadata_file = tmp_path / "metadata.json"
    metadata_file.write_text(json.dumps(metadata(log.path)))
    port = _closed_port()
    server = subprocess.Popen(
        [sys.executable, *datasette_command(log.path, metadata_file, host="127.0.0.1", port=port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from datasette.utils import tilde_encode

    base = f"http://127.0.0.1:{port}/{tilde_encode(database_name(log.path))}"

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    try:
        for _ in range(200):
            try:
                get("")
                break
            except OSError:
                time.sleep(0.1)
        status, page = get("/recent.json?_shape=array")
        assert status == 200, page
        assert {row["question"] for row in json.loads(page)} == shown
        for closed in ("/decisions", "/decisions_fts", "/feedback", ".db", ".json?sql=select+question+from+decisions"):
            status, page = get(closed)
            assert status in (403, 404), (closed, status)
            assert not any(question in page for question in hidden), closed
    finally:
        server.terminate()
        server.wait(timeout=10)
