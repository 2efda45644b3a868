"""Opening the decision log: created where needed, in WAL mode, migrations applied."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from bot.decisions.connection import connect
from bot.decisions.migrations import migrate


def open_database(path: Path) -> Database:
    """The decision log at `path`, created and migrated as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    db.enable_wal()
    migrate(db)
    return db
