"""Changes the decision log could not take yet, kept in a folder beside it until it can.

The folder is `decisions.db-spool` next to `decisions.db`, as SQLite keeps
`decisions.db-wal`. Each change is one JSON file named by a ULID, so changes
replay in the order they were made; it is written under a temporary name,
flushed to disk and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ulid import ULID

from bot.decisions.changes import CHANGE, Change
from bot.decisions.problems import Problem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spooled:
    """A change waiting in the spool, with why the log could not take it."""

    file: Path
    change: Change
    reason: str
    fix: str
    spooled_at: str


class Spool:
    def __init__(self, log_path: Path) -> None:
        self.folder = log_path.with_name(log_path.name + "-spool")

    def put(self, change: Change, problem: Problem) -> Path:
        """Keep `change` on disk; OSError when the folder cannot be written either."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{ULID()}-{change.kind}.json"
        body = json.dumps(
            {
                "reason": problem.reason,
                "fix": problem.fix,
                "spooled_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "change": CHANGE.dump_python(change, mode="json"),
            }
        )
        temporary = self.folder / f".{name}.tmp"
        try:
            with open(temporary, "x", encoding="utf-8") as file:
                file.write(body)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.folder / name)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise
        try:
            _sync(self.folder)
        except OSError as error:  # the change is there; only its surviving a power cut is in doubt
            logger.warning("could not flush the decision log's spool %s: %s", self.folder, error)
        return self.folder / name

    def entries(self) -> list[Spooled]:
        """The waiting changes, oldest first; a file that is not a change is set aside as `.bad`."""
        try:
            names = sorted(e.name for e in os.scandir(self.folder) if e.name.endswith(".json"))
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            logger.warning("cannot read the decision log's spool %s: %s", self.folder, error)
            return []
        found = []
        for name in names:
            file = self.folder / name
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
                found.append(
                    Spooled(
                        file, CHANGE.validate_python(data["change"]), data["reason"], data["fix"], data["spooled_at"]
                    )
                )
            except FileNotFoundError:  # another process has just replayed it
                continue
            except (OSError, ValueError, KeyError, TypeError) as error:
                logger.warning("set aside %s, which is not a change the decision log can replay: %s", file, error)
                with contextlib.suppress(OSError):
                    file.rename(file.with_suffix(".bad"))
        return found

    def forget(self, entries: list[Spooled]) -> None:
        """Remove changes now in the log (replaying one twice would do no harm)."""
        for entry in entries:
            try:
                entry.file.unlink(missing_ok=True)
            except OSError as error:
                logger.warning("could not remove %s, which is already in the log: %s", entry.file, error)


def _sync(folder: Path) -> None:
    """Make the rename itself survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
