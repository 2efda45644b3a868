"""What is wrong with the knowledge base, and where: the file, the line, the entry and the field.

Line numbers are looked up only when a problem needs them, from the YAML's node tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.entry:
            parts.append(f"entry '{self.entry}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) + f": {self.message}"


class KnowledgeError(Exception):
    """The knowledge base did not load; `problems` says every place it broke."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_text(root: Path, name: str, problems: list[Problem]) -> str | None:
    """The file's text, or None with a problem when it cannot be read as text."""
    try:
        data = (root / name).read_bytes()
    except OSError as error:
        problems.append(Problem(name, f"cannot read: {error.strerror or error}"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        problems.append(Problem(name, f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8", line=line))
        return None


def located(root: Path, problems: list[Problem]) -> list[Problem]:
    """`problems` with the line of each entry and field filled in, read from the files under `root`."""
    indexes: dict[str, LineIndex] = {}
    placed = []
    for problem in problems:
        if problem.line is None and problem.entry is not None:
            if problem.file not in indexes:
                indexes[problem.file] = LineIndex(read_text(root, problem.file, []) or "")
            lines = indexes[problem.file]
            index = lines.entry_by_id(problem.entry)
            line = lines.field(index, (problem.field or "").partition(".")[0] or None) if index is not None else None
            problem = replace(problem, line=line or lines.top_key(problem.entry))
        placed.append(problem)
    return placed


def problems_from(
    error: ValidationError, file: str, entry: str | None, line_of: Callable[[str | None], int | None]
) -> Iterator[Problem]:
    """A problem for each error pydantic found, at the line `line_of` gives for its top-level field."""
    for detail in error.errors(include_url=False):
        location = [str(part) for part in detail["loc"]]
        field_path = ".".join(location) or None
        top = location[0] if location else None
        yield Problem(file, detail["msg"], line_of(top), entry, field_path)


class LineIndex:
    """Line numbers of entries and fields, found only when a problem needs them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._node: yaml.Node | None = None

    def _root(self) -> yaml.Node | None:
        if self._node is None:
            try:
                self._node = yaml.compose(self._text, Loader=yaml.SafeLoader)
            except (yaml.YAMLError, RecursionError):  # the pure-Python composer recurses per nesting level
                return None
        return self._node

    def entry_by_id(self, entry_id: str) -> int | None:
        """The index of the entry with this id."""
        root = self._root()
        if isinstance(root, yaml.SequenceNode):
            for index, node in enumerate(root.value):
                for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
                    if key.value == "id" and value.value == entry_id:
                        return index
        return None

    def entry(self, index: int) -> int | None:
        root = self._root()
        if isinstance(root, yaml.SequenceNode) and index < len(root.value):
            return root.value[index].start_mark.line + 1
        return None

    def field(self, index: int, name: str | None) -> int | None:
        root = self._root()
        if not isinstance(root, yaml.SequenceNode) or index >= len(root.value):
            return None
        return _key_line(root.value[index], name) or self.entry(index)

    def top_key(self, name: str | None) -> int | None:
        return _key_line(self._root(), name)


def _key_line(node: yaml.Node | None, name: str | None) -> int | None:
    if isinstance(node, yaml.MappingNode) and name is not None:
        for key, _ in node.value:
            if key.value == name:
                return key.start_mark.line + 1
    return None
