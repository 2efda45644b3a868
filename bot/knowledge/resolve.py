"""Turn what people type ("RTX 4090", "4090", "llama3.1:70b") into knowledge-base entries."""

from __future__ import annotations

from typing import TypeVar

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.names import closest, owner_of
from bot.knowledge.schema.hardware import Hardware
from bot.knowledge.schema.models import ApiModel, OpenModel, Quantisation

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
    entry_id = owner_of(kb, "api_models", name)
    return kb.api_models[entry_id] if entry_id else None


def closest_api_models(kb: KnowledgeBase, name: str) -> list[str]:
    return _suggestions(kb, "api_models", name)


def _find(kb: KnowledgeBase, table: str, name: str, field: str) -> T:  # type: ignore[type-var]
    entry_id = owner_of(kb, table, name)
    if entry_id is None:
        kind = {"hardware": "hardware", "models": "model", "quantisations": "quantisation"}[table]
        raise UnknownName(kind, name, _suggestions(kb, table, name), field)
    return getattr(kb, table)[entry_id]


def _suggestions(kb: KnowledgeBase, table: str, name: str) -> list[str]:
    entries = getattr(kb, table)
    ids = [entry_id for _, entry_id in closest(kb, table, name)]
    return [f"{entries[i].name} ({i})" if entries[i].name != i else i for i in ids]


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
