"""The writes that matter, as data: applied to the log now, or kept in its spool and applied later.

Applying a change twice leaves the log as applying it once (a decision keeps
its id, a status or recommendation is set to the same values, feedback is
matched on who gave it when), so a spooled change can be replayed by any
process, even one that crashed after writing it and before forgetting it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from sqlite_utils import Database


class NewDecision(BaseModel):
    kind: Literal["decision"] = "decision"
    row: dict[str, Any]

    @property
    def decision_id(self) -> str:
        return str(self.row["id"])


class Written(BaseModel):
    kind: Literal["written"] = "written"
    decision_id: str
    recommendation: str
    writer: str
    fallback_reason: str | None = None


class StatusSet(BaseModel):
    kind: Literal["status"] = "status"
    decision_id: str
    status: str
    by: str
    at: str


class FeedbackGiven(BaseModel):
    kind: Literal["feedback"] = "feedback"
    decision_id: str
    helpful: bool
    user: str
    created: str


Change = Annotated[NewDecision | Written | StatusSet | FeedbackGiven, Field(discriminator="kind")]
CHANGE = TypeAdapter(Change)


def apply(db: Database, change: Change) -> None:
    """Make `change` in `db`, inside the caller's write transaction."""
    if isinstance(change, NewDecision):
        # `ignore`: the same id replayed, or a Slack event another process logged first
        db.table("decisions").insert(change.row, ignore=True)
    elif isinstance(change, Written):
        db.execute(
            "update decisions set recommendation = ?, writer = ?, fallback_reason = ? where id = ?",
            [change.recommendation, change.writer, change.fallback_reason, change.decision_id],
        )
    elif isinstance(change, StatusSet):
        _set_status(db, change)
    else:
        db.execute(
            "insert into feedback (decision_id, helpful, user, created) select :decision, :helpful, :user, :created "
            "where not exists (select 1 from feedback where decision_id = :decision and user = :user "
            "and created = :created)",
            {
                "decision": change.decision_id,
                "helpful": int(change.helpful),
                "user": change.user,
                "created": change.created,
            },
        )


def _set_status(db: Database, change: StatusSet) -> None:
    """Adopting a decision supersedes the adopted decisions it refines."""
    update = "update decisions set status = ?, status_by = ?, status_at = ? where id = ?"
    db.execute(update, [change.status, change.by, change.at, change.decision_id])
    parent = _parent(db, change.decision_id)
    seen = {change.decision_id}
    while change.status == "adopted" and parent and parent not in seen:
        seen.add(parent)
        row = db.execute("select status, parent_id from decisions where id = ?", [parent]).fetchone()
        if row is None:  # purged since
            return
        if row[0] == "adopted":
            db.execute(update, ["superseded", change.by, change.at, parent])
        parent = row[1]


def _parent(db: Database, decision_id: str) -> str | None:
    row = db.execute("select parent_id from decisions where id = ?", [decision_id]).fetchone()
    return row[0] if row else None
