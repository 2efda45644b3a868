"""Every package of bot/ depends only downward: the knowledge base, then the parser and the checker,
then the writer, then the decision log, then the answer path, then the adapters (Slack, CLI), and
no adapter imports another. Read from the source with `ast`, lazy imports inside functions included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

# Lowest first. A unit may import its own modules and any unit of a lower layer, nothing else:
# two units of one layer (the parser and the checker, the two adapters) do not import each other.
LAYERS: list[set[str]] = [
    {"bot"},
    {"bot.resources", "bot.hints", "bot.units"},
    {"bot.settings"},
    {"bot.timing", "bot.llm"},
    {"bot.knowledge"},
    {"bot.workload", "bot.assessment"},
    {"bot.numbers"},
    {"bot.currency"},
    {"bot.wording"},
    {"bot.parse", "bot.check"},
    {"bot.asking", "bot.charts", "bot.team"},
    {"bot.write"},
    {"bot.decisions"},
    {"bot.answer"},
    {"bot.revisit"},
    {"bot.doctor"},
    {"bot.slack", "bot.cli"},
    {"bot.__main__"},
]

# The one place that must know both adapters: `localcheck serve` starts the Slack app, and
# `localcheck doctor` (bot.doctor) checks the Slack setup it would start with.
COMPOSITION = {("bot.cli.serve", "bot.slack"), ("bot.doctor", "bot.slack")}

LAYER_OF = {unit: rank for rank, layer in enumerate(LAYERS) for unit in layer}


def unit_of(module: str) -> str:
    """The longest unit the module belongs to: `bot.parse.volume` is in `bot.parse`."""
    parts = module.split(".")
    if module == "bot":
        return module
    for end in range(len(parts), 1, -1):
        if ".".join(parts[:end]) in LAYER_OF:
            return ".".join(parts[:end])
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def modules(root: Path = BOT) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield ".".join([*base, *([node.module] if node.module else [])]), node.lineno
            else:
                yield node.module or "", node.lineno


def violations(root: Path = BOT) -> list[str]:
    found = []
    for module, path in modules(root):
        source = unit_of(module)
        for target, line in imports(module, path):
            if target != "bot" and not target.startswith("bot."):
                continue
            imported = unit_of(target)
            allowed = imported == source or LAYER_OF[imported] < LAYER_OF[source]
            if not allowed and not any(module.startswith(a) and imported == b for a, b in COMPOSITION):
                way = "sideways" if LAYER_OF[imported] == LAYER_OF[source] else "upward"
                found.append(f"{path.relative_to(root.parent)}:{line} imports {target} ({way})")
    return found


def test_every_import_goes_down_a_layer() -> None:
    assert violations() == []


def test_no_module_imports_another_modules_private_names() -> None:
    """A helper two modules share is public, in the module both may import (`_get` is not borrowed)."""
    borrowed = [
        f"{path.relative_to(BOT.parent)}:{node.lineno} imports {alias.name} from {node.module}"
        for _, path in modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert borrowed == []


def test_every_module_has_a_layer() -> None:
    for module, _ in modules():
        unit_of(module)


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    [
        ("bot/check/x.py", "from bot.parse import parse", "bot.parse (sideways)"),
        ("bot/knowledge/x.py", "import bot.check.apis", "bot.check.apis (upward)"),
        ("bot/parse/x.py", "from ..check.resolve import find_model", "bot.check.resolve (sideways)"),
        ("bot/slack/x.py", "from bot.cli.common import fail", "bot.cli.common (sideways)"),
        ("bot/write/x.py", "def f():\n    from bot.decisions import store", "bot.decisions (upward)"),
    ],
)
def test_a_wrong_import_is_caught(tmp_path: Path, source: str, text: str, expected: str) -> None:
    """The check itself can fail: an import against the layers, at the top or lazily inside a function."""
    path = tmp_path / source
    path.parent.mkdir(parents=True)
    path.write_text(text)
    assert violations(tmp_path / "bot") == [f"{source}:{text.count(chr(10)) + 1} imports {expected}"]
