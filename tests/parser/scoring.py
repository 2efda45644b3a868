"""How well a reading matches what a corpus item says a competent reader takes from it.

Shared by the corpus tests and `python -m tests.parser.measure`, which prints the share of
facts taken over the facts expected, class by class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.parse import Parsed

HERE = Path(__file__).parent
CORPORA = {"corpus.yaml": HERE / "corpus.yaml", "corpus_fresh.yaml": HERE / "corpus_fresh.yaml"}
TOLERANCE = 0.02


def load(name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(CORPORA[name].read_text())
    return items


def same(expected: Any, actual: Any, tolerance: float = TOLERANCE) -> bool:
    if isinstance(expected, bool) or expected is None:
        return actual == expected
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and abs(actual - expected) <= tolerance * abs(expected) + 1e-9
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        key = lambda item: (item["hardware"], item.get("count", 1))  # noqa: E731
        return sorted(map(key, expected)) == sorted(map(key, actual or []))
    if isinstance(expected, list):
        return set(expected) == set(actual or [])
    return actual == expected


@dataclass
class Score:
    expected: int = 0
    taken: int = 0
    missed: dict[str, Any] = field(default_factory=dict)
    """Expected facts not taken: field -> (expected, read)."""
    misread: dict[str, Any] = field(default_factory=dict)
    """Facts read that the text does not state: field -> value read."""

    @property
    def perfect(self) -> bool:
        return not self.missed and not self.misread


def score(item: dict[str, Any], parsed: Parsed) -> Score:
    """Each expected fact, each question the reading must raise, and a vague message's being
    recognised as one, count as a fact; a field read that the text does not support is a misreading."""
    got = parsed.workload.model_dump(exclude={"provenance"})
    tolerance = float(item.get("tolerance", TOLERANCE))
    result = Score()
    for name, value in (item.get("expect") or {}).items():
        result.expected += 1
        if same(value, got[name], tolerance):
            result.taken += 1
        else:
            result.missed[name] = (value, got[name])
    doubted = {doubt.field for doubt in getattr(parsed, "doubts", [])}
    for name in item.get("asks", []):
        result.expected += 1
        if name in doubted:
            result.taken += 1
        else:
            result.missed[f"asks {name}"] = (True, sorted(doubted))
    if item.get("vague"):
        result.expected += 1
        if getattr(parsed, "on_topic", False) and not parsed.understood:
            result.taken += 1
        else:
            result.missed["vague"] = (True, parsed.understood)
    for name in item.get("absent", []):
        if got[name] not in (None, [], False):
            result.misread[name] = got[name]
    return result
