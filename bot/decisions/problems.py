"""What is wrong with the decision log's file, in one line, with the fix.

SQLite reports a busy, read-only, full, damaged or unreachable file with an
error code; every surface (the CLI, the Slack app, `localcheck doctor`) turns
that code into the same sentence through `diagnose`. Any other error is a bug
and is left to propagate.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

NEARLY_FULL_BYTES = 1 << 20


@dataclass(frozen=True)
class Problem:
    reason: str
    """What is wrong, to follow "the decision log at PATH": "is read-only"."""
    fix: str


class LogUnavailable(Exception):
    """The log cannot be opened, read or written now."""

    def __init__(self, path: Path, problem: Problem) -> None:
        super().__init__(f"the decision log at {path} {problem.reason}")
        self.path = path
        self.problem = problem

    def line(self) -> str:
        """The one line a person reads: what is wrong, then the fix."""
        return f"{str(self)[0].upper()}{str(self)[1:]}. Fix: {self.problem.fix}."


class NotLogged(LogUnavailable):
    """A change that neither the log nor its spool could take: it is lost unless the caller says so."""

    def __init__(self, path: Path, problem: Problem, spool_error: OSError) -> None:
        why = spool_error.strerror or str(spool_error)
        super().__init__(
            path, Problem(f"{problem.reason}, and its spool cannot be written either ({why})", problem.fix)
        )


@contextmanager
def reading(path: Path, row: Mapping[str, Any]) -> Iterator[None]:
    """Reading a stored decision: one whose contents cannot be understood is named, with the fix."""
    try:
        yield
    except ValueError as error:  # pydantic's and json's errors both are
        if isinstance(error, ValidationError) and error.errors():
            first = error.errors()[0]
            detail = f"{'.'.join(str(part) for part in first['loc']) or 'stored data'}: {first['msg']}"
        else:
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        decision_id = row.get("id")
        delete = f"delete from decisions where id = '{decision_id}'"  # noqa: S608 - advice for a person, never run
        problem = Problem(
            f"holds decision {decision_id}, which cannot be read ({detail})",
            f'if only that decision is damaged, delete it with `sqlite3 {path} "{delete}"`; if more is, recover '
            f"the file with `sqlite3 {path} .recover | sqlite3 {path}.recovered`",
        )
        raise LogUnavailable(path, problem) from error


def diagnose(error: BaseException, path: Path, timeout_s: float) -> Problem | None:
    """The problem with the file behind `error`, or None when the error is not about the file."""
    if isinstance(error, LogUnavailable):
        return error.problem
    if isinstance(error, OSError):  # the log's folder cannot be made
        fix = "set LOCALCHECK_DB to a path in a writable folder"
        if isinstance(error, FileExistsError | NotADirectoryError):
            return Problem(f"cannot be created: {error.filename} is a file, not a folder", fix)
        return Problem(f"cannot be created ({error.strerror or error}: {error.filename})", fix)
    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorname", None) or ""
    folder = path.parent
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_PROTOCOL")):
        return Problem(
            f"was busy: another process held it for more than {timeout_s:g} s",
            "try again when that process is done, or give writers longer with LOCALCHECK_DB_TIMEOUT",
        )
    if code.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return Problem(
            "is read-only",
            f"let the user running localcheck write it and its folder (`chmod u+w {path} {folder}`), "
            "or set LOCALCHECK_DB to a writable path",
        )
    full = Problem("cannot grow: the disk is full", f"free space on the disk that holds {folder}")
    if code.startswith("SQLITE_FULL"):
        return full
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return Problem(
            f"is damaged ({error})",
            f"recover what it holds with `sqlite3 {path} .recover | sqlite3 {path}.recovered`, then move "
            f"{path}.recovered to {path} (or move the damaged file aside to start a new log)",
        )
    if code.startswith("SQLITE_CANTOPEN"):
        return Problem(
            "cannot be opened",
            f"check that {folder} exists and is writable, or set LOCALCHECK_DB to a writable path",
        )
    if code.startswith("SQLITE_IOERR"):
        if _free_bytes(folder) < NEARLY_FULL_BYTES:  # SQLite says "disk I/O error" when its -shm file cannot grow
            return full
        return Problem(f"could not be read or written ({error})", f"check the disk and file system holding {folder}")
    return None


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return NEARLY_FULL_BYTES
