"""`localcheck knowledge check|list|show`: the data every answer cites."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import typer
import yaml

from bot.cli.common import checked_name, columns, fail, open_knowledge, report_problems
from bot.hints import command
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import money

Rows = Sequence[tuple[str, ...]]

knowledge_app = typer.Typer(help="Check and browse the knowledge base.", no_args_is_help=True)


class Section(StrEnum):
    arguments = "arguments"
    hardware = "hardware"
    models = "models"
    api_models = "api-models"
    providers = "providers"
    rentals = "rentals"
    hosts = "hosts"
    quantisations = "quantisations"
    sources = "sources"
    currencies = "currencies"
    defaults = "defaults"


@knowledge_app.command("check")
def check_command() -> None:
    """Validate every file and cross-reference; exit non-zero naming each problem."""
    from bot.knowledge.checks import cross_reference_problems
    from bot.knowledge.prices import price_data_version

    kb = open_knowledge()
    problems = cross_reference_problems(kb)
    if problems:
        report_problems(f"The knowledge base in {kb.root}", problems)
        raise typer.Exit(1)
    typer.echo(
        f"Knowledge base OK ({kb.root}, version {kb.version}): {len(kb.arguments)} arguments, "
        f"{len(kb.sources)} sources, {len(kb.hardware)} hardware, {len(kb.models)} models, "
        f"{len(kb.api_models)} API models, {len(kb.providers)} providers, {len(kb.rentals)} rental prices, "
        f"{len(kb.hosts)} host classes, "
        f"{len(kb.quantisations)} quantisations, {len(kb.calibration)} calibration points; "
        f"API prices from {price_data_version()}."
    )


@knowledge_app.command("list")
def list_command(
    section: Section | None = typer.Argument(None, help="Which part to list; all of them when left out."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List arguments, hardware, models, API models, providers, rentals, quantisations, sources, currencies
    or defaults."""
    kb = open_knowledge()
    sections = [section] if section else list(Section)
    if as_json:
        payload = {s.value: _as_json(kb, s) for s in sections}
        typer.echo(json.dumps(payload[section.value] if section else payload, indent=2))
        return
    for index, part in enumerate(sections):
        if len(sections) > 1:
            typer.echo(("\n" if index else "") + f"{part.value.upper()}")
        typer.echo("\n".join(columns(_ROWS[part](kb), rule=True)))


@knowledge_app.command("show")
def show_command(entry_id: str = typer.Argument(..., help="The id of an argument, hardware, model, ...")) -> None:
    """Show one entry in full, e.g. an argument id an answer cited."""
    entry_id = checked_name("ID", entry_id)
    kb = open_knowledge()
    for part in Section:
        if part is Section.defaults:
            continue
        entries: dict[str, Any] = getattr(kb, part.name)
        if entry_id in entries:
            data = entries[entry_id].model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            typer.echo(f"# {part.value}: {entry_id}")
            typer.echo(yaml.safe_dump(_whole_numbers(data), sort_keys=False, allow_unicode=True, width=100).rstrip())
            return
    fail(f"No entry has the id '{entry_id}'. `{command('knowledge list')}` shows them all.", code=1)


