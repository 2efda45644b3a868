"""The decision log as the command line opens it: from the settings, its problems said in one line."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from bot.cli.common import fail
from bot.cli.settings import load_settings
from bot.decisions.problems import LogUnavailable, diagnose
from bot.hints import command

if TYPE_CHECKING:
    from bot.decisions.store import DecisionLog


def open_log() -> DecisionLog:
    """The decision log named by the settings (a file that cannot be read is reported when it is read)."""
    from bot.decisions.store import DecisionLog

    return DecisionLog.from_settings(load_settings())


@contextmanager
def reporting_log_problems() -> Iterator[None]:
    """A log that cannot be read or written ends the command with one line saying why and the fix."""
    try:
        yield
    except (LogUnavailable, sqlite3.Error) as error:
        settings = load_settings()
        problem = diagnose(error, settings.db, settings.db_timeout_s)
        if problem is None:
            raise
        fail(LogUnavailable(settings.db, problem).line(), code=1)


def report_pending(log: DecisionLog) -> None:
    """Say on stderr when changes wait in the spool, why, and what lets them into the log."""
    waiting = log.pending()
    if waiting:
        last = waiting[-1]
        typer.secho(
            f"{len(waiting)} change(s) wait in {log.spool.folder}: the decision log at {log.path} {last.reason}. "
            f"They are written to it, with the same ids, when it can take them. Fix: {last.fix}.",
            err=True,
            fg="yellow",
        )


def logged_decision(log: DecisionLog, decision_id: str) -> Any:
    """The decision an id (or its first few letters) names, or one line saying why there is none."""
    from bot.decisions.records import InvalidId, NotFound

    try:
        with reporting_log_problems():
            return log.get(decision_id)
    except InvalidId:
        shown = decision_id if len(decision_id) <= 30 else f"{decision_id[:30]}... ({len(decision_id):,} characters)"
        fail(
            f"{shown!r} is not a decision id: ids are 26 letters and digits, and their first few will do "
            f"(`{command('decisions list')}` shows them).",
            code=2,
        )
    except NotFound as error:
        how = "fits several decisions; give more of it" if error.ambiguous else "is not in the log"
        fail(
            f"No single decision has the id '{decision_id.strip()}': it {how}. "
            f"`{command('decisions list')}` shows them.",
            1,
        )
