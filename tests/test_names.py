"""The names an entry answers to are matched one way: lookups, suggestions and the knowledge check agree."""

from __future__ import annotations

import re

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.names import claimants, closest, owner_of
from bot.knowledge.resolve import UnknownName, find_api_model, find_hardware, find_model
from bot.knowledge.schema.base import Named

FINDERS = {"hardware": find_hardware, "models": find_model, "api_models": find_api_model}


def spelled_otherwise(name: str) -> str:
    """The same name as people also type it: other case, dashes for spaces."""
    return name.upper().replace(" ", "-")


@pytest.mark.parametrize("table", sorted(FINDERS))
def test_every_spelling_finds_its_entry_however_it_is_typed(kb: KnowledgeBase, table: str) -> None:
    entries: dict[str, Named] = getattr(kb, table)
    for entry in entries.values():
        for name in entry.spellings():
            for typed in (name, spelled_otherwise(name)):
                assert owner_of(kb, table, typed) == entry.id, typed
                found = FINDERS[table](kb, typed)
                assert found is not None and found.id == entry.id, typed


@pytest.mark.parametrize("table", sorted(FINDERS))
def test_the_knowledge_check_sees_one_owner_for_each_name_lookups_use(kb: KnowledgeBase, table: str) -> None:
    entries: dict[str, Named] = getattr(kb, table)
    for name, ids in claimants(entries.values()).items():
        assert len(ids) == 1, name
        assert owner_of(kb, table, name) == next(iter(ids))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("RTX 4909", "rtx-4090"), ("RTX 4070 Tl", "rtx-4070-ti"), ("rtx-4060ti-16", "rtx-4060-ti-16gb")],
)
def test_a_near_miss_is_refused_with_the_entry_it_is_closest_to(kb: KnowledgeBase, typed: str, meant: str) -> None:
    assert meant in [entry_id for _, entry_id in closest(kb, "hardware", typed)]
    with pytest.raises(UnknownName, match=re.escape(kb.hardware[meant].name)):
        find_hardware(kb, typed)
