"""Real-sounding descriptions and the facts each must yield (tests/parser/corpus.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.parser.scoring import same

CORPUS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text())


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 60
    assert sum(1 for item in CORPUS if "requests_per_day" in item.get("absent", [])) >= 5, "messages with no volume"
    assert any("<@" in item["text"] for item in CORPUS) and any(":" in item["text"] for item in CORPUS)


@pytest.mark.parametrize("item", CORPUS, ids=[f"{i:02d}" for i in range(len(CORPUS))])
def test_description(kb: KnowledgeBase, item: dict[str, Any]) -> None:
    workload = parse(item["text"], kb).workload
    got = workload.model_dump(exclude={"provenance"})
    wrong = {
        field: (value, got[field]) for field, value in item.get("expect", {}).items() if not same(value, got[field])
    }
    assert not wrong, f"expected vs read: {wrong}"
    present = [field for field in item.get("absent", []) if got[field] not in (None, [], False)]
    assert not present, f"read facts the text does not state: { {f: got[f] for f in present} }"
    for field in item.get("expect", {}):
        assert workload.provenance[field].span, f"{field} has no span"
