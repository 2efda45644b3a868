"""The README shows real output: its examples are what the commands print today."""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, CliRun

README = (REPO / "README.md").read_text()
EXAMPLES = re.findall(r"```\n\$ localcheck ([^\n]+)\n(.*?)\n```", README, flags=re.S)
VERSION = re.compile(r"Knowledge base [0-9a-f]{12}")
DECISION_ID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}|(?<=decisions show )[0-9A-HJKMNP-TV-Z]{10}")


def stable(text: str) -> str:
    """What may differ between runs: the knowledge-base version and the logged decision's id."""
    return DECISION_ID.sub("…", VERSION.sub("Knowledge base …", text))


def test_the_readme_shows_examples() -> None:
    assert {command.split()[0] for command, _ in EXAMPLES} >= {"ask", "estimate"}


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_each_example_prints_what_the_readme_shows(
    cli: CliRun, command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README shows an installed `localcheck`, so its hints name it: put the virtualenv's on PATH.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    args = [arg.replace("examples/", f"{REPO}/examples/") for arg in shlex.split(command)]
    printed = cli(*args).output.rstrip()
    assert stable(printed) == stable(shown), "README example is stale: regenerate it from the command's output"
