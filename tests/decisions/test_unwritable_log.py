"""A log that is busy, read-only, full or damaged never loses a row silently.

Through the DecisionLog API (what the Slack app calls) and `localcheck` run as
its own process: the change waits in the spool and is written, with the same
id, on the next open; or the command exits non-zero with one line saying why.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from bot.check.assess import assess
from bot.decisions.problems import LogUnavailable, NotLogged
from bot.decisions.records import SlackOrigin
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.decisions.damage import (
    QUESTION,
    Unsupported,
    ask,
    damage,
    decision_ids,
    fill,
    localcheck,
    read_only,
    spooled_files,
    tiny_disk,
    write_lock_held,
)

SHORT_WAIT_S = 0.2


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "decisions.db"


def record(log: DecisionLog, kb: KnowledgeBase, **kwargs: object) -> str:
    workload = parse(QUESTION, kb).workload
    return log.record(question=QUESTION, workload=workload, assessment=assess(workload, kb), source="cli", **kwargs)  # type: ignore[arg-type]


def one_line(text: str) -> bool:
    return text.strip() != "" and "\n" not in text.strip() and "Traceback" not in text


def test_a_busy_log_spools_every_write_and_the_next_open_replays_them(path: Path, kb: KnowledgeBase) -> None:
    kept = record(DecisionLog(path), kb)
    with write_lock_held(path):
        log = DecisionLog(path, busy_timeout_s=SHORT_WAIT_S)
        waiting = record(log, kb, slack=SlackOrigin(team="T1", event_id="Ev1"))
        log.set_written(waiting, recommendation="Run it locally.", writer="template", fallback_reason=None)
        adopted = log.set_status(kept, "adopted", "dana")
        assert not log.add_feedback(kept, helpful=True, user="U1")
        assert adopted.pending and adopted.status == "adopted"
        assert [e.change.kind for e in log.pending()] == ["decision", "written", "status", "feedback"]
        assert "busy" in log.pending()[0].reason and "LOCALCHECK_DB_TIMEOUT" in log.pending()[0].fix
        assert decision_ids(path) == [kept], "nothing reached the file while it was held"
        assert log.get(waiting).pending and log.has_event("Ev1"), "a waiting decision can be read, a retry is seen"
        assert record(log, kb, slack=SlackOrigin(team="T1", event_id="Ev1")) == waiting
    reopened = DecisionLog(path)
    assert decision_ids(path) == sorted([kept, waiting]) and spooled_files(path) == []
    assert reopened.get(waiting).recommendation == "Run it locally." and not reopened.get(waiting).pending
    assert reopened.get(kept).status == "adopted" and reopened.stats()["feedback"] == {"helpful": 1}


def test_replaying_a_change_twice_changes_nothing(path: Path, kb: KnowledgeBase, tmp_path: Path) -> None:
    kept = record(DecisionLog(path), kb)
    with write_lock_held(path):
        log = DecisionLog(path, busy_timeout_s=SHORT_WAIT_S)
        waiting = record(log, kb)
        log.add_feedback(kept, helpful=False, user="U2")
        log.set_status(kept, "rejected", "erin")
    copies = tmp_path / "copies"
    shutil.copytree(path.with_name(path.name + "-spool"), copies)
    DecisionLog(path)  # replays
    for copy in copies.iterdir():  # as if a process crashed after writing them and before removing them
        shutil.copy(copy, path.with_name(path.name + "-spool") / copy.name)
    again = DecisionLog(path)
    assert decision_ids(path) == sorted([kept, waiting])
    assert again.stats()["feedback"] == {"not_helpful": 1} and again.get(kept).status == "rejected"


def test_reading_a_busy_log_does_not_wait_to_replay_the_spool(path: Path) -> None:
    assert ask(path).code == 0
    with write_lock_held(path):
        assert "wait in" in ask(path, timeout_s=SHORT_WAIT_S).stderr
        listed = localcheck("decisions", "list", db=path, timeout_s=5)
        assert listed.code == 0 and "1 change(s) wait" in listed.stderr
        assert listed.seconds < 4, "the replay waits for the lock only when something must be written"


def test_a_long_running_app_writes_what_waited_with_its_next_write(path: Path, kb: KnowledgeBase) -> None:
    log = DecisionLog(path, busy_timeout_s=SHORT_WAIT_S)  # opened once, as `localcheck serve` does
    with write_lock_held(path):
        first = record(log, kb)
    second = record(log, kb)
    assert decision_ids(path) == sorted([first, second]) and log.pending() == []


def test_a_read_only_log_is_read_and_its_writes_wait(path: Path, kb: KnowledgeBase) -> None:
    kept = record(DecisionLog(path), kb)
    try:
        with read_only(path):
            log = DecisionLog(path)
            assert [d.id for d in log.list()] == [kept]
            waiting = record(log, kb)
            assert log.pending()[0].reason == "is read-only" and "chmod" in log.pending()[0].fix
            assert decision_ids(path) == [kept]
    except Unsupported as reason:
        pytest.skip(str(reason))
    DecisionLog(path)
    assert decision_ids(path) == sorted([kept, waiting])


def test_a_full_disk_keeps_the_row_in_the_spool(path: Path, kb: KnowledgeBase) -> None:
    log = DecisionLog(path)
    record(log, kb)
    pages = log.db.execute("pragma page_count").fetchone()[0]
    log.db.execute(f"pragma max_page_count = {pages}")  # SQLite's own way to say the disk is full
    waiting = record(log, kb)
    assert waiting not in decision_ids(path) and "disk is full" in log.pending()[0].reason
    DecisionLog(path)
    assert waiting in decision_ids(path)


@pytest.mark.parametrize("how", ["not a database", "garbage header"])
def test_a_damaged_log_says_how_to_recover_it_and_keeps_new_rows(path: Path, kb: KnowledgeBase, how: str) -> None:
    assert ask(path).code == 0  # its process has ended: everything is in the file, none in a -wal
    damage(path, how)
    log = DecisionLog(path)
    with pytest.raises(LogUnavailable) as raised:
        log.list()
    assert "is damaged" in str(raised.value) and f"sqlite3 {path} .recover" in raised.value.problem.fix
    waiting = record(log, kb)
    assert [e.change.decision_id for e in log.pending()] == [waiting]


def test_when_neither_the_log_nor_the_spool_can_be_written_the_caller_is_told(
    tmp_path: Path, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("where the log's folder should be")
    log = DecisionLog(blocker / "decisions.db")
    with pytest.raises(NotLogged) as raised:
        record(log, kb)
    assert "is a file, not a folder" in str(raised.value) and "spool cannot be written" in str(raised.value)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name.startswith("bot.decisions")]
    assert len(errors) == 1 and "not logged" in errors[0].getMessage(), "the Slack app's log says so"


# The same through `localcheck`, as separate processes.


def test_ask_on_a_busy_log_answers_at_once_and_the_row_arrives_later(path: Path) -> None:
    assert ask(path).code == 0
    with write_lock_held(path):
        waited = ask(path, timeout_s=SHORT_WAIT_S)
        assert waited.code == 0 and one_line(waited.stderr) and "busy" in waited.stderr, waited.stderr
        decision_id = json.loads(waited.stdout)["decision_id"]
        shown = localcheck("decisions", "show", decision_id, db=path, timeout_s=SHORT_WAIT_S)
        assert "Not yet in the log" in shown.stdout and "1 change(s) wait" in shown.stderr
        assert decision_id not in decision_ids(path)
        assert waited.seconds < 10
    listed = localcheck("decisions", "list", "--json", db=path)
    assert decision_id in [d["id"] for d in json.loads(listed.stdout)] and listed.stderr == ""


def test_decisions_on_a_log_locked_even_for_readers_say_so_in_one_line(path: Path) -> None:
    decision_id = json.loads(ask(path).stdout)["decision_id"]
    commands = (
        ["list"],
        ["stats"],
        ["search", "triage"],
        ["export"],
        ["show", decision_id],
        ["adopt", decision_id],
        ["purge", "--before", "2000-01-01", "--yes"],
    )
    with write_lock_held(path, exclusive=True):
        for command in commands:
            result = localcheck("decisions", *command, db=path, timeout_s=0.3)
            assert result.code == 1 and one_line(result.stderr), (command, result.stderr)
            assert "was busy" in result.stderr and "LOCALCHECK_DB_TIMEOUT" in result.stderr
            assert result.seconds < 10


def test_a_read_only_log_through_the_cli_and_doctor(path: Path) -> None:
    first = json.loads(ask(path).stdout)["decision_id"]
    try:
        with read_only(path):
            waited = ask(path)
            assert waited.code == 0 and one_line(waited.stderr) and "is read-only" in waited.stderr
            adopted = localcheck("decisions", "adopt", first[:10], "--by", "dana", db=path)
            assert adopted.code == 0 and "is now adopted" in adopted.stdout and "2 change(s) wait" in adopted.stderr
            doctor = localcheck("doctor", db=path)
            assert doctor.code == 1 and "is read-only" in doctor.stdout and "fix: let the user" in doctor.stdout
    except Unsupported as reason:
        pytest.skip(str(reason))
    assert localcheck("doctor", db=path).stdout.count("writable") == 1
    shown = json.loads(localcheck("decisions", "show", first, "--json", db=path).stdout)
    assert shown["status"] == "adopted" and json.loads(waited.stdout)["decision_id"] in decision_ids(path)


def test_ask_exits_non_zero_after_the_answer_when_nothing_can_be_written(tmp_path: Path) -> None:
    folder = tmp_path / "locked-folder"
    folder.mkdir()
    try:
        with read_only(folder):
            result = ask(folder / "decisions.db")
    except Unsupported as reason:
        pytest.skip(str(reason))
    assert result.code == 1 and json.loads(result.stdout)["verdict"], "the answer is given first"
    assert one_line(result.stderr) and result.stderr.startswith("This decision was not logged: ")
    assert "spool cannot be written" in result.stderr and "Fix: " in result.stderr


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    result = localcheck("ask", "--no-llm", QUESTION, db=blocker / "decisions.db")
    assert result.code == 1 and "Why:" in result.stdout, "the answer is given"
    assert one_line(result.stderr) and "is a file, not a folder" in result.stderr


def test_a_real_full_disk(tmp_path: Path) -> None:
    try:
        with tiny_disk(tmp_path / "disk") as disk:
            db = disk / "decisions.db"
            filler = fill(disk, leave_bytes=48 * 1024)  # room for a spooled row, not for a new log
            spooled = ask(db)
            assert spooled.code == 0 and "disk is full" in spooled.stderr and len(spooled_files(db)) == 1
            filler.unlink()
            filler = fill(disk)
            lost = ask(db, "3M tokens a day on gpt-4o-mini")
            assert lost.code == 1 and json.loads(lost.stdout)["verdict"] and one_line(lost.stderr)
            assert "not logged" in lost.stderr and "disk is full" in lost.stderr, lost.stderr
            filler.unlink()
            assert localcheck("decisions", "list", db=db).stderr == "", "the spool is written on the next open"
            assert decision_ids(db) == [json.loads(spooled.stdout)["decision_id"]]
    except Unsupported as reason:
        pytest.skip(str(reason))
