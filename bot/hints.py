"""How to run a `localcheck` command from here, for the hints the command line prints.

A hint must work when pasted: `localcheck ...` when it is on PATH, `./dev ...`
in a checkout run through `./dev`, else the interpreter running now with `-m bot`.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path


def command(args: str) -> str:
    """`args` as a command the user can paste, e.g. `localcheck decisions show 01M8CF5QFW`."""
    return f"{_program()} {args}"


def _program() -> str:
    if shutil.which("localcheck"):
        return "localcheck"
    here = Path.cwd()
    if (here / "dev").is_file() and (here / "bot" / "__main__.py").is_file():
        return "./dev"
    return f"{shlex.quote(sys.executable)} -m bot"
