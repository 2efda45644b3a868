"""Cross-reference checks: what no single entry's schema can see.

Ids unique (the loader), names unambiguous, citations and counters pointing at
real entries, default quantisations known, comparable API models priced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.knowledge.loader import KnowledgeBase, Problem
from bot.knowledge.schema import Named, normalise_name
from bot.prices import unpriced_reason


def cross_reference_problems(kb: KnowledgeBase) -> list[Problem]:
    """Every cross-reference problem in `kb`; an empty list means it is sound."""
    return [
        *_ambiguous_names("hardware.yaml", kb.hardware.values()),
        *_ambiguous_names("models.yaml", kb.models.values()),
        *_ambiguous_names("api_models.yaml", kb.api_models.values()),
        *_argument_references(kb),
        *_unused_sources(kb),
        *_model_references(kb),
        *_calibration_references(kb),
        *_unpriced_api_models(kb),
    ]


def _ambiguous_names(file: str, entries: Iterable[Named]) -> Iterator[Problem]:
    """A name that two entries answer to would make lookups guess."""
    owners: dict[str, dict[str, str]] = {}  # normalised name -> entry id -> name as written
    for entry in entries:
        for name in entry.spellings():
            owners.setdefault(normalise_name(name), {}).setdefault(entry.id, name)
    for spelled in owners.values():
        if len(spelled) > 1:
            owners_named = ", ".join(f"'{entry_id}' ('{name}')" for entry_id, name in spelled.items())
            yield Problem(file, f"one name, several entries: {owners_named}", field="aliases")


def _argument_references(kb: KnowledgeBase) -> Iterator[Problem]:
    for argument in kb.arguments.values():
        for citation in argument.cited:
            if citation.source not in kb.sources:
                yield Problem(
                    "arguments.yaml", f"cites unknown source '{citation.source}'", entry=argument.id, field="cited"
                )
        for countered in argument.counters:
            if countered == argument.id or countered not in kb.arguments:
                yield Problem(
                    "arguments.yaml", f"counters unknown argument '{countered}'", entry=argument.id, field="counters"
                )


def _unused_sources(kb: KnowledgeBase) -> Iterator[Problem]:
    cited = {citation.source for argument in kb.arguments.values() for citation in argument.cited}
    for source_id in kb.sources.keys() - cited:
        yield Problem("sources.yaml", "no argument cites this source", entry=source_id)


def _model_references(kb: KnowledgeBase) -> Iterator[Problem]:
    for model in kb.models.values():
        if model.default_quant not in kb.quantisations:
            yield Problem(
                "models.yaml",
                f"unknown quantisation '{model.default_quant}'",
                entry=model.id,
                field="default_quant",
            )
        for api in model.comparable_api_models:
            reason = unpriced_reason(api)
            if reason:
                yield Problem(
                    "models.yaml",
                    f"genai-prices cannot price {api.provider}/{api.model}: {reason}",
                    entry=model.id,
                    field="comparable_api_models",
                )


def _calibration_references(kb: KnowledgeBase) -> Iterator[Problem]:
    for point in kb.calibration.values():
        for field, table in (("hardware", kb.hardware), ("model", kb.models), ("quant", kb.quantisations)):
            value = getattr(point, field)
            if value not in table:
                yield Problem("calibration.yaml", f"unknown {field} '{value}'", entry=point.id, field=field)


def _unpriced_api_models(kb: KnowledgeBase) -> Iterator[Problem]:
    for api in kb.api_models.values():
        reason = unpriced_reason(api.ref)
        if reason:
            yield Problem("api_models.yaml", f"genai-prices cannot price it: {reason}", entry=api.id, field="model")
