"""Odd and hostile input to `localcheck decisions`: one clear line or an answer, never a traceback or a stall."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.check.assess import assess
from bot.decisions.fts import MAX_WORDS, search_terms
from bot.decisions.records import InvalidId, NotFound
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.decisions.damage import DAMAGES, QUESTION, ask, damage, decision_ids, localcheck

FTS_SYNTAX = [
    '"',
    "''",
    "AND(",
    "NEAR(",
    "NEAR(triage servers, 2)",
    "*",
    "triage*",
    "(((",
    "triage)",
    "(triage",
    "triage OR NOT",
    "question:triage",
    "^triage",
    '"ticket triage',
    "- + : ;",
    "%",
    "_",
    "ticket\ntriage",
    "тикет 分类 🚀",
]
ODD_IDS = ["%", "_", "", " ", "0%", "01_", "' or 1=1 --", "../../etc/passwd", "🚀", "\x1b[31mred", "x" * 120_000]


@pytest.fixture(scope="module")
def busy_log(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Path:
    """A log of 300 decisions sharing their words, where a long search used to take seconds."""
    path = tmp_path_factory.mktemp("hostile") / "decisions.db"
    log = DecisionLog(path)
    workload = parse(QUESTION, kb).workload
    assessment = assess(workload, kb)
    for n in range(300):
        log.record(
            question=f"{QUESTION} ({n})",
            workload=workload,
            assessment=assessment,
            source="cli",
            recommendation="Run ticket triage on our servers.",
        )
    return path


def calm(result_code: int, stderr: str) -> bool:
    """An answer, or one line of explanation; no traceback."""
    return "Traceback" not in stderr and (result_code == 0 or stderr.strip().count("\n") == 0)


@pytest.mark.parametrize("text", FTS_SYNTAX)
def test_search_takes_fts_syntax_as_plain_words(busy_log: Path, text: str) -> None:
    result = localcheck("decisions", "search", "--", text, db=busy_log)  # `--`: "- + : ;" is not an option
    assert result.code in (0, 2) and calm(result.code, result.stderr), result.stderr
    if result.code == 2:
        assert result.stderr.startswith("Nothing to search for")
    assert result.seconds < 5


def test_words_in_fts_syntax_still_find_what_they_name(busy_log: Path) -> None:
    for text in ("triage)", "(triage", "triage:servers", '"ticket triage', "^triage", "triage* servers^"):
        found = json.loads(localcheck("decisions", "search", text, "--json", db=busy_log).stdout)
        assert len(found) == 20, text
    assert localcheck("decisions", "search", '"triage ticket"', db=busy_log).stdout.strip() == "No decisions match."


def test_a_2000_word_search_is_quick_and_says_what_it_left_out(busy_log: Path) -> None:
    words = " ".join(["triage"] * 1_900 + [f"word{n}" for n in range(100)])
    result = localcheck("decisions", "search", words, db=busy_log)
    assert result.code == 0 and "No decisions match." in result.stdout
    assert f"Searched for the first {MAX_WORDS} different words; 89 more were left out." in result.stderr
    assert result.seconds < 2, "it took 42 s before the words were capped"


def test_search_time_does_not_grow_with_the_text(busy_log: Path) -> None:
    log = DecisionLog(busy_log)
    for words in (2_000, 20_000):  # uncapped, 2,000 took over 3 s here and the time grew with its square
        text = " ".join(["triage"] * words + [f"word{n}" for n in range(words)])
        started = time.perf_counter()
        log.search(text)
        assert time.perf_counter() - started < 1, words


def test_search_terms_are_quoted_words_and_phrases() -> None:
    assert search_terms('NEAR(a b, 3) "ticket triage" AND(').match == '"NEAR" "a" "b" "3" "ticket triage" "AND"'
    assert search_terms("triage TRIAGE triage").match == '"triage"'
    assert search_terms('" * ( ) : ^').words == 0
    assert search_terms("x\x00y").match == '"x" "y"'
    many = search_terms(" ".join(f"w{n}" for n in range(2_000)) + " w1999" * 100)
    assert many.words == MAX_WORDS and many.left_out == 2_000 - MAX_WORDS


@pytest.mark.parametrize("odd", ODD_IDS, ids=lambda odd: repr(odd[:12]))
def test_odd_ids_get_one_clear_line(busy_log: Path, odd: str) -> None:
    commands = [["show"], ["adopt"], ["reject"], ["feedback", "--helpful"]] if odd in ODD_IDS[:3] else [["show"]]
    for command in commands:
        result = localcheck("decisions", command[0], odd, *command[1:], db=busy_log)
        assert result.code == 2 and calm(result.code, result.stderr), result.stderr
        assert "is not a decision id" in result.stderr and len(result.stderr) < 300
        assert "\x1b" not in result.stderr, "the id is shown escaped, not sent to the terminal"
        assert result.seconds < 5


def test_a_prefix_many_decisions_share_is_not_a_match(busy_log: Path) -> None:
    result = localcheck("decisions", "show", "0", db=busy_log)
    assert result.code == 1 and "fits several decisions" in result.stderr
    with pytest.raises(InvalidId):
        DecisionLog(busy_log).get("x" * 120_000)
    with pytest.raises(NotFound):
        DecisionLog(busy_log).get("ZZZZZZ")


def test_refining_with_an_odd_id(busy_log: Path) -> None:
    result = localcheck("ask", "--no-llm", "--refine", "%", "double it", db=busy_log)
    assert result.code == 2 and "is not a decision id" in result.stderr and calm(result.code, result.stderr)


@pytest.mark.parametrize("how", DAMAGES)
def test_every_decisions_command_on_a_damaged_log(tmp_path: Path, how: str) -> None:
    path = tmp_path / "decisions.db"
    decision_id = json.loads(ask(path).stdout)["decision_id"]
    assert ask(path, "3000 requests a day on gpt-4o-mini, public data only").code == 0  # a sound row beside it
    damage(path, how)
    commands = [
        ["list"],
        ["show", decision_id],
        ["search", "triage"],
        ["adopt", decision_id],
        ["feedback", decision_id, "--helpful"],
        ["stats"],
        ["export", "--format", "json"],
        ["revisit"],
        ["purge", "--before", "2000-01-01", "--yes"],
    ]
    failures = 0
    for command in commands:
        result = localcheck("decisions", *command, db=path)
        assert calm(result.code, result.stderr) and result.code in (0, 1), (command, result.stderr)
        if result.code:
            failures += 1
            assert "is damaged" in result.stderr or "cannot be read" in result.stderr, result.stderr
            assert f"sqlite3 {path} .recover" in result.stderr, result.stderr
    assert failures, "a damaged file is noticed"
    answered = ask(path, "3M tokens a day on gpt-4o-mini")
    assert json.loads(answered.stdout)["verdict"] and calm(answered.code, answered.stderr)
    if answered.code == 0 and "wait in" not in answered.stderr:  # neither lost nor spooled: then it is in the file
        assert json.loads(answered.stdout)["decision_id"] in decision_ids(path)
