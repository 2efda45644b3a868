"""Pathological text: read without error, with what was left unread or set aside said.

Nothing here is timed (the machine's speed varies); `tests/bench/hostile_input.py`
measures the stall. These tests pin what keeps reading linear instead: the text
the rules see has no long whitespace run and no digit run longer than a figure,
and windows around a mention stay windows.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.parse.names import mask_names
from bot.parse.quantities import MAX_DIGITS, long_numbers
from bot.parse.text import MAX_CHARS, clean
from tests.bench.hostile_input import PATHOLOGICAL

fuzz = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LONG_WHITESPACE = re.compile(r"[^\S\n]{2,}|\n\s|\s\n")


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_read_with_a_note(kb: KnowledgeBase, text: str) -> None:
    result = parse(text, kb)
    assert any(
        f"only the first {MAX_CHARS:,} were read" in note or "digits is no figure" in note for note in result.notes
    )


def test_a_10000_digit_number_is_set_aside_with_a_note(kb: KnowledgeBase) -> None:
    result = parse("We push " + "7" * 9_900 + " tokens a day through gpt-4o-mini", kb)
    assert result.workload.tokens_per_day is None and result.workload.api_model == "gpt-4o-mini"
    assert any("a number of 9,900 digits is no figure of a workload" in note for note in result.notes)


@fuzz
@given(st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2003", "\r", "a", "1", "<", "*", "_"])))
def test_the_rules_never_see_a_run_of_whitespace(kb: KnowledgeBase, text: str) -> None:
    cleaned = clean(text)
    assert not LONG_WHITESPACE.search(cleaned)
    assert not LONG_WHITESPACE.search(mask_names(kb, cleaned.lower()).strip())


def test_names_in_a_row_leave_no_run_of_spaces(kb: KnowledgeBase) -> None:
    masked = mask_names(kb, "we have " + "4090 gpt-4o-mini llama3.1:70b " * 50 + "and 2m tokens a day")
    assert not LONG_WHITESPACE.search(masked) and masked.endswith("and 2m tokens a day")


@fuzz
@given(st.text(alphabet=st.sampled_from(["1", "2", ",", ".", "'", " ", "\u202f", "a", "-"])))
def test_no_digit_run_longer_than_a_figure_reaches_the_rules(text: str) -> None:
    kept, runs = long_numbers(text)
    assert not re.search(rf"\d(?:[,.']?\d){{{MAX_DIGITS}}}", kept)
    assert all(digits > MAX_DIGITS for _, digits in runs)


def test_a_rate_each_person_asks_is_read_at_the_end_of_a_long_message(kb: KnowledgeBase) -> None:
    chatter = "Sprint 42 ends Friday; the retro moved to 3pm. " * 150
    workload = parse(chatter + "We are 400 employees and each asks 5 questions a day.", kb).workload
    assert workload.requests_per_day == 2_000


def test_hardware_is_judged_by_its_own_sentence_however_many_are_named(kb: KnowledgeBase) -> None:
    text = "we are considering an RTX 5090. " + "the 4090 benchmarks look fine. " * 300 + "we have two L40S."
    workload = parse(text, kb).workload
    assert workload.hardware == "rtx-5090"
    assert [(o.hardware, o.count) for o in workload.owned] == [("l40s", 2)]
