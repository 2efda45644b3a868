"""What the code relies on when it answers: every reference pointing at a real entry.

Every citation, counter, quantisation, calibration, provider, rental and host reference
points at a real entry, and the entries every answer may need are there (a near-frontier
open model, a frontier API its provider still serves, a point to fit the speed model to).
The loader refuses a knowledge base that has any of these problems, so every command names
them instead of failing halfway through an answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from bot.knowledge.prices import pricing_date
from bot.knowledge.problems import Problem, located
from bot.knowledge.schema.models import ApiModelRef

if TYPE_CHECKING:
    from bot.knowledge.loader import KnowledgeBase


class ApiRef(NamedTuple):
    """An API model the knowledge base names, and where: the file, the entry and the field naming it."""

    ref: ApiModelRef
    file: str
    entry: str
    field: str

    def problem(self, message: str) -> Problem:
        return Problem(self.file, message, entry=self.entry, field=self.field)


def api_refs(kb: KnowledgeBase) -> Iterator[ApiRef]:
    """Every API model the knowledge base names, entry by entry: each API model and its fine-tune
    (api_models.yaml), then what each open model is compared with and is hosted as (models.yaml)."""
    for api in kb.api_models.values():
        yield ApiRef(api.ref, "api_models.yaml", api.id, "model")
        if api.fine_tune is not None:
            yield ApiRef(api.fine_tune, "api_models.yaml", api.id, "fine_tune")
    for model in kb.models.values():
        for ref in model.comparable_api_models:
            yield ApiRef(ref, "models.yaml", model.id, "comparable_api_models")
        for ref in model.hosted:
            yield ApiRef(ref, "models.yaml", model.id, "hosted")


def reference_problems(kb: KnowledgeBase) -> list[Problem]:
    """Every reference the code follows that points nowhere; an empty list means answers can use `kb`."""
    return located(
        kb.root,
        [
            *_argument_references(kb),
            *_model_references(kb),
            *_calibration_references(kb),
            *_provider_references(kb),
            *_rental_references(kb),
            *_host_references(kb),
            *_tiers_answers_need(kb),
            *_currency_table(kb),
        ],
    )


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


def _model_references(kb: KnowledgeBase) -> Iterator[Problem]:
    for model in kb.models.values():
        if model.default_quant not in kb.quantisations:
            yield Problem(
                "models.yaml",
                f"unknown quantisation '{model.default_quant}'",
                entry=model.id,
                field="default_quant",
            )
        for quant in model.measured_weights_gb.keys() - kb.quantisations.keys():
            yield Problem("models.yaml", f"unknown quantisation '{quant}'", entry=model.id, field="measured_weights_gb")


def _calibration_references(kb: KnowledgeBase) -> Iterator[Problem]:
    for point in kb.calibration.values():
        for field, table in (("hardware", kb.hardware), ("model", kb.models), ("quant", kb.quantisations)):
            value = getattr(point, field)
            if value not in table:
                yield Problem("calibration.yaml", f"unknown {field} '{value}'", entry=point.id, field=field)


def _provider_references(kb: KnowledgeBase) -> Iterator[Problem]:
    """Every API an answer may price names a provider whose data terms we know."""
    for named in api_refs(kb):
        if named.field != "comparable_api_models" and named.ref.provider not in kb.providers:
            # an API model's own provider is its `provider` field; a fine-tune's or a host's, the field naming it
            field = "provider" if named.field == "model" else named.field
            yield Problem(named.file, f"unknown provider '{named.ref.provider}'", entry=named.entry, field=field)


def _rental_references(kb: KnowledgeBase) -> Iterator[Problem]:
    for rental in kb.rentals.values():
        for field, table in (("hardware", kb.hardware), ("provider", kb.providers)):
            value = getattr(rental, field)
            if value not in table:
                yield Problem("rentals.yaml", f"unknown {field} '{value}'", entry=rental.id, field=field)
    rented = {rental.hardware for rental in kb.rentals.values()}
    for hardware in kb.hardware.values():
        if hardware.purchase_usd is None and hardware.id not in rented:
            yield Problem("hardware.yaml", "no price: give purchase_usd or a rental in rentals.yaml", entry=hardware.id)


def _host_references(kb: KnowledgeBase) -> Iterator[Problem]:
    """Every device has somewhere to go, and a host takes only devices that exist, of the kind it holds."""
    housed: set[str] = set()
    for host in kb.hosts.values():
        for hardware_id in host.takes:
            hardware = kb.hardware.get(hardware_id)
            if hardware is None:
                yield Problem("hosts.yaml", f"unknown hardware '{hardware_id}'", entry=host.id, field="takes")
            elif hardware.kind != "gpu" and host.devices_max != 1:
                yield Problem(
                    "hosts.yaml",
                    f"'{hardware_id}' is a whole machine ({hardware.kind}): only a host of one device takes it",
                    entry=host.id,
                    field="takes",
                )
            housed.add(hardware_id)
    for hardware_id in kb.hardware.keys() - housed:
        yield Problem("hardware.yaml", "no host in hosts.yaml takes this device", entry=hardware_id)


def _currency_table(kb: KnowledgeBase) -> Iterator[Problem]:
    """Prices are kept in US dollars, and a spelling read from a message names one currency."""
    usd = kb.currencies.get("USD")
    if usd is None or usd.usd_per_unit != 1:
        yield Problem("currencies.yaml", "USD must be listed, at 1 US dollar per unit", entry="USD")
    seen: dict[str, str] = {}
    for currency in kb.currencies.values():
        for spelling in currency.spellings:
            if spelling in seen:
                yield Problem(
                    "currencies.yaml", f"'{spelling}' also names {seen[spelling]}", entry=currency.id, field="spellings"
                )
            seen.setdefault(spelling, currency.id)


def _tiers_answers_need(kb: KnowledgeBase) -> Iterator[Problem]:
    """What the checker picks from in every answer: the best open model, a frontier API, points to fit."""
    if not any(model.quality_tier == "near-frontier" for model in kb.models.values()):
        yield Problem("models.yaml", "no near-frontier model: answers that need the best open model have none")
    today = pricing_date()
    if not any(api.quality_tier == "frontier" and not api.retired(today) for api in kb.api_models.values()):
        yield Problem(
            "api_models.yaml",
            "no frontier-tier API model its provider still serves: a frontier share has nowhere to go",
        )
    if not any(p.fits and not p.held_out and p.count == 1 for p in kb.calibration.values()):
        yield Problem(
            "calibration.yaml", "no point to fit the speed model to: one that ran on one device and is not held out"
        )
