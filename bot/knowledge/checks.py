"""Cross-reference checks: what no single entry's schema can see, as `knowledge check` reports it.

`cross_reference_problems` adds to what answers rely on (`bot.knowledge.references`) names that
are unambiguous, sources and providers that are used, rentals consistent with their provider,
each hosted offering listed once, open models compared with API models their providers still
serve, and API models genai-prices can price and does not mark deprecated
(`bot.knowledge.price_checks`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.names import claimants
from bot.knowledge.price_checks import price_problems
from bot.knowledge.prices import pricing_date
from bot.knowledge.problems import Problem, located
from bot.knowledge.references import ApiRef, api_refs, reference_problems
from bot.knowledge.schema import LIST_FILES
from bot.knowledge.schema.base import Named
from bot.knowledge.schema.models import ApiModelRef

_TABLE_OF_FILE = {file: file.removesuffix(".yaml") for file in LIST_FILES}
"""The KnowledgeBase attribute each list file is read into."""
VENUE_OF_KIND = {"hyperscaler": "own-cloud", "gpu-cloud": "gpu-cloud"}
"""Where a rented GPU runs, by the kind of provider renting it: a hyperscaler's instances run
in the team's own account; no other kind of provider rents GPUs."""


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


def _ambiguous_names(file: str, entries: Iterable[Named]) -> Iterator[Problem]:
    """A name that two entries answer to would make lookups guess."""
    for spelled in claimants(entries).values():
        if len(spelled) > 1:
            owners_named = ", ".join(f"'{entry_id}' ('{name}')" for entry_id, name in spelled.items())
            yield Problem(file, f"one name, several entries: {owners_named}", field="aliases")


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
    owners: dict[ApiModelRef, list[ApiRef]] = {}
    for named in api_refs(kb):
        if named.field in ("model", "hosted"):
            owners.setdefault(named.ref, []).append(named)
    for ref, listed in owners.items():
        if len(listed) > 1:
            where = ", ".join(f"{named.file} '{named.entry}'" for named in listed)
            yield listed[-1].problem(f"{ref.provider}/{ref.model} is listed {len(listed)} times: {where}")


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
