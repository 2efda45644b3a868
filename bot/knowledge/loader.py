"""Read `knowledge/` into a validated `KnowledgeBase`.

Every problem is reported with the file, the line, the entry and the field, so a
maintainer who mistyped a number can go straight to it. All problems are
collected before failing, so one run shows everything a bad edit broke.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from bot.knowledge.problems import KnowledgeError, LineIndex, Problem, problems_from, read_text
from bot.knowledge.references import reference_problems
from bot.knowledge.schema import DEFAULTS_FILE, LIST_FILES
from bot.knowledge.schema.arguments import Argument, CitedSource
from bot.knowledge.schema.base import Listed
from bot.knowledge.schema.calibration import CalibrationPoint
from bot.knowledge.schema.currencies import Currency
from bot.knowledge.schema.defaults import Defaults
from bot.knowledge.schema.hardware import Hardware, HostClass, Rental
from bot.knowledge.schema.models import ApiModel, OpenModel, Quantisation
from bot.knowledge.schema.providers import Provider

try:  # the C loader is several times faster, and refuses deep nesting where Python's recurses
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

E = TypeVar("E", bound=Listed)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Everything an answer may cite, indexed by id.

    Compared and hashed by identity, so what is derived from one loaded
    knowledge base (name indexes, the fitted speed model) can be cached on it.
    """

    root: Path
    version: str
    sources: dict[str, CitedSource]
    arguments: dict[str, Argument]
    hardware: dict[str, Hardware]
    models: dict[str, OpenModel]
    quantisations: dict[str, Quantisation]
    calibration: dict[str, CalibrationPoint]
    api_models: dict[str, ApiModel]
    providers: dict[str, Provider]
    rentals: dict[str, Rental]
    hosts: dict[str, HostClass]
    currencies: dict[str, Currency]
    defaults: Defaults


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and validate every file under `root`; raise `KnowledgeError` on any problem.

    A knowledge base that loads is one the code can use: entries well formed, and
    every reference the code follows pointing at a real entry (`reference_problems`).
    The checks that only `knowledge check` needs (names, sources, prices) live in
    `bot.knowledge.checks`.
    """
    problems: list[Problem] = []
    tables: dict[str, dict[str, Any]] = {}
    digest = hashlib.sha256()
    for name, schema in LIST_FILES.items():
        text = read_text(root, name, problems)
        digest.update(name.encode() + b"\0" + (text or "").encode())
        tables[name] = _validate_list(name, text, schema, problems) if text is not None else {}
    defaults_text = read_text(root, DEFAULTS_FILE, problems)
    digest.update(DEFAULTS_FILE.encode() + b"\0" + (defaults_text or "").encode())
    defaults = _validate_defaults(defaults_text, problems) if defaults_text is not None else None
    if problems or defaults is None:
        raise KnowledgeError(problems)
    kb = KnowledgeBase(
        root=root,
        version=digest.hexdigest()[:12],
        sources=tables["sources.yaml"],
        arguments=tables["arguments.yaml"],
        hardware=tables["hardware.yaml"],
        models=tables["models.yaml"],
        quantisations=tables["quantisations.yaml"],
        calibration=tables["calibration.yaml"],
        api_models=tables["api_models.yaml"],
        providers=tables["providers.yaml"],
        rentals=tables["rentals.yaml"],
        hosts=tables["hosts.yaml"],
        currencies=tables["currencies.yaml"],
        defaults=defaults,
    )
    if problems := reference_problems(kb):
        raise KnowledgeError(problems)
    return kb


def load_yaml(text: str) -> Any:
    """YAML (or JSON) read safely, with libyaml when PyYAML has it."""
    return yaml.load(text, Loader=_Loader)


def _parse(name: str, text: str, problems: list[Problem]) -> Any:
    try:
        return load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problems.append(Problem(name, f"not valid YAML: {getattr(error, 'problem', error)}", line=line))
        return None


def _validate_list(name: str, text: str, schema: type[E], problems: list[Problem]) -> dict[str, E]:
    data = _parse(name, text, problems)
    if data is None and problems and problems[-1].file == name:
        return {}
    if not isinstance(data, list) or not data:
        problems.append(
            Problem(name, "no entries: expected a list of entries" if not data else "expected a list of entries")
        )
        return {}
    lines = LineIndex(text)
    entries: dict[str, E] = {}
    for index, raw in enumerate(data):
        label = _entry_label(raw, index)
        if not isinstance(raw, dict):
            problems.append(Problem(name, "an entry must be a mapping of fields", lines.entry(index), label))
            continue
        try:
            entry = schema.model_validate(raw)
        except ValidationError as error:
            problems.extend(problems_from(error, name, label, partial(lines.field, index)))
            continue
        entry_id = entry.id
        if entry_id in entries:
            problems.append(Problem(name, "duplicate id", lines.entry(index), label, "id"))
            continue
        entries[entry_id] = entry
    return entries


def _validate_defaults(text: str, problems: list[Problem]) -> Defaults | None:
    before = len(problems)
    data = _parse(DEFAULTS_FILE, text, problems)
    if not isinstance(data, dict):
        if len(problems) == before:
            problems.append(Problem(DEFAULTS_FILE, "expected a mapping of default names to values"))
        return None
    lines = LineIndex(text)
    try:
        return Defaults.model_validate(data)
    except ValidationError as error:
        for problem in problems_from(error, DEFAULTS_FILE, None, lines.top_key):
            # In defaults the first part of the location is the entry, the rest the field.
            entry, _, rest = (problem.field or "").partition(".")
            problems.append(Problem(problem.file, problem.message, problem.line, entry or None, rest or None))
        return None


def _entry_label(raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"]
    return f"#{index + 1}"
