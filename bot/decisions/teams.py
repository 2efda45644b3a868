"""A Slack workspace's own defaults: its electricity price, engineer cost, hardware and currency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from bot.decisions.connection import writing
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.workload import Provenance, Workload

Currency = Literal["USD", "EUR", "GBP"]


class TeamDefaults(BaseModel):
    electricity_price: float | None = Field(None, ge=0, le=10)
    engineer_hourly_cost: float | None = Field(None, ge=0, le=5000)
    owned_hardware: str | None = None
    """As the team typed it, e.g. "2 x RTX 4090"; read with the parser's rules."""
    currency: Currency = "USD"
    updated_by: str | None = None


def team_defaults(log: DecisionLog, team_id: str) -> TeamDefaults:
    rows = list(log.db.query("select * from team_defaults where team_id = ?", [team_id]))
    return TeamDefaults.model_validate(rows[0]) if rows else TeamDefaults()


def save_team_defaults(log: DecisionLog, team_id: str, defaults: TeamDefaults, by: str) -> None:
    row = {
        **defaults.model_dump(),
        "team_id": team_id,
        "updated_by": by,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with writing(log.db):
        log.db.table("team_defaults").upsert(row, pk="team_id")


def apply_team_defaults(workload: Workload, defaults: TeamDefaults, kb: KnowledgeBase) -> Workload:
    """`workload` with the team's defaults where the question said nothing, marked as such."""
    rate = {"USD": 1.0, "EUR": kb.defaults.usd_per_eur.value, "GBP": kb.defaults.usd_per_gbp.value}[defaults.currency]
    by = f" (set by {defaults.updated_by})" if defaults.updated_by else ""
    changes: dict[str, object] = {}
    provenance = dict(workload.provenance)

    def fill(field: str, value: object, what: str) -> None:
        if value is not None and getattr(workload, field) in (None, []):
            changes[field] = value
            provenance[field] = Provenance(how="assumed", reason=f"your team's default {what}{by}, from App Home")

    if defaults.electricity_price is not None:
        fill("electricity_usd_per_kwh", defaults.electricity_price * rate, f"electricity price ({defaults.currency})")
    if defaults.engineer_hourly_cost is not None:
        fill("engineer_hourly_usd", defaults.engineer_hourly_cost * rate, f"engineer cost ({defaults.currency})")
    if defaults.owned_hardware:
        from bot.parse import parse

        owned = parse(f"we have {defaults.owned_hardware}", kb).workload.owned
        fill("owned", owned or None, "owned hardware")
    if not changes:
        return workload
    return workload.model_copy(update={**changes, "provenance": provenance})
