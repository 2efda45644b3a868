"""Follow-ups change what they mention and keep everything else."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.parse.refine import refine
from bot.workload import Workload

FIRST = "we push about 2M tokens a day through gpt-4o-mini for support tickets, nobody here runs servers"


@pytest.fixture
def previous(kb: KnowledgeBase) -> Workload:
    return parse(FIRST, kb).workload


def test_doubling_the_volume(kb: KnowledgeBase, previous: Workload) -> None:
    after = refine(previous, "what if we double the volume?", kb).workload
    assert after.tokens_per_day == 4_000_000
    assert after.api_model == previous.api_model and after.ops_staff == 0
    assert after.provenance["tokens_per_day"].span == "double"
    assert "2,000,000" in (after.provenance["tokens_per_day"].reason or "")


def test_ten_times_and_half(kb: KnowledgeBase, previous: Workload) -> None:
    assert refine(previous, "and if traffic grows 10x?", kb).workload.tokens_per_day == 20_000_000
    assert refine(previous, "what if volume halves", kb).workload.tokens_per_day == 1_000_000


def test_assuming_confidential_data(kb: KnowledgeBase, previous: Workload) -> None:
    after = refine(previous, "assume the data is confidential", kb).workload
    assert after.data_policy == "must-stay" and after.tokens_per_day == 2_000_000


def test_more_engineers(kb: KnowledgeBase, previous: Workload) -> None:
    assert refine(previous, "we have 3 engineers now", kb).workload.ops_staff == 3


def test_other_hardware(kb: KnowledgeBase, previous: Workload) -> None:
    assert refine(previous, "use a 5090 instead", kb).workload.hardware == "rtx-5090"


def test_a_follow_up_saying_nothing_new_keeps_the_workload(kb: KnowledgeBase, previous: Workload) -> None:
    after = refine(previous, "thanks, interesting!", kb).workload
    assert after.model_dump() == previous.model_dump()


def test_doubling_an_assumed_volume_starts_from_the_assumption(kb: KnowledgeBase) -> None:
    previous = parse("we use gpt-4o-mini", kb).workload
    assert (
        refine(previous, "what if we double it?", kb).workload.requests_per_day
        == 2 * kb.defaults.requests_per_day.value
    )
