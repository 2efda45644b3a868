"""Numbered migrations of the decision log, applied in order the first time a database is opened.

Each is a function registered with `@migration`; the `_migrations` table records
which ran, so an old database is brought up to date and a new one is built by
running them all. Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.decisions.connection import writing

Migration = Callable[[Database], None]
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    MIGRATIONS.append(function)
    return function


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet applied; return the names of those run now.

    Several processes may open a new log at the same instant: each checks what
    is applied and applies the rest inside one write transaction, so the second
    finds the first one's work done instead of creating the same table again.
    A log that is up to date is only read, so a read-only one still opens.
    """
    if not _pending(db):
        return []
    with writing(db):
        table = db.table("_migrations")
        if not table.exists():
            table.create({"name": str, "applied_at": str}, pk="name")
        ran = _pending(db)
        for function in ran:
            function(db)
            table.insert({"name": function.__name__, "applied_at": datetime.now(UTC).isoformat()})
    return [function.__name__ for function in ran]


def _pending(db: Database) -> list[Migration]:
    if not db.table("_migrations").exists():
        return list(MIGRATIONS)
    done = {row[0] for row in db.execute("select name from _migrations")}
    return [function for function in MIGRATIONS if function.__name__ not in done]


@migration
def m001_decisions(db: Database) -> None:
    db.table("decisions").create(
        {
            "id": str,
            "created": str,
            "source": str,
            "question": str,
            "workload": str,
            "assessment": str,
            "verdict": str,
            "local_monthly_usd": float,
            "cloud_monthly_usd": float,
            "knowledge_version": str,
        },
        pk="id",
    )
    db.table("decisions").create_index(["created"])


@migration
def m002_slack_and_status(db: Database) -> None:
    """Where a decision came from in Slack, what became of it, and what it refines."""
    decisions = db.table("decisions")
    for column, kind in (
        ("slack_team", str),
        ("slack_channel", str),
        ("slack_thread", str),
        ("slack_user", str),
        ("slack_event_id", str),
        ("status", str),
        ("status_by", str),
        ("status_at", str),
        ("parent_id", str),
    ):
        decisions.add_column(column, kind)
    db.execute("update decisions set status = 'proposed' where status is null")
    decisions.create_index(["slack_event_id"], unique=True)
    decisions.create_index(["verdict"])
    decisions.create_index(["status"])


@migration
def m003_writer_and_duration(db: Database) -> None:
    """Who wrote the recommendation (a model or the template), why it fell back, how long it took."""
    decisions = db.table("decisions")
    for column, kind in (("recommendation", str), ("writer", str), ("fallback_reason", str), ("duration_ms", float)):
        decisions.add_column(column, kind)


@migration
def m004_feedback(db: Database) -> None:
    db.table("feedback").create(
        {"id": int, "decision_id": str, "helpful": int, "user": str, "created": str},
        pk="id",
        foreign_keys=[("decision_id", "decisions", "id")],
    )
    db.table("feedback").create_index(["decision_id"])


@migration
def m005_search(db: Database) -> None:
    db.table("decisions").enable_fts(["question", "recommendation"], create_triggers=True)


@migration
def m006_team_defaults(db: Database) -> None:
    """A workspace's own defaults, set in App Home and used by its later answers."""
    db.table("team_defaults").create(
        {
            "team_id": str,
            "electricity_price": float,
            "engineer_hourly_cost": float,
            "owned_hardware": str,
            "currency": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk="team_id",
    )


@migration
def m007_slack_requests_and_shares(db: Database) -> None:
    """Signed Slack requests already handled (a replay is answered once, across restarts too), and
    where a private quick estimate was shared (which makes it visible there)."""
    db.table("slack_requests").create({"signature": str, "timestamp": int}, pk="signature")
    db.table("slack_requests").create_index(["timestamp"])
    db.table("slack_shares").create(
        {"decision_id": str, "channel": str, "message_ts": str, "shared_by": str, "shared_at": str},
        pk=("decision_id", "channel"),
    )


@migration
def m009_speed_measurements(db: Database) -> None:
    """Speeds a team timed on its own hardware (`localcheck calibrate`), used by its later answers."""
    db.table("speed_measurements").create(
        {
            "team_id": str,
            "model": str,
            "hardware": str,
            "quant": str,
            "decode_tokens_per_s": float,
            "prefill_tokens_per_s": float,
            "context": int,
            "ollama_tag": str,
            "measured_at": str,
        },
        pk=("team_id", "model", "hardware"),
    )


@migration
def m010_slack_installations(db: Database) -> None:
    """Each workspace that installed the app through OAuth, with its own bot token, and the OAuth
    states handed out by /slack/install, each good for one return from Slack.

    A workspace is keyed by its org and team id, '' for the one it lacks (an org-wide install has no
    team), so the key is never NULL and a reinstall replaces the row.
    """
    db.table("slack_installations").create(
        {
            "enterprise_id": str,
            "team_id": str,
            "enterprise_name": str,
            "team_name": str,
            "app_id": str,
            "bot_id": str,
            "bot_user_id": str,
            "bot_token": str,
            "bot_scopes": str,
            "bot_refresh_token": str,
            "bot_token_expires_at": int,
            "is_enterprise_install": int,
            "installer_user_id": str,
            "installed_at": float,
        },
        pk=("enterprise_id", "team_id"),
    )
    db.table("slack_oauth_states").create({"state": str, "expires_at": float}, pk="state")


@migration
def m011_channel_visibility_and_revisit_posts(db: Database) -> None:
    """Whether a decision was asked where anyone in the workspace could read it (1), somewhere private (0)
    or unknown (null, treated as private); and what the scheduled re-check posted into each decision's
    thread, so that a change is posted once."""
    db.table("decisions").add_column("slack_channel_public", int)
    db.table("revisit_posts").create(
        {
            "decision_id": str,
            "posted_at": str,
            "verdict": str,
            "text": str,
            "assessment": str,
            "channel": str,
            "thread": str,
            "message_ts": str,
        },
        pk=("decision_id", "posted_at"),
    )


@migration
def m012_owned_hardware_as_ids(db: Database) -> None:
    """Hardware a team owns is stored as knowledge ids and counts (JSON) read once when saved, not as
    the text typed. What was typed before moves to `owned_hardware_unread`: reading it needs the
    knowledge base the app runs with, so bot/decisions/teams.py reads it on first use."""
    table = db.table("team_defaults")
    table.add_column("owned_hardware_unread", str)
    db.execute("update team_defaults set owned_hardware_unread = owned_hardware, owned_hardware = null")
