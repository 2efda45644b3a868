"""A team's hardware is read from what it typed once, when saved, and shown back in words that read the same."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.team import owned_in_words, read_owned_hardware
from bot.workload import OwnedHardware


def test_every_piece_of_hardware_shown_in_the_form_reads_back_as_itself(kb: KnowledgeBase) -> None:
    for hardware in kb.hardware:
        other = "a100-80gb" if hardware == "rtx-4090" else "rtx-4090"
        owned = [OwnedHardware(hardware=hardware, count=3), OwnedHardware(hardware=other, count=2)]
        shown = owned_in_words(owned, kb)
        assert read_owned_hardware(shown, kb) == (owned, None), shown


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2 x RTX 4099", "Unknown hardware 'RTX 4099'. Did you mean"),
        ("a toaster", "Unknown hardware 'a toaster'"),
        ("two 4090s and a Cray-1", "Unknown hardware 'a Cray-1'"),
    ],
)
def test_hardware_we_do_not_know_is_refused_with_why(kb: KnowledgeBase, typed: str, says: str) -> None:
    owned, problem = read_owned_hardware(typed, kb)
    assert owned == [] and problem is not None and says in problem


def test_nothing_typed_is_no_hardware(kb: KnowledgeBase) -> None:
    assert read_owned_hardware("  ", kb) == ([], None)
