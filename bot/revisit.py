"""Revisiting: stored workloads re-assessed against today's knowledge base and prices.

API prices fall and hardware changes; a decision that was right in March may
not be in November. This lists the decisions whose verdict changed, or whose
costs moved by more than a threshold, and says what moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.answer import Question, answer
from bot.assessment import Assessment, ServingOption
from bot.decisions.problems import reading
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import usd
from bot.workload import Workload

CAUSES = {"api": "API prices", "buy": "hardware prices", "owned": "hardware prices", "rent": "rental prices"}
"""What moves an option's cost, by its kind (a hybrid's cost moves with its parts)."""


@dataclass(frozen=True)
class Change:
    id: str
    created: str
    question: str
    old_verdict: str
    new_verdict: str
    moved: list[str]
    """What changed, in words: the verdict, each cost that moved, the knowledge version."""
    causes: tuple[str, ...] = ()
    """What moved beneath it: API prices, hardware prices, rental prices, the knowledge base, the price list."""


def revisit(
    log: DecisionLog,
    kb: KnowledgeBase,
    *,
    since: date | None = None,
    threshold: float = 0.2,
    rows: Iterable[dict[str, Any]] | None = None,
) -> Iterator[Change]:
    """Decisions that no longer hold as they were, oldest first; `rows` (default: the log's since `since`)
    lets a caller watch them go by."""
    for row in log.rows(since=since) if rows is None else rows:
        change = recheck(row, kb, threshold, log.path)
        if change is not None:
            yield change


def recheck(row: dict[str, Any], kb: KnowledgeBase, threshold: float, path: Path) -> Change | None:
    """One logged decision re-assessed; None when it still holds."""
    with reading(path, row):
        before = Assessment.model_validate_json(row["assessment"])
    try:
        now = reassessed(Workload.model_validate_json(row["workload"]), kb)
    except (LookupError, ValueError) as error:  # a model or hardware since removed from the knowledge base
        return Change(row["id"], row["created"], row["question"], before.verdict, "?", [f"cannot re-assess: {error}"])
    moved = what_moved(before, now, threshold)
    if not moved:
        return None
    return Change(
        row["id"], row["created"], row["question"], before.verdict, now.verdict, moved, causes(before, now, threshold)
    )


def reassessed(workload: Workload, kb: KnowledgeBase) -> Assessment:
    """The stored workload through today's answer path, as a team would be answered now (no model:
    the workload is already read, and a revisit compares numbers, not words)."""
    answered = answer(Question(workload=workload), kb, None, read_with_model=False, write_with_model=False)
    assert answered.assessment is not None  # noqa: S101 - a workload given whole is always answered
    return answered.assessment


def causes(before: Assessment, now: Assessment, threshold: float) -> tuple[str, ...]:
    """What moved beneath a change: the kinds of option (API, bought hardware, rented) whose best offer
    changed or moved in cost, then the price list and the knowledge base behind them."""
    found: list[str] = []
    then, today = _best_of_each_kind(before), _best_of_each_kind(now)
    for kind, cause in CAUSES.items():
        old, new = then.get(kind), today.get(kind)
        if old is None or new is None:
            if old is not new:
                found.append(cause)
        elif old.label != new.label or _moved(old.cost_usd, new.cost_usd, threshold):
            found.append(cause)
    if not before.options:  # logged before answers listed options
        if before.local and now.local and _moved(before.local.monthly_usd, now.local.monthly_usd, threshold):
            found.append("hardware prices")
        if _moved(before.cloud.monthly_usd, now.cloud.monthly_usd, threshold):
            found.append("API prices")
    if before.prices != now.prices:
        found.append(f"the price list ({before.prices} -> {now.prices})")
    if before.knowledge_version != now.knowledge_version:
        found.append("the knowledge base")
    return tuple(dict.fromkeys(found))


def _best_of_each_kind(assessment: Assessment) -> dict[str, ServingOption]:
    """The cheapest option of each kind that meets the needs (options come cheapest first)."""
    best: dict[str, ServingOption] = {}
    for option in assessment.options:
        if option.meets_needs:
            best.setdefault(option.kind, option)
    return best


def _moved(old: float | None, new: float | None, threshold: float) -> bool:
    return bool(old and new is not None and abs(new - old) / old > threshold)


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
        elif _moved(old.cost_usd, option.cost_usd, threshold):
            change = (option.cost_usd - old.cost_usd) / old.cost_usd
            moved.append(f"{option.label} {usd(old.cost_usd)} -> {usd(option.cost_usd)} ({change:+.0%})")
    return moved


def what_moved(before: Assessment, now: Assessment, threshold: float) -> list[str]:
    """The verdict and the costs that moved by more than `threshold` (0.2 = 20%), in words; empty when it holds."""
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
        elif _moved(old, new, threshold):
            moved.append(f"{label} {usd(old)} -> {usd(new)} a month ({(new - old) / old:+.0%})")
    if moved and before.knowledge_version != now.knowledge_version:
        moved.append(f"knowledge base {before.knowledge_version} -> {now.knowledge_version}")
    return moved