@knowledge_app.command("prices")
def prices_command(
    search: str = typer.Argument(..., help="Part of a provider or model id, e.g. 'gpt-4o' or 'groq/'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """API models genai-prices knows, with base prices per million tokens."""
    from bot.knowledge.prices import find_api_prices, price_data_version

    search = checked_name("SEARCH", search)
    found = find_api_prices(search)
    if as_json:
        typer.echo(json.dumps([vars(price) for price in found], indent=2))
        return
    if not found:
        fail(f"No API model in {price_data_version()} matches '{search}'.", code=1)
    rows = [("provider", "model", "input $/Mtok", "output $/Mtok")] + [
        (p.provider, p.model, f"{p.input_usd_per_mtok:g}", f"{p.output_usd_per_mtok:g}") for p in found
    ]
    typer.echo("\n".join(columns(rows, rule=True)))
    typer.echo(f"\nPrices from {price_data_version()}; long requests may be billed at higher tiers.")


def _whole_numbers(data: Any) -> Any:
    """8549 rather than 8549.0: the figures are written as people wrote them."""
    if isinstance(data, float) and data.is_integer():
        return int(data)
    if isinstance(data, dict):
        return {key: _whole_numbers(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_whole_numbers(value) for value in data]
    return data


def _as_json(kb: KnowledgeBase, section: Section) -> Any:
    if section is Section.defaults:
        return kb.defaults.model_dump(mode="json")
    entries: dict[str, Any] = getattr(kb, section.name)
    return [entry.model_dump(mode="json", exclude_none=True) for entry in entries.values()]


def _arguments_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "stance", "title", "sources")] + [
        (a.id, a.stance, a.title, ", ".join(sorted({c.source for c in a.cited}))) for a in kb.arguments.values()
    ]


def _hardware_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "name", "memory", "usable", "bandwidth", "fp16", "price")] + [
        (
            h.id,
            h.name,
            f"{h.memory_gb:g} GB",
            f"{h.usable_gb:.0f} GB",
            f"{h.memory_bandwidth_gbps:g} GB/s",
            f"{h.fp16_tflops:g} TF",
            _price(h.purchase_usd, _cheapest_on_demand(kb, h.id)),
        )
        for h in kb.hardware.values()
    ]


def _models_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "params", "tier", "ollama", "compares to")] + [
        (
            m.id,
            f"{m.params_b:g}B" + (f" ({m.active_params_b:g}B active)" if m.active_params_b else ""),
            m.quality_tier,
            m.ollama_tags[0] if m.ollama_tags else "",
            f"{m.comparable_api_models[0].provider}/{m.comparable_api_models[0].model}",
        )
        for m in kb.models.values()
    ]


def _api_models_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "provider/model", "tier", "shuts down", "why")] + [
        (a.id, f"{a.provider}/{a.model}", a.quality_tier, str(a.retires_on or ""), a.reason)
        for a in kb.api_models.values()
    ]


def _providers_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "kind", "data terms", "batch", "name")] + [
        (
            p.id,
            p.kind,
            ", ".join(t.term for t in p.terms),
            f"-{p.batch_discount:.0%}" if p.batch_discount else "",
            p.name,
        )
        for p in kb.providers.values()
    ]


def _rentals_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "hardware", "provider", "venue", "billing", "$/GPU-hour", "min GPUs")] + [
        (r.id, r.hardware, r.provider, r.venue, r.billing, f"${r.usd_per_gpu_hour:g}", str(r.min_gpus))
        for r in kb.rentals.values()
    ]


def _hosts_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "devices", "sold whole", "adds $", "adds W", "takes")] + [
        (
            h.id,
            f"up to {h.devices_max}",
            "yes" if h.whole else "",
            money(h.price_usd, places=0),
            f"{h.power_w:,.0f} W",
            ", ".join(h.takes),
        )
        for h in kb.hosts.values()
    ]


def _quantisations_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "name", "bits/weight", "bytes/weight", "quality")] + [
        (q.id, q.name, f"{q.bits_per_weight:g}", f"{q.bytes_per_weight:.3f}", q.quality_note)
        for q in kb.quantisations.values()
    ]


def _sources_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "kind", "title")] + [(s.id, s.kind, s.title) for s in kb.sources.values()]


def _currencies_rows(kb: KnowledgeBase) -> Rows:
    return [("id", "name", "symbol", "USD per unit", "as of", "source")] + [
        (c.id, c.name, c.symbol, f"{c.usd_per_unit:g}", c.as_of.isoformat(), c.source) for c in kb.currencies.values()
    ]


def _defaults_rows(kb: KnowledgeBase) -> Rows:
    return [("name", "value", "unit", "reason")] + [
        (name, _number(d.value) if isinstance(d.value, float) else d.value, getattr(d, "unit", ""), d.reason)
        for name, d in kb.defaults
    ]


_ROWS: dict[Section, Callable[[KnowledgeBase], Rows]] = {
    Section.arguments: _arguments_rows,
    Section.hardware: _hardware_rows,
    Section.models: _models_rows,
    Section.api_models: _api_models_rows,
    Section.providers: _providers_rows,
    Section.rentals: _rentals_rows,
    Section.hosts: _hosts_rows,
    Section.quantisations: _quantisations_rows,
    Section.sources: _sources_rows,
    Section.currencies: _currencies_rows,
    Section.defaults: _defaults_rows,
}
"""Each section's table: its header, then a row an entry."""


def _cheapest_on_demand(kb: KnowledgeBase, hardware_id: str) -> float | None:
    rates = (r.usd_per_gpu_hour for r in kb.rentals.values() if r.hardware == hardware_id and r.billing == "on-demand")
    return min(rates, default=None)


def _number(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:g}"


def _price(purchase: float | None, hourly: float | None) -> str:
    parts = []
    if purchase:
        parts.append(money(purchase, places=0))
    if hourly:
        parts.append(f"${hourly:g}/h")  # a knowledge base figure as written, every digit
    return " or ".join(parts)
