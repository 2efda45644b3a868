"""The hints the command line prints can be pasted and run, however localcheck was started."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

QUESTION = "about 3000 requests a day on gpt-4o-mini, public data only"
VENV_BIN = Path(sys.executable).parent
PLAIN_PATH = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != VENV_BIN)


def run(args: list[str], *, cwd: Path, path: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "LOCALCHECK_DB": str(db)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


def hint_after_asking(cwd: Path, path: str, db: Path) -> str:
    asked = run([sys.executable, "-m", "bot", "ask", "--no-llm", QUESTION], cwd=cwd, path=path, db=db)
    assert asked.returncode == 0, asked.stderr
    found = re.search(r"Logged as decision \w+ \(`([^`]+)`\)", asked.stdout)
    assert found, asked.stdout
    citation = re.search(r"`([^`]+ knowledge show ID)` explains a \[citation\]", asked.stdout)
    assert citation and citation.group(1).replace("knowledge show ID", "") == found.group(1).split("decisions")[0]
    return found.group(1)


def test_with_localcheck_on_path_the_hint_names_it_and_runs(tmp_path: Path) -> None:
    path = f"{VENV_BIN}{os.pathsep}{PLAIN_PATH}"
    hint = hint_after_asking(tmp_path, path, tmp_path / "log.db")
    assert hint.startswith("localcheck decisions show ")
    shown = run(shlex.split(hint), cwd=tmp_path, path=path, db=tmp_path / "log.db")
    assert shown.returncode == 0 and QUESTION in shown.stdout


def test_in_a_checkout_without_localcheck_on_path_the_hint_says_dev(tmp_path: Path) -> None:
    hint = hint_after_asking(REPO, PLAIN_PATH, tmp_path / "log.db")
    assert hint.startswith("./dev decisions show ") and (REPO / "dev").is_file()


def test_elsewhere_the_hint_runs_the_interpreter_that_answered(tmp_path: Path) -> None:
    hint = hint_after_asking(tmp_path, PLAIN_PATH, tmp_path / "log.db")
    assert hint.startswith(f"{sys.executable} -m bot decisions show ")
    shown = run(shlex.split(hint), cwd=tmp_path, path=PLAIN_PATH, db=tmp_path / "log.db")
    assert shown.returncode == 0 and QUESTION in shown.stdout


def test_a_missing_decision_points_at_a_command_that_runs(tmp_path: Path) -> None:
    missing = run(
        [sys.executable, "-m", "bot", "decisions", "show", "ZZZZZZ"],
        cwd=tmp_path,
        path=PLAIN_PATH,
        db=tmp_path / "l.db",
    )
    assert missing.returncode == 1
    pointed = re.search(r"`([^`]+ decisions list)`", missing.stderr)
    assert pointed, missing.stderr
    listed = run(shlex.split(pointed.group(1)), cwd=tmp_path, path=PLAIN_PATH, db=tmp_path / "l.db")
    assert listed.returncode == 0
