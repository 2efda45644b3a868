"""The decision log: every answer recorded, reviewable, searchable, with what became of it."""

from __future__ import annotations

import builtins
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ulid import ULID

from bot.assessment import Assessment
from bot.decisions.changes import FeedbackGiven, NewDecision, StatusSet, Written
from bot.decisions.connection import BUSY_TIMEOUT_S, writing
from bot.decisions.fts import search_terms
from bot.decisions.logfile import LogFile
from bot.decisions.problems import LogUnavailable, reading
from bot.decisions.records import AskedVia, InvalidId, LoggedDecision, NotFound, SlackOrigin, Status
from bot.decisions.redact import redact
from bot.decisions.tally import tally
from bot.workload import Workload

if TYPE_CHECKING:
    from bot.settings import Settings

SUMMARY_COLUMNS = (
    "id, created, source, question, verdict, local_monthly_usd, cloud_monthly_usd, status, status_by, "
    "status_at, parent_id, slack_team, slack_channel, slack_user, slack_channel_public, knowledge_version"
)
ID = re.compile(r"[0-9A-Z]{1,26}")


class DecisionLog(LogFile):
    """The decisions in a log at `path`; see `LogFile` for what happens when the file cannot be written."""

    def __init__(self, path: Path, *, redact_questions: bool = False, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        super().__init__(path, busy_timeout_s=busy_timeout_s)
        self.redact_questions = redact_questions

    @classmethod
    def from_settings(cls, settings: Settings) -> DecisionLog:
        return cls(settings.db, redact_questions=settings.redact_questions, busy_timeout_s=settings.db_timeout_s)

    def record(
        self,
        *,
        question: str,
        workload: Workload,
        assessment: Assessment,
        source: AskedVia,
        slack: SlackOrigin | None = None,
        parent_id: str | None = None,
        recommendation: str | None = None,
        writer: str | None = None,
        fallback_reason: str | None = None,
        duration_ms: float | None = None,
    ) -> str:
        """Log an answer and return its id; a Slack event seen before returns the first id instead."""
        slack = slack or SlackOrigin()
        if slack.event_id and (existing := self._id_for_event(slack.event_id)):
            return existing
        decision_id = str(ULID())
        row: dict[str, object] = {
            "id": decision_id,
            "created": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "source": source,
            "question": redact(question, workload) if self.redact_questions else question,
            "workload": workload.model_dump_json(),
            "assessment": assessment.model_dump_json(),
            "verdict": assessment.verdict,
            "local_monthly_usd": assessment.local.monthly_usd if assessment.local else None,
            "cloud_monthly_usd": assessment.cloud.monthly_usd,
            "knowledge_version": assessment.knowledge_version,
            "slack_team": slack.team,
            "slack_channel": slack.channel,
            "slack_thread": slack.thread,
            "slack_user": slack.user,
            "slack_event_id": slack.event_id,
            "slack_channel_public": None if slack.public is None else int(slack.public),
            "status": "proposed",
            "parent_id": parent_id,
            "recommendation": recommendation,
            "writer": writer,
            "fallback_reason": fallback_reason,
            "duration_ms": duration_ms,
        }
        if self._commit(NewDecision(row=row)) and slack.event_id:
            return self._id_for_event(slack.event_id) or decision_id  # another thread may have logged it first
        return decision_id

    def has_event(self, event_id: str) -> bool:
        """Whether an answer to this Slack event is already logged (or waiting in the spool)."""
        return self._id_for_event(event_id) is not None

    def _id_for_event(self, event_id: str) -> str | None:
        try:
            rows = list(self.db.query("select id from decisions where slack_event_id = ?", [event_id]))
        except (sqlite3.Error, LogUnavailable) as error:
            self._unavailable(error)  # a log that cannot be read has not seen it; the spool may have
            rows = []
        if rows:
            return str(rows[0]["id"])
        spooled = (e.change.row for e in self.spool.entries() if isinstance(e.change, NewDecision))
        return next((str(row["id"]) for row in spooled if row.get("slack_event_id") == event_id), None)

    def get(self, decision_id: str) -> LoggedDecision:
        """A decision by its id or an unambiguous prefix of it, from the log or waiting in the spool."""
        prefix = decision_id.strip().upper()
        if len(prefix) > 26 or not ID.fullmatch(prefix):
            raise InvalidId(decision_id)
        # a range rather than LIKE: the prefix is taken as it is, and the primary key's index serves it
        rows = list(self.db.query("select * from decisions where id >= ? and id < ? limit 2", [prefix, prefix + "~"]))
        logged = {row["id"] for row in rows}
        spooled = [
            e.change.row
            for e in self.spool.entries()
            if isinstance(e.change, NewDecision) and e.change.decision_id.startswith(prefix)
        ]
        found = rows + [row for row in spooled if row["id"] not in logged]
        if len(found) != 1:
            raise NotFound(decision_id, ambiguous=len(found) > 1)
        row = found[0]
        with reading(self.path, row):
            return LoggedDecision(
                **{
                    k: v
                    for k, v in row.items()
                    if k in LoggedDecision.model_fields and k not in ("workload", "assessment")
                },
                workload=Workload.model_validate_json(row["workload"]),
                assessment=Assessment.model_validate_json(row["assessment"]),
                pending=row["id"] not in logged,
            )

    def list(
        self,
        *,
        verdict: str | None = None,
        status: str | None = None,
        since: date | None = None,
        team: str | None = None,
        limit: int = 50,
    ) -> list[LoggedDecision]:
        where, args = _filters(verdict=verdict, status=status, since=since, team=team)
        sql = f"select {SUMMARY_COLUMNS} from decisions {where} order by id desc limit ?"  # noqa: S608 - constant clauses, bound values
        return [self._summary(row) for row in self.db.query(sql, [*args, limit])]

    def rows(self, *, since: date | None = None) -> Iterator[dict[str, Any]]:
        """Every column of every decision since `since`, oldest first, for export and revisits."""
        where, args = _filters(since=since)
        yield from self.db.query(f"select * from decisions {where} order by id", args)  # noqa: S608 - as above

    def count(self, *, since: date | None = None) -> int:
        """How many decisions `rows(since=since)` goes through."""
        where, args = _filters(since=since)
        return int(next(self.db.query(f"select count(*) n from decisions {where}", args))["n"])  # noqa: S608

    def search(self, text: str, *, team: str | None = None, limit: int = 20) -> builtins.list[LoggedDecision]:
        """Decisions whose question or recommendation has the words of `text` (see `search_terms`), best first."""
        terms = search_terms(text)
        if not terms.match:
            return []
        sql = (
            f"select {', '.join('decisions.' + c.strip() for c in SUMMARY_COLUMNS.split(','))} "  # noqa: S608
            "from decisions join decisions_fts on decisions.rowid = decisions_fts.rowid "
            f"where decisions_fts match ? {'and decisions.slack_team = ?' if team else ''} "
            "order by decisions_fts.rank limit ?"
        )
        args = [terms.match, *([team] if team else []), limit]
        return [self._summary(row) for row in self.db.query(sql, args)]

    def _summary(self, row: dict[str, Any]) -> LoggedDecision:
        with reading(self.path, row):
            return LoggedDecision(**row)

    def in_thread(self, team: str | None, channel: str, thread_ts: str) -> LoggedDecision | None:
        """The latest decision answered in a Slack thread, which a reply there refines."""
        rows = list(
            self.db.query(
                "select id from decisions where slack_team is ? and slack_channel = ? and slack_thread = ? "
                "order by id desc limit 1",
                [team, channel, thread_ts],
            )
        )
        return self.get(rows[0]["id"]) if rows else None

    def set_written(self, decision_id: str, *, recommendation: str, writer: str, fallback_reason: str | None) -> None:
        """The recommendation as finally written, once its stream has ended."""
        self._commit(
            Written(
                decision_id=decision_id, recommendation=recommendation, writer=writer, fallback_reason=fallback_reason
            )
        )

    def set_status(self, decision_id: str, status: Status, by: str) -> LoggedDecision:
        """Record what became of a decision; adopting one supersedes the adopted ones it refines."""
        decision = self.get(decision_id)
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        if self._commit(StatusSet(decision_id=decision.id, status=status, by=by, at=now)):
            return self.get(decision.id)
        return decision.model_copy(update={"status": status, "status_by": by, "status_at": now, "pending": True})

    def add_feedback(self, decision_id: str, *, helpful: bool, user: str) -> bool:
        """Record whether an answer helped; False when the feedback waits in the spool."""
        decision = self.get(decision_id)
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        return self._commit(FeedbackGiven(decision_id=decision.id, helpful=helpful, user=user, created=now))

    def stats(self) -> dict[str, Any]:
        """What the log adds up to (`tally`)."""
        return tally(self.db)

    def purge(self, before: date) -> int:
        """Delete decisions (and their feedback) older than `before`; return how many."""
        cutoff = before.isoformat()
        with writing(self.db):
            self.db.execute(
                "delete from feedback where decision_id in (select id from decisions where created < ?)", [cutoff]
            )
            return self.db.execute("delete from decisions where created < ?", [cutoff]).rowcount


def _filters(
    *, verdict: str | None = None, status: str | None = None, since: date | None = None, team: str | None = None
) -> tuple[str, list[Any]]:
    clauses, args = [], []
    for column, value in (("verdict", verdict), ("status", status), ("slack_team", team)):
        if value:
            clauses.append(f"{column} = ?")
            args.append(value)
    if since:
        clauses.append("created >= ?")
        args.append(since.isoformat())
    return ("where " + " and ".join(clauses)) if clauses else "", args
