"""Revisiting: stored workloads re-assessed against today's knowledge base and prices.

API prices fall and hardware changes; a decision that was right in March may
not be in November. This lists the decisions whose verdict changed, or whose
costs moved by more than a threshold, and says what moved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from bot.answer import Question, answer
from bot.assessment import Assessment
from bot.decisions.problems import reading
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import usd
from bot.workload import Workload


@dataclass(frozen=True)
class Change:
    id: str
    created: str
    question: str
    old_verdict: str
    new_verdict: str
    moved: list[str]
    """What changed, in words: the verdict, each cost that moved, the knowledge version."""


def revisit(
    log: DecisionLog, kb: KnowledgeBase, *, since: date | None = None, threshold: float = 0.2
) -> Iterator[Change]:
    """Decisions that no longer hold as they were, oldest first."""
    for row in log.rows(since=since):
        with reading(log.path, row):
            before = Assessment.model_validate_json(row["assessment"])
        try:
            now = _reassessed(Workload.model_validate_json(row["workload"]), kb)
        except (LookupError, ValueError) as error:  # a model or hardware since removed from the knowledge base
            yield Change(
                row["id"], row["created"], row["question"], before.verdict, "?", [f"cannot re-assess: {error}"]
            )
            continue
        moved = _what_moved(before, now, threshold)
        if moved:
            yield Change(row["id"], row["created"], row["question"], before.verdict, now.verdict, moved)


def _reassessed(workload: Workload, kb: KnowledgeBase) -> Assessment:
    """The stored workload through today's answer path, as a team would be answered now (no model:
    the workload is already read, and a revisit compares numbers, not words)."""
    answered = answer(Question(workload=workload), kb, None, read_with_model=False, write_with_model=False)
    assert answered.assessment is not None  # noqa: S101 - a workload given whole is always answered
    return answered.assessment


def _options_moved(before: Assessment, now: Assessment, threshold: float) -> list[str]:
    """The options compared by name: a new pick, a new cheapest API, prices that moved, needs now (un)met."""
    moved = []
    if before.chosen and now.chosen and before.chosen != now.chosen:
        moved.append(f"chosen option {before.chosen} -> {now.chosen}")
    if before.cloud.api_model != now.cloud.api_model:
        moved.append(f"cheapest API {before.cloud.api_model} -> {now.cloud.api_model}")
    then = {option.label: option for option in before.options}
    for option in now.options:
        old = then.get(option.label)
        if old is None:
            continue
        if old.meets_needs != option.meets_needs:
            moved.append(f"{option.label} {'now meets' if option.meets_needs else 'no longer meets'} the needs")
        elif old.cost_usd and abs(option.cost_usd - old.cost_usd) / old.cost_usd > threshold:
            change = (option.cost_usd - old.cost_usd) / old.cost_usd
            moved.append(f"{option.label} {usd(old.cost_usd)} -> {usd(option.cost_usd)} ({change:+.0%})")
    return moved


def _what_moved(before: Assessment, now: Assessment, threshold: float) -> list[str]:
    moved = []
    if before.verdict != now.verdict:
        moved.append(f"verdict {before.verdict} -> {now.verdict}")
    if before.options:  # logged with its options: compare them by name
        moved += _options_moved(before, now, threshold)
        pairs = []
    else:  # logged before answers listed options: local against cloud
        local = (before.local.monthly_usd if before.local else None, now.local.monthly_usd if now.local else None)
        pairs = [("local", *local), ("cloud", before.cloud.monthly_usd, now.cloud.monthly_usd)]
    for label, old, new in pairs:
        if old is None or new is None:
            if old != new:
                moved.append(f"{label} option {'gone' if new is None else 'now possible'}")
        elif old and abs(new - old) / old > threshold:
            moved.append(f"{label} {usd(old)} -> {usd(new)} a month ({(new - old) / old:+.0%})")
    if moved and before.knowledge_version != now.knowledge_version:
        moved.append(f"knowledge base {before.knowledge_version} -> {now.knowledge_version}")
    return moved
