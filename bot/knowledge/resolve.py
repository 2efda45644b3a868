"""Turn what people type ("RTX 4090", "4090", "llama3.1:70b") into knowledge-base entries."""

from __future__ import annotations

import difflib
from functools import cache
from typing import TypeVar

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import ApiModel, Hardware, OpenModel, Quantisation, normalise_name

T = TypeVar("T")


class UnknownName(ValueError):
    """A name no entry answers to; the message offers the closest ones."""

    def __init__(self, kind: str, name: str, suggestions: list[str], field: str) -> None:
        self.kind, self.name, self.suggestions, self.field = kind, name, suggestions, field
        hint = f" Did you mean {_or_list(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown {kind} '{name}'.{hint} `localcheck knowledge list` shows them all.")


def find_hardware(kb: KnowledgeBase, name: str, field: str = "hardware") -> Hardware:
    return _find(kb, "hardware", name, field)


def find_model(kb: KnowledgeBase, name: str, field: str = "model") -> OpenModel:
    return _find(kb, "models", name, field)


def find_quantisation(kb: KnowledgeBase, name: str, field: str = "quant") -> Quantisation:
    return _find(kb, "quantisations", name, field)


def find_api_model(kb: KnowledgeBase, name: str) -> ApiModel | None:
    """A hosted model we know the tier of, by id, name, alias or provider/model."""
    entries, index = _index(kb, "api_models")
    entry_id = index.get(normalise_name(name))
    return entries[entry_id] if entry_id else None


def closest_api_models(kb: KnowledgeBase, name: str) -> list[str]:
    entries, index = _index(kb, "api_models")
    return _closest(name, index, entries)


def _find(kb: KnowledgeBase, table: str, name: str, field: str) -> T:  # type: ignore[type-var]
    entries, index = _index(kb, table)
    entry_id = index.get(normalise_name(name))
    if entry_id is None:
        kind = {"hardware": "hardware", "models": "model", "quantisations": "quantisation"}[table]
        raise UnknownName(kind, name, _closest(name, index, entries), field)
    return entries[entry_id]


@cache
def _index(kb: KnowledgeBase, table: str) -> tuple[dict, dict[str, str]]:
    """Every normalised name an entry answers to, mapped to its id (checks keep them unique)."""
    entries = getattr(kb, table)
    index: dict[str, str] = {}
    for entry_id, entry in entries.items():
        for name in entry.spellings():
            index.setdefault(normalise_name(name), entry_id)
    return entries, index


def _closest(name: str, index: dict[str, str], entries: dict) -> list[str]:
    matches = difflib.get_close_matches(normalise_name(name), list(index), n=8, cutoff=0.6)
    ids: list[str] = []
    for match in matches:
        if index[match] not in ids:
            ids.append(index[match])
    return [f"{entries[i].name} ({i})" if entries[i].name != i else i for i in ids[:3]]


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
