"""Ways a decision log's file goes wrong, made for real, and `localcheck` run as a separate process.

Shared by the tests and by tests/bench/hostile_log.py, so neither fakes what SQLite
sees: another process holds the lock, the file or its folder cannot be written,
the disk is full, bytes are damaged.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

QUESTION = "about 2M tokens a day through gpt-4o-mini for ticket triage, 2 SREs run our servers"
DAMAGES = ("not a database", "truncated", "garbage header", "garbage pages", "garbled row")


class Unsupported(Exception):
    """This machine cannot make that condition (said why), so the case is skipped."""


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    command: str = ""
    """The subcommand run (`ask`, `decisions`, ...)."""
    waits_s: float = 0.0
    """How long it was told to wait for a busy log (LOCALCHECK_DB_TIMEOUT), if told."""


def localcheck(*args: str, db: Path, timeout_s: float | None = None, extra: dict[str, str] | None = None) -> Run:
    """`localcheck ARGS` in its own process, on the log at `db`, with no model server to reach."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOCALCHECK_", "SLACK_", "OLLAMA_"))}
    env.update({"LOCALCHECK_DB": str(db), "OLLAMA_HOST": "http://127.0.0.1:9", **(extra or {})})
    if timeout_s is not None:
        env["LOCALCHECK_DB_TIMEOUT"] = str(timeout_s)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    seconds = time.perf_counter() - started
    return Run(done.returncode, done.stdout, done.stderr, seconds, args[0] if args else "", timeout_s or 0.0)


def ask(db: Path, question: str = QUESTION, timeout_s: float | None = None) -> Run:
    return localcheck("ask", "--no-llm", "--json", question, db=db, timeout_s=timeout_s)


def decision_ids(db: Path) -> list[str]:
    """What the file holds, read with sqlite3 alone."""
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("select id from decisions order by id")]


def spooled_files(db: Path) -> list[Path]:
    folder = db.with_name(db.name + "-spool")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@contextmanager
def write_lock_held(db: Path, *, exclusive: bool = False) -> Iterator[None]:
    """Another connection holds the write lock (with `exclusive`, no one may even read) until the block ends."""
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        if exclusive:
            connection.execute("pragma locking_mode = exclusive")
            connection.execute("begin exclusive")
            connection.execute("update _migrations set applied_at = applied_at")
        else:
            connection.execute("begin immediate")
        yield
    finally:
        connection.execute("rollback")
        connection.close()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) cannot be written by localcheck until the block ends.

    chmod stops everyone but root; root is stopped by the immutable flag, which
    needs `chattr` and a file system that has it.
    """
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        raise Unsupported(f"running as root, and `chattr +i` is not available here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextmanager
def tiny_disk(folder: Path, size_kb: int = 256) -> Iterator[Path]:
    """A real file system of `size_kb` mounted at `folder` (root only), for disks that fill up."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        raise Unsupported(f"a full disk needs a small file system, and mounting one needs root: {mounted.stderr}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave_bytes: int = 0) -> Path:
    """Fill the disk holding `folder`, leaving about `leave_bytes` free."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    with open(filler, "wb") as file:
        file.write(b"\0" * max(stats.f_bavail * stats.f_frsize - leave_bytes, 0))
    return filler


def damage(db: Path, how: str, seed: int = 0) -> None:
    """Damage a closed log's file the way disks and people do (`how` is one of DAMAGES)."""
    data = bytearray(db.read_bytes())
    rng = random.Random(seed)
    if how == "not a database":
        db.write_text("this is a shopping list, not a decision log\n")
        return
    if how == "garbled row":  # bytes rotten inside the first row, where SQLite keeps no checksum
        with sqlite3.connect(db) as connection:
            connection.execute(
                "update decisions set workload = cast(x'fffe7b' as text), verdict = null, status = null "
                "where rowid = (select min(rowid) from decisions)"
            )
        return
    if how == "truncated":
        db.write_bytes(data[: len(data) // 3])
        return
    if how == "garbage header":
        data[:100] = rng.randbytes(100)
    elif how == "garbage pages":
        page = 4096
        for number in range(1, len(data) // page):
            if number % 2:
                data[number * page : (number + 1) * page] = rng.randbytes(page)
    else:
        raise ValueError(how)
    db.write_bytes(bytes(data))
