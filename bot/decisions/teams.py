"""Where a Slack workspace's profile (bot/team.py) is kept: its row in the decision log.

Checked again when read: a stored value that does not hold (an old row, a hand edit) is set
aside with a log line and a note in the answer, never allowed to break the workspace's answers
or make its log unreadable.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from bot.decisions.connection import writing
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.team import LABELS, PRICES, UNKNOWN_CURRENCY, TeamDefaults, in_words, problems

logger = logging.getLogger(__name__)


def team_defaults(log: DecisionLog, team_id: str, kb: KnowledgeBase) -> TeamDefaults:
    """The workspace's defaults; never raises: a stored value that does not hold is set aside."""
    try:
        rows = list(log.db.query("select * from team_defaults where team_id = ?", [team_id]))
    except sqlite3.Error as error:
        logger.warning("could not read the defaults of team %s: %s", team_id, error)
        return TeamDefaults()
    return _lenient(team_id, rows[0], kb) if rows else TeamDefaults()


def save_team_defaults(log: DecisionLog, team_id: str, defaults: TeamDefaults, by: str) -> None:
    row = {
        **defaults.model_dump(),
        "team_id": team_id,
        "updated_by": by,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with writing(log.db):
        log.db.table("team_defaults").upsert(row, pk="team_id")


def _lenient(team_id: str, row: dict[str, Any], kb: KnowledgeBase) -> TeamDefaults:
    """The stored row field by field: what holds is kept, the rest set aside with a log line."""
    kept: dict[str, Any] = {"updated_by": row.get("updated_by") if isinstance(row.get("updated_by"), str) else None}
    reasons: dict[str, str] = {}
    for field in ("currency", *PRICES, "owned_hardware"):
        value = row.get(field)
        if value is None:
            continue
        if field in PRICES and "currency" in reasons:
            reasons[field] = UNKNOWN_CURRENCY
            continue
        try:
            kept[field] = getattr(TeamDefaults.model_validate({field: value}), field)
        except ValidationError as error:
            reasons[field] = in_words(error.errors(include_url=False)[0])
    defaults = TeamDefaults.model_validate(kept)
    for field, reason in problems(defaults, kb).items():
        reasons[field] = reason
        kept.pop(field, None)
    if not reasons:
        return defaults
    notes = []
    for field, reason in reasons.items():
        logger.warning("team %s: stored default %s=%r set aside: %s", team_id, field, row.get(field), reason)
        notes.append(f"Your team's default {LABELS[field]} ({_as_stored(field, row)}) was set aside: {reason}")
    return TeamDefaults.model_validate(kept).model_copy(update={"set_aside": notes})


def _as_stored(field: str, row: dict[str, Any]) -> str:
    value, currency = row.get(field), row.get("currency") or "USD"
    return f"{value:g} {currency}" if field in PRICES and isinstance(value, int | float) else str(value)
