"""The decision log as the Slack app and the CLI use it."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.check.assess import assess
from bot.decisions.migrations import MIGRATIONS, migrate
from bot.decisions.records import NotFound, SlackOrigin
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse

QUESTION = "we push about 2M tokens a day through gpt-4o-mini for the Acme renewal, the tickets contain customer PII"


@pytest.fixture
def log(tmp_path: Path) -> DecisionLog:
    return DecisionLog(tmp_path / "decisions.db")


def record(log: DecisionLog, kb: KnowledgeBase, question: str = QUESTION, **kwargs: object) -> str:
    workload = parse(question, kb).workload
    return log.record(question=question, workload=workload, assessment=assess(workload, kb), source="cli", **kwargs)  # type: ignore[arg-type]


def test_a_decision_keeps_everything_needed_to_review_it(log: DecisionLog, kb: KnowledgeBase) -> None:
    decision_id = record(log, kb, slack=SlackOrigin(team="T1", channel="C1", user="U1"))
    decision = log.get(decision_id[:8])
    assert decision.id == decision_id and len(decision_id) == 26
    assert decision.question == QUESTION and decision.verdict == "local" and decision.status == "proposed"
    assert decision.workload and decision.workload.tokens_per_day == 2_000_000
    assert (
        decision.assessment
        and decision.assessment.local
        and decision.local_monthly_usd == decision.assessment.local.monthly_usd
    )
    assert decision.slack_team == "T1" and decision.knowledge_version == kb.version


def test_ids_sort_by_time(log: DecisionLog, kb: KnowledgeBase) -> None:
    ids = [record(log, kb) for _ in range(5)]
    assert ids == sorted(ids)
    assert [d.id for d in log.list()] == list(reversed(ids))


def test_a_retried_slack_event_is_logged_once(log: DecisionLog, kb: KnowledgeBase) -> None:
    first = record(log, kb, slack=SlackOrigin(event_id="Ev123"))
    again = record(log, kb, slack=SlackOrigin(event_id="Ev123"))
    assert again == first and len(log.list()) == 1


def test_search_finds_words_of_the_question(log: DecisionLog, kb: KnowledgeBase) -> None:
    wanted = record(log, kb)
    record(log, kb, question="nightly batch of 400k summaries on llama3.1:8b")
    assert [d.id for d in log.search("Acme")] == [wanted]
    assert log.search("no such words anywhere") == []
    # What a user types is words, never SQL or FTS syntax: OR, NEAR, a stray quote or a star find nothing more.
    for operators in (
        "Acme OR nightly",
        'Acme" OR "nightly',
        "Acme NEAR nightly",
        "Acm*",
        "'); drop table decisions;--",
    ):
        assert log.search(operators) == [], operators
    assert [d.id for d in log.search('"Acme renewal"')] == [wanted], "quotes keep a phrase"
    assert log.search('"renewal Acme"') == [], "in its order"


def test_filters(log: DecisionLog, kb: KnowledgeBase) -> None:
    local = record(log, kb)
    cloud = record(log, kb, question="about 3000 requests a day on gpt-4o-mini, public data only")
    assert [d.id for d in log.list(verdict="cloud")] == [cloud]
    log.set_status(local, "adopted", "alice")
    assert [d.id for d in log.list(status="adopted")] == [local]
    assert log.list(since=date.today() + timedelta(days=1)) == []


def test_adopting_a_refinement_supersedes_the_adopted_original(log: DecisionLog, kb: KnowledgeBase) -> None:
    original = record(log, kb)
    log.set_status(original, "adopted", "alice")
    refined = record(log, kb, parent_id=original)
    after = log.set_status(refined, "adopted", "bob")
    assert after.status == "adopted" and after.status_by == "bob"
    assert log.get(original).status == "superseded"


def test_stats_count_and_sum(log: DecisionLog, kb: KnowledgeBase) -> None:
    first = record(log, kb)
    record(log, kb)
    log.set_status(first, "rejected", "carol")
    log.add_feedback(first, helpful=False, user="U2")
    stats = log.stats()
    assert stats["decisions"] == 2 and stats["by_status"] == {"proposed": 1, "rejected": 1}
    assert stats["feedback"] == {"not_helpful": 1}
    assert stats["monthly_usd_considered"]["cloud"] > 0


def test_purge_deletes_old_decisions_and_their_feedback(log: DecisionLog, kb: KnowledgeBase) -> None:
    decision_id = record(log, kb)
    log.add_feedback(decision_id, helpful=True, user="U1")
    assert log.purge(date.today()) == 0
    assert log.purge(date.today() + timedelta(days=1)) == 1
    assert log.list() == [] and log.stats()["feedback"] == {}


def test_an_unknown_or_ambiguous_id_is_not_found(log: DecisionLog, kb: KnowledgeBase) -> None:
    record(log, kb)
    record(log, kb)
    with pytest.raises(NotFound):
        log.get("ZZZZZZZZ")
    with pytest.raises(NotFound):
        log.get("0")  # a prefix both share


def test_redacted_questions_keep_the_facts_and_drop_the_prose(tmp_path: Path, kb: KnowledgeBase) -> None:
    log = DecisionLog(tmp_path / "redacted.db", redact_questions=True)
    stored = log.get(record(log, kb)).question
    assert "2M tokens a day" in stored and "gpt-4o-mini" in stored and "PII" in stored
    assert "Acme" not in stored and "[redacted]" in stored


def test_many_writers_at_once_lose_nothing(log: DecisionLog, kb: KnowledgeBase) -> None:
    workload = parse(QUESTION, kb).workload
    assessment = assess(workload, kb)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for i in range(500):
                log.record(
                    question=f"writer {number} decision {i}",
                    workload=workload,
                    assessment=assessment,
                    source="mention",
                    slack=SlackOrigin(event_id=f"E{number}-{i}"),
                )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert log.db.execute("select count(*), count(distinct slack_event_id) from decisions").fetchone() == (4000, 4000)


def test_a_new_database_gets_every_migration(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "new.db")
    applied = [row["name"] for row in log.db["_migrations"].rows]
    assert applied == [m.__name__ for m in MIGRATIONS]
    assert {"decisions", "feedback", "decisions_fts"} <= set(log.db.table_names())
    assert log.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_a_database_from_the_first_schema_is_brought_up_to_date(tmp_path: Path, kb: KnowledgeBase) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(path)
    first, *later = MIGRATIONS
    MIGRATIONS[:] = [first]
    try:
        migrate(old)
    finally:
        MIGRATIONS[:] = [first, *later]
    workload = parse(QUESTION, kb).workload
    assessment = assess(workload, kb)
    old["decisions"].insert(
        {
            "id": "01OLDDECISION0000000000000",
            "created": "2025-01-01T00:00:00+00:00",
            "source": "cli",
            "question": QUESTION,
            "workload": workload.model_dump_json(),
            "assessment": assessment.model_dump_json(),
            "verdict": assessment.verdict,
            "cloud_monthly_usd": 1.0,
            "knowledge_version": "old",
        }
    )
    old.close()
    log = DecisionLog(path)
    kept = log.get("01OLDDECISION")
    assert kept.status == "proposed" and kept.question == QUESTION
    assert [d.id for d in log.search("Acme")] == [kept.id], "rows from before search existed are searchable"
    assert len(list(log.db["_migrations"].rows)) == len(MIGRATIONS)
