"""Real-sounding descriptions and the facts each must yield (tests/parser/corpus.yaml, corpus_fresh.yaml)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.parser.scoring import load, score

CORPUS = load("corpus.yaml")
FRESH = load("corpus_fresh.yaml")
CLASSES = {
    "people": "volume from people and sessions",
    "totals": "totals over a period",
    "spend": "spend as a volume",
    "sizes": "request sizes",
    "hardware": "hardware owned vs considered",
    "staffing": "staffing",
    "availability": "availability and hours",
    "latency": "latency",
    "data": "data rules with their exceptions",
    "quality": "quality",
    "batch": "batch and queueing",
    "slack": "Slack text and locales",
    "thin": "vague, contradictory or impossible",
}


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 60
    assert sum(1 for item in CORPUS if "requests_per_day" in item.get("absent", [])) >= 5, "messages with no volume"
    assert any("<@" in item["text"] for item in CORPUS) and any(":" in item["text"] for item in CORPUS)


def test_the_fresh_corpus_has_every_class_in_many_phrasings() -> None:
    assert len(FRESH) >= 200
    counts = Counter(item["class"] for item in FRESH)
    assert set(counts) == set(CLASSES)
    assert min(counts.values()) >= 10, counts
    assert len({item["text"] for item in FRESH}) == len(FRESH), "each message once"
    assert sum(1 for item in FRESH if item.get("asks")) >= 5 and sum(1 for item in FRESH if item.get("vague")) >= 5


@pytest.mark.parametrize(
    "item",
    [*CORPUS, *FRESH],
    ids=[f"{i:03d}" for i in range(len(CORPUS))] + [f"fresh-{i:03d}" for i in range(len(FRESH))],
)
def test_description(kb: KnowledgeBase, item: dict[str, Any]) -> None:
    parsed = parse(item["text"], kb)
    result = score(item, parsed)
    assert not result.missed, f"expected vs read: {result.missed}"
    assert not result.misread, f"read facts the text does not state: {result.misread}"
    for field in item.get("expect", {}):
        assert parsed.workload.provenance[field].span, f"{field} has no span"
    if not item.get("asks"):
        assert not parsed.doubts, f"asks about what the text settles: {parsed.doubts}"
