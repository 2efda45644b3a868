"""Cross-reference checks: what no single entry's schema can see.

`reference_problems` are what the code relies on when it answers: every citation,
counter, quantisation and calibration reference pointing at a real entry, and the
entries every answer may need (a near-frontier open model, a frontier API its
provider still serves, a point to fit the speed model to). The loader refuses a
knowledge base that has any, so every command names them instead of failing
halfway through an answer.

`cross_reference_problems` adds what `knowledge check` also wants: names that are
unambiguous, sources and providers that are used, rentals consistent with their
provider, each hosted offering listed once, open models compared with API models their
providers still serve, and API models genai-prices can price and does not mark
deprecated (`price_problems`, which loads genai-prices).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.names import claimants
from bot.knowledge.prices import pricing_date, unpriced_reason
from bot.knowledge.problems import Problem, located
from bot.knowledge.schema import LIST_FILES
from bot.knowledge.schema.base import Named
from bot.knowledge.schema.models import ApiModelRef

_TABLE_OF_FILE = {file: file.removesuffix(".yaml") for file in LIST_FILES}
"""The KnowledgeBase attribute each list file is read into."""
VENUE_OF_KIND = {"hyperscaler": "own-cloud", "gpu-cloud": "gpu-cloud"}
"""Where a rented GPU runs, by the kind of provider renting it: a hyperscaler's instances run
in the team's own account; no other kind of provider rents GPUs."""


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


def cross_reference_problems(kb: KnowledgeBase) -> list[Problem]:
    """Every cross-reference problem in `kb`; an empty list means it is sound."""
    return [
        *reference_problems(kb),
        *located(
            kb.root,
            [
                *_ambiguous_names("hardware.yaml", kb.hardware.values()),
                *_ambiguous_names("models.yaml", kb.models.values()),
                *_ambiguous_names("api_models.yaml", kb.api_models.values()),
                *_ambiguous_names("providers.yaml", kb.providers.values()),
                *_ids_in_two_files(kb),
                *_unused_sources(kb),
                *_unused_providers(kb),
                *_rentals_match_their_provider(kb),
                *_offerings_listed_twice(kb),
                *_fine_tunes_of_another_provider(kb),
                *_terms_listed_twice(kb),
                *_retired_comparables(kb),
            ],
        ),
        *price_problems(kb),
    ]


def price_problems(kb: KnowledgeBase) -> list[Problem]:
    """API models, and the ones open models compare with or are hosted as, that genai-prices
    cannot price or marks deprecated."""
    return located(kb.root, [*_unpriced_comparables(kb), *_unpriced_api_models(kb), *_deprecated_refs(kb)])


def _ambiguous_names(file: str, entries: Iterable[Named]) -> Iterator[Problem]:
    """A name that two entries answer to would make lookups guess."""
    for spelled in claimants(entries).values():
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


def _ids_in_two_files(kb: KnowledgeBase) -> Iterator[Problem]:
    """`knowledge show ID` looks an id up in every file: one id, one entry."""
    files: dict[str, list[str]] = {}
    for file in LIST_FILES:
        for entry_id in getattr(kb, _TABLE_OF_FILE[file]):
            files.setdefault(entry_id, []).append(file)
    for entry_id, found_in in files.items():
        if len(found_in) > 1:
            yield Problem(
                found_in[-1], f"the id is also used in {', '.join(found_in[:-1])}", entry=entry_id, field="id"
            )


def _unused_providers(kb: KnowledgeBase) -> Iterator[Problem]:
    named = {api.provider for api in kb.api_models.values()}
    named |= {ref.provider for model in kb.models.values() for ref in model.hosted}
    named |= {rental.provider for rental in kb.rentals.values()}
    for provider_id in kb.providers.keys() - named:
        yield Problem(
            "providers.yaml", "no API model, hosted offering or rental names this provider", entry=provider_id
        )


def _rentals_match_their_provider(kb: KnowledgeBase) -> Iterator[Problem]:
    """A rental is a GPU cloud's or a hyperscaler's, and runs where that kind of provider runs it."""
    for rental in kb.rentals.values():
        provider = kb.providers.get(rental.provider)
        if provider is None:
            continue  # an unknown provider is a reference problem
        venue = VENUE_OF_KIND.get(provider.kind)
        if venue is None:
            yield Problem(
                "rentals.yaml",
                f"'{provider.id}' is a {provider.kind} in providers.yaml, which does not rent GPUs "
                "(a rental's provider is a gpu-cloud or a hyperscaler)",
                entry=rental.id,
                field="provider",
            )
        elif rental.venue != venue:
            yield Problem(
                "rentals.yaml",
                f"venue {rental.venue}, but '{provider.id}' is a {provider.kind}, whose GPUs run in {venue}",
                entry=rental.id,
                field="venue",
            )
        if not rental.id.startswith(f"{rental.hardware}-{rental.provider}"):
            yield Problem(
                "rentals.yaml",
                f"the id should begin {rental.hardware}-{rental.provider}, its hardware and provider",
                entry=rental.id,
                field="id",
            )


