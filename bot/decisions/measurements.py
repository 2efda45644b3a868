"""Speeds a team timed on its own hardware, kept in the decision log for its later answers.

Keyed by team ("cli" for the command line, a Slack team id otherwise), model and
hardware: timing the same model on the same hardware again replaces the figure.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.check.capacity import Measured
from bot.decisions.connection import writing
from bot.decisions.store import DecisionLog

logger = logging.getLogger(__name__)
CLI_TEAM = "cli"


@dataclass(frozen=True)
class SpeedMeasurement:
    team_id: str
    model: str
    hardware: str
    quant: str
    decode_tokens_per_s: float
    prefill_tokens_per_s: float | None
    context: int
    ollama_tag: str
    measured_at: str = ""

    @property
    def measured(self) -> Measured:
        return Measured(self.decode_tokens_per_s, self.prefill_tokens_per_s, self.context, self.quant)


def save_measurement(log: DecisionLog, measurement: SpeedMeasurement) -> SpeedMeasurement:
    stamped = SpeedMeasurement(**{**measurement.__dict__, "measured_at": _now()})
    with writing(log.db):
        log.db.table("speed_measurements").upsert(stamped.__dict__, pk=("team_id", "model", "hardware"))
    return stamped


def team_measurements(log: DecisionLog, team_id: str) -> list[SpeedMeasurement]:
    """The team's measurements, newest first; never raises (an unreadable table answers with none)."""
    try:
        rows = log.db.query("select * from speed_measurements where team_id = ? order by measured_at desc", [team_id])
        return [SpeedMeasurement(**row) for row in rows]
    except (sqlite3.Error, TypeError) as error:
        logger.warning("could not read the speed measurements of team %s: %s", team_id, error)
        return []


def measured_speeds(log: DecisionLog, team_id: str) -> dict[tuple[str, str], Measured]:
    """What an answer for the team uses: (model id, hardware id) -> the speeds timed there."""
    return {(m.model, m.hardware): m.measured for m in team_measurements(log, team_id)}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
