"""What the decision log holds: a logged answer, how it was asked, where in Slack, what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from bot.assessment import Assessment
from bot.workload import Workload

AskedVia = Literal["cli", "mention", "dm", "slash", "modal", "refine"]
"""How a question reached the bot: the command line, a mention, a DM, the slash command, the
assumptions form, or a reply in an answer's thread refining it (the log's `source` column)."""
Status = Literal["proposed", "adopted", "rejected", "superseded"]
"""What became of a logged decision."""


@dataclass(frozen=True)
class SlackOrigin:
    """Where in Slack a question was asked; every field unset for the command line."""

    team: str | None = None
    channel: str | None = None
    thread: str | None = None
    user: str | None = None
    event_id: str | None = None
    public: bool | None = None
    """Whether anyone in the workspace can read the channel; None when unknown, which counts as private."""


class LoggedDecision(BaseModel):
    """One logged answer. `workload` and `assessment` are filled in by `DecisionLog.get`."""

    id: str
    created: str
    source: str
    question: str
    verdict: str
    local_monthly_usd: float | None = None
    cloud_monthly_usd: float | None = None
    status: str = "proposed"
    status_by: str | None = None
    status_at: str | None = None
    parent_id: str | None = None
    slack_team: str | None = None
    slack_channel: str | None = None
    slack_user: str | None = None
    slack_channel_public: bool | None = None
    knowledge_version: str | None = None
    recommendation: str | None = None
    writer: str | None = None
    fallback_reason: str | None = None
    duration_ms: float | None = None
    workload: Workload | None = None
    assessment: Assessment | None = None
    pending: bool = False
    """Kept in the spool: the log could not take it yet."""


class NotFound(LookupError):
    """No decision has that id, or the prefix fits several (`ambiguous`)."""

    def __init__(self, decision_id: str, *, ambiguous: bool = False) -> None:
        super().__init__(decision_id)
        self.decision_id = decision_id
        self.ambiguous = ambiguous


class InvalidId(NotFound):
    """Not the shape of an id: ids are up to 26 letters and digits."""
