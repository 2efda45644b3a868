"""Reviewing the decision log in a browser (Datasette) without showing what was asked in private.

The metadata is generated for the log being opened: keyed by the name Datasette
gives that file (its name without the extension, whatever it is called), with
canned queries that keep to decisions from public channels and the command line,
each linked to its Slack thread. Unless private decisions are asked for, every
table is closed, arbitrary SQL is off and the file cannot be downloaded, so the
canned queries are the only way in.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

SHOWN = (
    "(decisions.slack_channel is null or (decisions.slack_channel_public = 1 and (decisions.source != 'slash' "
    "or exists (select 1 from slack_shares where slack_shares.decision_id = decisions.id))))"
)
"""Decisions anyone may review: from the command line, or answered in a public channel for all to read
(a quick estimate only its asker saw counts once it was shared). Unknown visibility counts as private."""
EVERYTHING = "1 = 1"
THREAD = (
    "coalesce(decisions.slack_thread, (select message_ts from slack_shares "
    "where slack_shares.decision_id = decisions.id order by shared_at desc limit 1))"
)
LINK = (
    f"case when decisions.slack_team is not null and decisions.slack_channel is not null and {THREAD} is not null "
    "then 'https://app.slack.com/client/' || decisions.slack_team || '/' || decisions.slack_channel || '/thread/' "
    f"|| decisions.slack_channel || '-' || {THREAD} end"
)
"""The Slack thread of a decision, in Slack's web client (team, channel and thread ts are all it needs)."""

QUERIES: dict[str, dict[str, str]] = {
    "recent": {
        "title": "Decisions",
        "description": "Every answer, newest first, linked to its Slack thread.",
        "sql": """select decisions.id, decisions.created, decisions.source, decisions.verdict, decisions.status,
       decisions.status_by, round(decisions.local_monthly_usd) as local_usd_a_month,
       round(decisions.cloud_monthly_usd) as cloud_usd_a_month, decisions.question, {link} as slack_thread
from decisions
where {shown}
order by decisions.id desc
limit 1000""",
    },
    "by_verdict": {
        "title": "Decisions by verdict and status",
        "description": "How many answers said what, and what the teams decided.",
        "sql": """select decisions.verdict, decisions.status, count(*) as decisions
from decisions
where {shown}
group by decisions.verdict, decisions.status
order by decisions desc""",
    },
    "disagreements": {
        "title": "Feedback that disagrees with what was decided",
        "description": "Adopted answers someone found unhelpful, and rejected ones someone found helpful.",
        "sql": """select decisions.id, decisions.created, decisions.verdict, decisions.status, feedback.user,
       feedback.helpful, decisions.question, {link} as slack_thread
from decisions join feedback on feedback.decision_id = decisions.id
where {shown}
  and ((decisions.status = 'adopted' and feedback.helpful = 0)
    or (decisions.status = 'rejected' and feedback.helpful = 1))
order by decisions.id desc""",
    },
    "aged": {
        "title": "Answers that aged",
        "description": "What the scheduled re-check told each thread when an answer's verdict or costs moved.",
        "sql": """select revisit_posts.posted_at, decisions.id, decisions.verdict as said,
       revisit_posts.verdict as would_say_now, revisit_posts.text, {link} as slack_thread
from revisit_posts join decisions on decisions.id = revisit_posts.decision_id
where {shown}
order by revisit_posts.posted_at desc""",
    },
}


def database_name(path: Path) -> str:
    """The name Datasette gives a database file: its name without the extension."""
    return path.stem


def canned_queries(*, include_private: bool = False) -> dict[str, dict[str, str]]:
    """The queries with their visibility filter filled in."""
    shown = EVERYTHING if include_private else SHOWN
    return {name: {**query, "sql": query["sql"].format(shown=shown, link=LINK)} for name, query in QUERIES.items()}


def metadata(path: Path, *, include_private: bool = False) -> dict[str, Any]:
    """Datasette metadata for the log at `path`: its canned queries and, unless `include_private`,
    every table closed and arbitrary SQL off, so that only the queries' rows can be seen."""
    database: dict[str, Any] = {"queries": canned_queries(include_private=include_private)}
    if include_private:
        database["tables"] = {"_migrations": {"hidden": True}}
    else:
        database["allow_sql"] = False
        database["tables"] = {table: {"hidden": True, "allow": False} for table in _tables(path)}
    scope = "every decision, private ones included" if include_private else "decisions from public channels and the CLI"
    return {
        "title": "localcheck decisions",
        "description": f"Every answer the bot gave, what was asked, and what the team decided: {scope}.",
        **({} if include_private else {"allow_sql": False}),
        "databases": {database_name(path): database},
    }


def datasette_command(path: Path, metadata_file: Path, *, host: str, port: int) -> list[str]:
    """How to run Datasette on the log: read-only review, the file itself never offered for download."""
    return [
        "-m",
        "datasette",
        "serve",
        str(path),
        "--metadata",
        str(metadata_file),
        "--setting",
        "allow_download",
        "off",
        "--host",
        host,
        "--port",
        str(port),
    ]


def _tables(path: Path) -> list[str]:
    """Every table and view in the log (FTS shadow tables too: they hold the questions' words)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        rows = connection.execute("select name from sqlite_master where type in ('table', 'view')").fetchall()
    return sorted(row[0] for row in rows)
