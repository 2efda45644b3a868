"""The decision log's file: a connection per thread, and writes that are never lost silently.

A change the file cannot take (busy longer than `busy_timeout_s`, read-only,
on a full disk, damaged) is kept in the spool beside it and written, with the
same id, the next time any process opens the log or writes to it. `NotLogged`
says when neither the file nor the spool could take it. Reads of a log that
cannot be opened raise `LogUnavailable`, which says why and what fixes it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from bot.decisions.changes import Change, apply
from bot.decisions.connection import BUSY_TIMEOUT_S, connect, writing
from bot.decisions.db import open_database
from bot.decisions.problems import LogUnavailable, NotLogged, diagnose
from bot.decisions.spool import Spool, Spooled

logger = logging.getLogger(__name__)
# The CLI says what happened itself; `localcheck serve` configures logging and so shows these lines.
logging.getLogger("bot.decisions").addHandler(logging.NullHandler())


class LogFile:
    """The log at `path`. Safe to share between threads: each thread has its own connection."""

    def __init__(self, path: Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.spool = Spool(path)
        self._local = threading.local()
        self._migrated = False
        self._failed_open: tuple[float, LogUnavailable] | None = None
        with contextlib.suppress(LogUnavailable):  # reads say so; writes are spooled until it is fixed
            # creates or migrates the file, and writes what the spool kept unless another process holds the
            # lock: then the next write does, and a read does not first wait for the lock it does not need
            self._write(None, wait=False)

    @property
    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            failed = self._failed_open
            if failed and time.monotonic() - failed[0] < self.busy_timeout_s:
                raise failed[1]  # tried a moment ago: waiting the whole timeout again would only stall
            try:
                db = connect(self.path, self.busy_timeout_s) if self._migrated else self._open()
            except (sqlite3.Error, OSError) as error:
                unavailable = self._unavailable(error)
                self._failed_open = (time.monotonic(), unavailable)
                raise unavailable from error
            self._failed_open = None
            self._local.db = db
        return db

    def _open(self) -> Database:
        db = open_database(self.path, self.busy_timeout_s)
        self._migrated = True
        return db

    def _unavailable(self, error: BaseException) -> LogUnavailable:
        """`error` as a problem with the file; an error that is not one is raised as it is."""
        problem = diagnose(error, self.path, self.busy_timeout_s)
        if problem is None:
            raise error
        return error if isinstance(error, LogUnavailable) else LogUnavailable(self.path, problem)

    def _write(self, change: Change | None, *, wait: bool = True) -> None:
        """Write what the spool kept, then `change`, in one transaction; LogUnavailable when the log cannot."""
        waiting = self.spool.entries()
        try:
            db = self.db
            if change is None and not waiting:
                return
            with contextlib.nullcontext() if wait else self._not_waiting(db), writing(db):
                for entry in waiting:
                    apply(db, entry.change)
                if change is not None:
                    apply(db, change)
        except (sqlite3.Error, OSError, LogUnavailable) as error:
            self._reconnect_later()  # a file made writable again is then seen as such
            raise self._unavailable(error) from error
        self.spool.forget(waiting)

    def _commit(self, change: Change) -> bool:
        """True when `change` is in the log, False when it waits in the spool; NotLogged when neither."""
        try:
            self._write(change)
            return True
        except LogUnavailable as error:
            problem = error.problem
        try:
            self.spool.put(change, problem)
        except OSError as spool_error:
            lost = NotLogged(self.path, problem, spool_error)
            logger.error("%s change to decision %s not logged: %s", change.kind, change.decision_id, lost.line())
            raise lost from spool_error
        logger.warning(
            "%s change to decision %s waits in %s: the log %s",
            change.kind,
            change.decision_id,
            self.spool.folder,
            problem.reason,
        )
        return False

    @contextlib.contextmanager
    def _not_waiting(self, db: Database) -> Iterator[None]:
        """Give up at once in this block if another process holds the write lock."""
        db.execute("pragma busy_timeout = 0")
        try:
            yield
        finally:
            db.execute(f"pragma busy_timeout = {round(self.busy_timeout_s * 1000)}")

    def _reconnect_later(self) -> None:
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def pending(self) -> list[Spooled]:
        """Changes waiting in the spool, oldest first."""
        return self.spool.entries()

    def check_writable(self) -> int:
        """Write to the file (a change that changes nothing) and count its decisions; LogUnavailable if it cannot."""
        try:
            with writing(self.db):
                self.db.execute("update _migrations set applied_at = applied_at")
            return int(self.db.execute("select count(*) from decisions").fetchone()[0])
        except (sqlite3.Error, LogUnavailable) as error:
            raise self._unavailable(error) from error