def _offerings_listed_twice(kb: KnowledgeBase) -> Iterator[Problem]:
    """Each hosted offering is one way to serve a workload: listed twice, it would be priced twice
    (or rated at two models' tiers)."""
    owners: dict[ApiModelRef, list[tuple[str, str, str]]] = {}  # ref -> (file, entry, field) listing it
    for api in kb.api_models.values():
        owners.setdefault(api.ref, []).append(("api_models.yaml", api.id, "model"))
    for model in kb.models.values():
        for ref in model.hosted:
            owners.setdefault(ref, []).append(("models.yaml", model.id, "hosted"))
    for ref, listed in owners.items():
        if len(listed) > 1:
            where = ", ".join(f"{file} '{entry}'" for file, entry, _ in listed)
            file, entry, field = listed[-1]
            yield Problem(
                file, f"{ref.provider}/{ref.model} is listed {len(listed)} times: {where}", entry=entry, field=field
            )


def _fine_tunes_of_another_provider(kb: KnowledgeBase) -> Iterator[Problem]:
    for api in kb.api_models.values():
        if api.fine_tune is not None and api.fine_tune.provider != api.provider:
            yield Problem(
                "api_models.yaml",
                f"a fine-tune of {api.provider}/{api.model} is served by {api.provider}, not {api.fine_tune.provider}",
                entry=api.id,
                field="fine_tune",
            )


def _terms_listed_twice(kb: KnowledgeBase) -> Iterator[Problem]:
    for provider in kb.providers.values():
        for term, times in Counter(t.term for t in provider.terms).items():
            if times > 1:
                yield Problem(
                    "providers.yaml", f"term '{term}' is listed {times} times; give it once", entry=provider.id
                )


def _retired_comparables(kb: KnowledgeBase) -> Iterator[Problem]:
    """An open model compared with an API its provider has shut down is compared with nothing a
    team can buy."""
    rated = {api.ref: api for api in kb.api_models.values()}
    for model in kb.models.values():
        for ref in model.comparable_api_models:
            api = rated.get(ref)
            if api is not None and api.retires_on is not None and api.retired(pricing_date()):
                yield Problem(
                    "models.yaml",
                    f"{ref.provider}/{ref.model} was shut down on {api.retires_on.isoformat()} "
                    f"(api_models.yaml '{api.id}'): compare with a model its provider still serves",
                    entry=model.id,
                    field="comparable_api_models",
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
    for api in kb.api_models.values():
        for field, ref in (("provider", api.ref), ("fine_tune", api.fine_tune)):
            if ref is not None and ref.provider not in kb.providers:
                yield Problem("api_models.yaml", f"unknown provider '{ref.provider}'", entry=api.id, field=field)
    for model in kb.models.values():
        for ref in model.hosted:
            if ref.provider not in kb.providers:
                yield Problem("models.yaml", f"unknown provider '{ref.provider}'", entry=model.id, field="hosted")


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


def _unpriced_comparables(kb: KnowledgeBase) -> Iterator[Problem]:
    for model in kb.models.values():
        for api in model.comparable_api_models:
            if reason := unpriced_reason(api):
                yield Problem(
                    "models.yaml",
                    f"genai-prices cannot price {api.provider}/{api.model}: {reason}",
                    entry=model.id,
                    field="comparable_api_models",
                )


def _unpriced_api_models(kb: KnowledgeBase) -> Iterator[Problem]:
    for api in kb.api_models.values():
        if reason := unpriced_reason(api.ref):
            yield Problem("api_models.yaml", f"genai-prices cannot price it: {reason}", entry=api.id, field="model")
        if api.fine_tune is not None and (reason := unpriced_reason(api.fine_tune)):
            yield Problem(
                "api_models.yaml", f"genai-prices cannot price its fine-tune: {reason}", entry=api.id, field="fine_tune"
            )
    for model in kb.models.values():
        for ref in model.hosted:
            if reason := unpriced_reason(ref):
                yield Problem(
                    "models.yaml",
                    f"genai-prices cannot price {ref.provider}/{ref.model}: {reason}",
                    entry=model.id,
                    field="hosted",
                )


def _deprecated_refs(kb: KnowledgeBase) -> Iterator[Problem]:
    """genai-prices still prices many models their provider has shut down; those it marks
    deprecated are at least known to be going."""
    for api in kb.api_models.values():
        for field, ref in (("model", api.ref), ("fine_tune", api.fine_tune)):
            if ref is not None and _deprecated(ref):
                yield Problem("api_models.yaml", _DEPRECATED.format(ref=ref), entry=api.id, field=field)
    for model in kb.models.values():
        for field, refs in (("comparable_api_models", model.comparable_api_models), ("hosted", model.hosted)):
            for ref in refs:
                if _deprecated(ref):
                    yield Problem("models.yaml", _DEPRECATED.format(ref=ref), entry=model.id, field=field)


_DEPRECATED = "genai-prices marks {ref.provider}/{ref.model} deprecated: name a model its provider still serves"


@cache
def _deprecated(ref: ApiModelRef) -> bool:
    from genai_prices import Usage, calc_price

    try:
        price = calc_price(Usage(input_tokens=1, output_tokens=1), ref.model, provider_id=ref.provider)
    except LookupError:
        return False  # not priced at all: `_unpriced_*` say so
    return bool(price.model.deprecated)
