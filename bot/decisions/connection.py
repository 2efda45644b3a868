"""Connections to the decision log: a wait when another writer holds the lock, and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

BUSY_TIMEOUT_S = 10.0  # writers queue for the lock this long instead of failing at once


def connect(path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
    """A connection to the log at `path` (one per thread: sqlite connections are not shared)."""
    connection = sqlite3.connect(str(path), timeout=busy_timeout_s, check_same_thread=True)
    # damaged bytes read as U+FFFD, so a garbled row is named as such rather than failing the whole read
    connection.text_factory = _text
    try:
        connection.execute("pragma synchronous = normal")  # with WAL: safe across a crash of the process
    except sqlite3.Error:
        connection.close()
        raise
    return Database(connection)


def _text(stored: bytes) -> str:
    return stored.decode("utf-8", errors="replace")


@contextmanager
def writing(db: Database) -> Iterator[Database]:
    """A write transaction holding the write lock from its start.

    In WAL mode a transaction that reads first and writes later cannot wait for
    another writer: it fails with "database is locked". sqlite-utils reads the
    schema before it inserts, so every write takes the lock up front and
    sqlite-utils nests inside with a savepoint.
    """
    db.execute("begin immediate")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
