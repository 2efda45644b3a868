"""Where a Slack workspace's profile (bot/team.py) is kept: its row in the decision log.

Checked again when read: a stored value that does not hold (an old row, a hand edit, hardware
since gone from the knowledge base) is set aside with a log line and a note in the answer, never
allowed to break the workspace's answers or make its log unreadable.

Hardware owned is stored as knowledge ids and counts (JSON). Rows saved before that kept what the
team typed; migration m012 moved it to `owned_hardware_unread`, which is read once with the running
knowledge base and stored as ids, or, if it cannot be read, kept there and set aside in each answer
until the team saves the form again.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from bot.decisions.connection import writing
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.team import LABELS, PRICES, UNKNOWN_CURRENCY, TeamDefaults, in_words, problems, read_owned_hardware

logger = logging.getLogger(__name__)


def team_defaults(log: DecisionLog, team_id: str, kb: KnowledgeBase) -> TeamDefaults:
    """The workspace's defaults; never raises: a stored value that does not hold is set aside."""
    try:
        rows = list(log.db.query("select * from team_defaults where team_id = ?", [team_id]))
    except sqlite3.Error as error:
        logger.warning("could not read the defaults of team %s: %s", team_id, error)
        return TeamDefaults()
    if not rows:
        return TeamDefaults()
    row, unread = _read_once(log, team_id, rows[0], kb)
    return _lenient(team_id, row, kb, unread)


def save_team_defaults(log: DecisionLog, team_id: str, defaults: TeamDefaults, by: str) -> None:
    row = {
        **defaults.model_dump(),
        "owned_hardware_unread": None,
        "team_id": team_id,
        "updated_by": by,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with writing(log.db):
        log.db.table("team_defaults").upsert(row, pk="team_id")


def _lenient(team_id: str, row: dict[str, Any], kb: KnowledgeBase, unread: str | None = None) -> TeamDefaults:
    """The stored row field by field: what holds is kept, the rest set aside with a log line; `unread`:
    why the hardware typed before m012 could not be read."""
    kept: dict[str, Any] = {"updated_by": row.get("updated_by") if isinstance(row.get("updated_by"), str) else None}
    reasons: dict[str, str] = {"owned_hardware": unread} if unread else {}
    for field in ("currency", *PRICES, "owned_hardware"):
        value = row.get(field)
        if value is None:
            continue
        if field in PRICES and "currency" in reasons:
            reasons[field] = UNKNOWN_CURRENCY
            continue
        try:
            kept[field] = getattr(TeamDefaults.model_validate({field: _stored(field, value)}), field)
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


def _read_once(
    log: DecisionLog, team_id: str, row: dict[str, Any], kb: KnowledgeBase
) -> tuple[dict[str, Any], str | None]:
    """The row with its hardware typed before m012 read into ids (and so stored, when the log can be
    written); or, when it cannot be read, why (it stays in the log for the team to fix)."""
    typed = row.get("owned_hardware_unread")
    if not isinstance(typed, str) or not typed.strip():
        return row, None
    owned, problem = read_owned_hardware(typed, kb)
    if problem:
        return {**row, "owned_hardware": None}, problem
    stored = [o.model_dump() for o in owned]  # written as `save_team_defaults` writes it: sqlite-utils makes it JSON
    try:
        with writing(log.db):
            log.db.table("team_defaults").update(team_id, {"owned_hardware": stored, "owned_hardware_unread": None})
    except sqlite3.Error as error:
        logger.warning("could not store the hardware of team %s as ids: %s", team_id, error)
    return {**row, "owned_hardware": stored}, None


def _stored(field: str, value: Any) -> Any:
    """A column's value as JSON holds it: hardware owned is a JSON list, kept as text."""
    if field == "owned_hardware" and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value  # not a list of ids: refused by validation, in words
    return value


def _as_stored(field: str, row: dict[str, Any]) -> str:
    if field == "owned_hardware" and row.get("owned_hardware_unread"):
        return str(row["owned_hardware_unread"])
    value, currency = row.get(field), row.get("currency") or "USD"
    return f"{value:g} {currency}" if field in PRICES and isinstance(value, int | float) else str(value)
