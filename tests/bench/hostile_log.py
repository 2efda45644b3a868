"""Hostile conditions and input for the decision log, through `localcheck` run as separate processes.

`measure()` is the hook bench_hostile.py aggregates; it asserts nothing. Cases:
processes asking together on a new log; a log busy past the timeout, read-only,
on a full disk, in a folder that cannot be written, damaged in five ways; FTS
syntax, a 2,000-word search and odd ids given to `decisions`.

rows_lost counts answers whose decision is neither in the log (after the next
open) nor in its spool, and whose command still exited 0. longest_stall_s is
the longest hostile command's time beyond the same command on a healthy log
(`ask` or `decisions list`, the fastest of three), less the wait for a busy log
it was told to allow (LOCALCHECK_DB_TIMEOUT, set here to BUSY_TIMEOUT_S).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.decisions.store import DecisionLog
from tests.decisions.damage import (
    DAMAGES,
    Run,
    Unsupported,
    ask,
    damage,
    fill,
    localcheck,
    read_only,
    tiny_disk,
    write_lock_held,
)

BUSY_TIMEOUT_S = 0.3
TOGETHER = 12
SEARCHES = ['"', "''", "AND(", "NEAR(", "*", "(((", "triage)", "a OR NOT b", "question:x", " ".join(["triage"] * 2_000)]
ODD_IDS = ["%", "_", "", "' or 1=1 --", "\x1b[2J", "x" * 120_000]


class Tally:
    def __init__(self, baseline_s: dict[str, float]) -> None:
        self.baseline_s = baseline_s
        """The fastest plain run of each command; others are measured against `decisions`."""
        self.cases = 0
        self.rows_lost = 0
        self.tracebacks = 0
        self.longest_stall_s = 0.0

    def saw(self, run: Run) -> Run:
        self.cases += 1
        self.tracebacks += "Traceback" in run.stderr
        plain = self.baseline_s.get(run.command, self.baseline_s["decisions"])
        self.longest_stall_s = max(self.longest_stall_s, run.seconds - plain - run.waits_s)
        return run

    def asked(self, run: Run) -> str | None:
        """An `ask`: its decision id when it must be kept (exit 0), None when the exit said it was not."""
        self.saw(run)
        if run.code != 0:
            return None
        try:
            return str(json.loads(run.stdout)["decision_id"])
        except (ValueError, KeyError, TypeError):
            self.rows_lost += 1  # answered and exited 0, yet no decision to find
            return None

    def check_kept(self, db: Path, decision_ids: list[str | None]) -> None:
        """After the condition is gone: each id in the file (the open replays the spool) or still spooled."""
        with contextlib.suppress(Exception):
            DecisionLog(db)  # the next open
        kept = _ids_in_file(db) | _ids_in_spool(db)
        self.rows_lost += sum(1 for i in decision_ids if i is not None and i not in kept)


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        healthy = root / "healthy" / "decisions.db"
        ask(healthy)
        tally = Tally(
            {
                "ask": min(ask(healthy).seconds for _ in range(3)),
                "decisions": min(localcheck("decisions", "list", db=healthy).seconds for _ in range(3)),
            }
        )
        for case in (_together, _busy, _read_only, _no_folder, _full_disk, _damaged, _hostile_input):
            with contextlib.suppress(Unsupported):
                case(root / case.__name__.strip("_"), tally)
    return {
        "cases": tally.cases,
        "rows_lost": tally.rows_lost,
        "tracebacks": tally.tracebacks,
        "longest_stall_s": round(max(tally.longest_stall_s, 0.0), 2),
    }


def _together(folder: Path, tally: Tally) -> None:
    db = folder / "decisions.db"
    command = [sys.executable, "-m", "bot", "ask", "--no-llm", "--json"]
    env = {"LOCALCHECK_DB": str(db), "OLLAMA_HOST": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}
    started = [
        subprocess.Popen([*command, f"{n + 1}M tokens a day on gpt-4o-mini"], env=env, stdout=-1, stderr=-1, text=True)
        for n in range(TOGETHER)
    ]
    ids = []
    for process in started:
        stdout, stderr = process.communicate(timeout=120)
        ids.append(tally.asked(Run(process.returncode, stdout, stderr, 0.0)))
    tally.check_kept(db, ids)


def _busy(folder: Path, tally: Tally) -> None:
    db = folder / "decisions.db"
    ask(db)
    ids = []
    for exclusive in (False, True):
        with write_lock_held(db, exclusive=exclusive):
            ids.append(tally.asked(ask(db, timeout_s=BUSY_TIMEOUT_S)))
            for command in (["list"], ["search", "triage"], ["stats"], ["adopt", "01"]):
                tally.saw(localcheck("decisions", *command, db=db, timeout_s=BUSY_TIMEOUT_S))
    tally.check_kept(db, ids)


def _read_only(folder: Path, tally: Tally) -> None:
    db = folder / "decisions.db"
    first = json.loads(ask(db).stdout)["decision_id"]
    with read_only(db):
        ids = [tally.asked(ask(db))]
        tally.saw(localcheck("decisions", "adopt", first, db=db))
        tally.saw(localcheck("doctor", db=db))
    tally.check_kept(db, ids)


def _no_folder(folder: Path, tally: Tally) -> None:
    folder.mkdir(parents=True)
    db = folder / "decisions.db"
    with read_only(folder):
        ids = [tally.asked(ask(db))]
    tally.check_kept(db, ids)


def _full_disk(folder: Path, tally: Tally) -> None:
    with tiny_disk(folder) as disk:
        db = disk / "decisions.db"
        for leave in (48 * 1024, 0):
            filler = fill(disk, leave_bytes=leave)
            ids = [tally.asked(ask(db))]
            filler.unlink()
            tally.check_kept(db, ids)


def _damaged(folder: Path, tally: Tally) -> None:
    for how in DAMAGES:
        db = folder / how.replace(" ", "-") / "decisions.db"
        first = json.loads(ask(db).stdout)["decision_id"]
        damage(db, how)
        ids = [tally.asked(ask(db))]
        for command in (["list"], ["show", first], ["search", "triage"], ["export"], ["revisit"], ["stats"]):
            tally.saw(localcheck("decisions", *command, db=db))
        tally.check_kept(db, ids)


def _hostile_input(folder: Path, tally: Tally) -> None:
    db = folder / "decisions.db"
    ask(db)
    for text in SEARCHES:
        tally.saw(localcheck("decisions", "search", "--", text, db=db))
    for odd in ODD_IDS:
        for command in (["show"], ["adopt"], ["feedback", "--helpful"]):
            tally.saw(localcheck("decisions", command[0], odd, *command[1:], db=db))


def _ids_in_file(db: Path) -> set[str]:
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        return {row[0] for row in c.execute("select id from decisions")}
    return set()


def _ids_in_spool(db: Path) -> set[str]:
    changes = (json.loads(f.read_text())["change"] for f in db.with_name(db.name + "-spool").glob("*.json"))
    return {change["row"]["id"] for change in changes if "row" in change}


def main() -> None:
    print("decision log, hostile:", json.dumps(measure()))


if __name__ == "__main__":
    main()
