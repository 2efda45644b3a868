"""Opening the decision log: created where needed, in WAL mode, migrations applied."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from bot.decisions.connection import BUSY_TIMEOUT_S, connect
from bot.decisions.migrations import migrate

FIRST_RETRY_S = 0.005
LONGEST_RETRY_S = 0.1


def open_database(path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
    """The decision log at `path`, created and migrated as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path, busy_timeout_s)
    try:
        _enable_wal(db, deadline=time.monotonic() + busy_timeout_s)
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _enable_wal(db: Database, deadline: float) -> None:
    """Switch to WAL, retrying while other processes hold the lock.

    Changing the journal mode needs the file to itself, and SQLite may refuse at
    once rather than wait when several processes open a new log together.
    """
    pause = FIRST_RETRY_S
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as error:
            busy = getattr(error, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, LONGEST_RETRY_S)
