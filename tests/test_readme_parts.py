"""The README's "How it works" table names each package of bot/ and each module at its top (the core) once,
and nothing that is not there; each package's __init__.py opens with one sentence saying what it does."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def table(readme: str) -> list[tuple[str, list[str]]]:
    """The rows of the table under "## How it works": each part's name and the paths it names."""
    section = readme.split("\n## How it works\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # past the header and its rule
    return [(cells[1].strip(), re.findall(r"`([^`]+)`", cells[2])) for cells in (row.split("|") for row in rows)]


def packages(root: Path) -> set[str]:
    """bot/'s packages, as the table writes them ("bot/check/rules/")."""
    bot = root / "bot"
    return {f"{init.parent.relative_to(root).as_posix()}/" for init in bot.rglob("__init__.py") if init.parent != bot}


def core(root: Path) -> set[str]:
    """The modules at the top of bot/, as the table writes them ("bot/answer.py")."""
    return {f"bot/{path.name}" for path in (root / "bot").glob("*.py") if path.name != "__init__.py"}


def drift(root: Path) -> list[str]:
    """What the table and bot/ disagree on; empty when each names what the other has, once."""
    rows = table((root / "README.md").read_text())
    listed = [path for _, paths in rows for path in paths]
    in_core = {path for part, paths in rows if part.startswith("core") for path in paths}
    found = [f"listed twice: {path}" for path in sorted({p for p in listed if listed.count(p) > 1})]
    found += [f"listed but not there: {path}" for path in listed if not (root / path).exists()]
    found += [f"not listed: {path}" for path in sorted((packages(root) | core(root)) - set(listed))]
    found += [f"not a package or a top-level module: {path}" for path in listed if _stray(root, path)]
    found += [f"a core row names {path}, not a top-level module" for path in sorted(in_core - core(root))]
    found += [f"{path} is not in a core row" for path in sorted(core(root) - in_core)]
    return found


def _stray(root: Path, path: str) -> bool:
    return path.startswith("bot") and path not in packages(root) | core(root)


def opening(init: Path) -> str:
    """The first paragraph of a package's docstring, on one line."""
    docstring = ast.get_docstring(ast.parse(init.read_text())) or ""
    return " ".join(docstring.split("\n\n", 1)[0].split())


def is_one_sentence(text: str) -> bool:
    """Ends with a full stop and has no other sentence in it ("e.g. RTX" is not a new sentence)."""
    return text.endswith(".") and not re.search(r"(?<!e\.g)(?<!i\.e)[.!?]\s+[A-Z]", text)


def test_the_how_it_works_table_names_every_package_and_core_module_once() -> None:
    assert drift(ROOT) == []


@pytest.mark.parametrize("init", sorted((ROOT / "bot").rglob("__init__.py")), ids=lambda p: str(p.parent.name))
def test_each_package_opens_with_one_sentence_saying_what_it_does(init: Path) -> None:
    said = opening(init)
    assert is_one_sentence(said), f"{init.relative_to(ROOT)} opens with {said!r}"


def _tree(tmp_path: Path, rows: list[str], modules: list[str]) -> Path:
    for module in modules:
        (tmp_path / module).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / module).write_text('"""Does one thing."""\n')
    (tmp_path / "knowledge").mkdir()
    head = "| part | where | what it does |\n| --- | --- | --- |\n"
    readme = "# x\n\n## How it works\n\n" + head + "\n".join(rows) + "\n\n## Next\n\n| a | `bot/zz/` | b |\n"
    (tmp_path / "README.md").write_text(readme)
    return tmp_path


TREE = [
    "bot/__init__.py",
    "bot/answer.py",
    "bot/parse/__init__.py",
    "bot/check/__init__.py",
    "bot/check/rules/__init__.py",
]
FITS = ["| core | `bot/answer.py` | x |", "| parse | `bot/parse/` | x |", "| check | `bot/check/`, `knowledge/` | x |"]


@pytest.mark.parametrize(
    ("rows", "extra", "expected"),
    [
        ([*FITS, "| rules | `bot/check/rules/` | x |"], [], []),
        (FITS, [], ["not listed: bot/check/rules/"]),
        ([*FITS, "| rules | `bot/check/rules/`, `bot/parse/` | x |"], [], ["listed twice: bot/parse/"]),
        (
            [*FITS, "| rules | `bot/check/rules/` | x |", "| write | `bot/write/` | x |"],
            [],
            ["listed but not there: bot/write/", "not a package or a top-level module: bot/write/"],
        ),
        (
            [*FITS, "| rules | `bot/check/rules/` | x |"],
            ["bot/charts.py"],
            ["not listed: bot/charts.py", "bot/charts.py is not in a core row"],
        ),
        (
            [*FITS, "| rules | `bot/check/rules/`, `bot/check/assess.py` | x |"],
            ["bot/check/assess.py"],
            ["not a package or a top-level module: bot/check/assess.py"],
        ),
        (
            ["| core | `bot/answer.py`, `bot/parse/` | x |", *FITS[2:], "| rules | `bot/check/rules/` | x |"],
            [],
            ["a core row names bot/parse/, not a top-level module"],
        ),
    ],
    ids=["in step", "a package left out", "listed twice", "gone", "a new core module", "a module", "core mixed"],
)
def test_drift_is_caught(tmp_path: Path, rows: list[str], extra: list[str], expected: list[str]) -> None:
    """The check itself can fail: each way the table and the tree part ways is named."""
    assert drift(_tree(tmp_path, rows, TREE + extra)) == expected


@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("Reads a team's words into a workload.", True),
        ("Sizes hardware, e.g. RTX cards, for a model.", True),
        ("The knowledge base: arguments, hardware", False),
        ("Reads the words. Then checks them.", False),
        ("localcheck: should this run locally?", False),
    ],
)
def test_one_sentence_is_told_from_others(text: str, one: bool) -> None:
    assert is_one_sentence(text) is one
