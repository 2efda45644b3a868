"""The shipped knowledge base: complete, cited faithfully, and sound."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.knowledge.checks import cross_reference_problems
from bot.knowledge.loader import KnowledgeBase
from tests.conftest import REPO

SOURCE_ARGUMENTS = {
    "case-against-local-llms": {
        "utilities-centralise",
        "labor-is-the-real-cost",
        "economies-of-scale",
        "value-moves-up-the-stack",
        "hotrodders-garage",
    },
    "discussion-local-vs-cloud": {
        "cloud-cheaper-on-average",
        "local-savings",
        "stable-performance",
        "own-infrastructure-high-risk",
        "easy-model-swapping",
        "availability-is-what-you-pay-for",
        "on-prem-for-pure-compute",
        "just-an-http-endpoint",
        "no-state-to-lose",
        "no-economic-reason-for-local",
        "keep-ip-in-house",
    },
}
DECISION_ARGUMENTS = {
    "data-residency-and-regulation",
    "latency-and-offline",
    "frontier-quality-gap",
    "idle-hardware-utilisation",
    "bursty-and-one-off-jobs",
    "hardware-depreciation",
    "api-rate-limits-and-quotas",
}
HARDWARE = {
    "rtx-3070",
    "rtx-3080",
    "rtx-3090",
    "rtx-4070-ti",
    "rtx-4080",
    "rtx-4090",
    "rtx-5090",
    "rtx-a6000",
    "rtx-6000-ada",
    "l40s",
    "a100-80gb",
    "h100-pcie",
    "h100-sxm",
    "h200",
    "m1-max-64gb",
    "m2-ultra-192gb",
    "m3-max-64gb",
    "m3-ultra-512gb",
    "m4-max-128gb",
    "dgx-spark",
    "ryzen-ai-max-395-128gb",
}
MODELS = {
    "llama-3.2-3b",
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-2-7b",
    "llama-2-70b",
    "qwen2.5-7b",
    "qwen2.5-14b",
    "qwen2.5-32b",
    "qwen2.5-72b",
    "gemma-3-4b",
    "gemma-3-12b",
    "gemma-3-27b",
    "mistral-7b",
    "mistral-small-24b",
    "phi-4",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "deepseek-r1-distill-llama-70b",
}
QUANTISATIONS = {"f16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "q3_k_m"}


def shared_sources() -> Path:
    """The two texts the project began from, beside the repository as CI lays it out."""
    folder = Path(os.environ.get("LOCALCHECK_SOURCES_DIR", REPO.parent / "shared" / "sources"))
    if not folder.is_dir():
        pytest.skip(f"the source texts are not at {folder}; set LOCALCHECK_SOURCES_DIR")
    return folder


def comparable(text: str) -> str:
    """Whitespace and typographic quotes folded, as a reader would compare them."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def test_the_shipped_knowledge_base_has_no_cross_reference_problems(kb: KnowledgeBase) -> None:
    assert [str(p) for p in cross_reference_problems(kb)] == []


def test_every_argument_of_both_texts_is_present_and_cites_its_text(kb: KnowledgeBase) -> None:
    for source_id, expected in SOURCE_ARGUMENTS.items():
        missing = expected - kb.arguments.keys()
        assert not missing, f"arguments from {source_id} missing: {sorted(missing)}"
        for argument_id in expected:
            cited = {c.source for c in kb.arguments[argument_id].cited}
            assert source_id in cited, f"{argument_id} does not cite {source_id}"
    assert sum(len(ids) for ids in SOURCE_ARGUMENTS.values()) >= 12


def test_arguments_a_decision_needs_beyond_the_texts_are_present(kb: KnowledgeBase) -> None:
    assert kb.arguments.keys() >= DECISION_ARGUMENTS
    for argument_id in DECISION_ARGUMENTS:
        for citation in kb.arguments[argument_id].cited:
            assert kb.sources[citation.source].kind == "reference", argument_id


def test_both_sides_are_argued(kb: KnowledgeBase) -> None:
    stances = [a.stance for a in kb.arguments.values()]
    assert stances.count("local") >= 5 and stances.count("cloud") >= 5


def test_quotes_appear_word_for_word_in_the_source_texts(kb: KnowledgeBase) -> None:
    folder = shared_sources()
    texts = {s.id: comparable((folder / s.file).read_text()) for s in kb.sources.values() if s.file}
    quoted = 0
    for argument in kb.arguments.values():
        for citation in argument.cited:
            if citation.quote and citation.source in texts:
                assert comparable(citation.quote) in texts[citation.source], (argument.id, citation.quote)
                quoted += 1
    assert quoted >= 16, "each argument from the texts should quote the phrase it rests on"


def test_the_mac_studio_figures_are_the_essays(kb: KnowledgeBase) -> None:
    figures = {f.value for f in kb.arguments["economies-of-scale"].figures}
    assert {8549, 712, 12} <= figures
    assert kb.hardware["m3-ultra-512gb"].purchase_usd == 8549
    essay = (shared_sources() / kb.sources["case-against-local-llms"].file).read_text()
    assert "$8549" in essay and "$712 per month for 12 months" in essay


def test_required_hardware_models_and_quantisations_are_present(kb: KnowledgeBase) -> None:
    assert kb.hardware.keys() >= HARDWARE
    assert any(h.kind == "cpu" for h in kb.hardware.values()), "a CPU-only server"
    assert kb.models.keys() >= MODELS
    assert kb.quantisations.keys() >= QUANTISATIONS


def test_unified_memory_is_not_all_usable(kb: KnowledgeBase) -> None:
    for hardware in kb.hardware.values():
        if hardware.kind == "unified":
            assert hardware.usable_memory_fraction < 0.9, hardware.id


def test_mixture_of_experts_models_read_fewer_parameters_than_they_store(kb: KnowledgeBase) -> None:
    for model_id in ("gpt-oss-20b", "gpt-oss-120b"):
        model = kb.models[model_id]
        assert model.is_moe and model.params_read_per_token_b < model.params_b / 4


def test_quantisations_shrink_in_the_expected_order(kb: KnowledgeBase) -> None:
    order = ["f16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "q3_k_m"]
    sizes = [kb.quantisations[q].bytes_per_weight for q in order]
    assert sizes == sorted(sizes, reverse=True)
    assert kb.quantisations["f16"].bytes_per_weight == 2


def test_every_default_says_why(kb: KnowledgeBase) -> None:
    for name, default in kb.defaults:
        assert len(default.reason.split()) >= 5, name


def test_ollama_tags_look_like_ollama_tags(kb: KnowledgeBase) -> None:
    for model in kb.models.values():
        assert model.ollama_tags, model.id
        for tag in model.ollama_tags:
            assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*(:[a-z0-9._-]+)?", tag), (model.id, tag)


WAYS_TO_SERVE_ARGUMENTS = {
    "hosted-open-weights",
    "batch-api-discount",
    "prompt-caching",
    "reasoning-tokens-billed",
    "rent-by-the-hour",
    "geforce-datacenter-licence",
    "provider-data-terms",
}
RENTED_GPUS = {"h100-sxm", "h200", "a100-80gb", "l40s", "l4", "a10g", "rtx-pro-6000-blackwell", "mi300x", "b200"}
"""The GPUs teams rent in 2026, each needing an hourly price to be rented at all."""
SHUT_DOWN = {
    ("groq", "llama-3.1-8b-instant"),
    ("groq", "llama-3.3-70b-versatile"),
    ("groq", "qwen/qwen3-32b"),
    ("groq", "deepseek-r1-distill-llama-70b"),
    ("groq", "mixtral-8x7b-32768"),
    ("huggingface_groq", "meta-llama/Llama-3.3-70B-Instruct"),
    ("cerebras", "llama3.1-8b"),
    ("cerebras", "llama-3.3-70b"),
    ("mistral", "mistral-7b"),
    ("mistral", "mixtral-8x7b"),
}
"""Offerings their host has shut down (its deprecations page) that genai-prices still prices."""


def test_arguments_for_every_way_to_serve_cite_a_reference_with_a_quote(kb: KnowledgeBase) -> None:
    assert kb.arguments.keys() >= WAYS_TO_SERVE_ARGUMENTS
    for argument_id in WAYS_TO_SERVE_ARGUMENTS:
        citations = kb.arguments[argument_id].cited
        assert all(kb.sources[c.source].kind == "reference" for c in citations), argument_id
        assert any(c.quote for c in citations), argument_id


def test_the_gpus_teams_rent_have_an_hourly_price_and_the_missing_hardware_is_there(kb: KnowledgeBase) -> None:
    assert kb.hardware.keys() >= RENTED_GPUS | {"a10"}
    on_demand = {r.hardware for r in kb.rentals.values() if r.billing == "on-demand"}
    assert on_demand >= RENTED_GPUS
    own_cloud = {r.provider for r in kb.rentals.values() if r.venue == "own-cloud"}
    assert own_cloud >= {"aws", "azure", "gcp", "oci"}, "every hyperscaler a team may rent in its own account"


def test_hyperscaler_shapes_that_come_in_eights_are_rented_in_eights(kb: KnowledgeBase) -> None:
    for rental_id in ("h100-sxm-aws", "h100-sxm-azure", "h200-aws", "a100-80gb-aws", "mi300x-azure", "b200-oci"):
        assert kb.rentals[rental_id].min_gpus == 8, rental_id
    assert kb.rentals["a10g-aws"].min_gpus == 1  # g5.xlarge


def test_only_geforce_cards_carry_the_no_datacenter_clause(kb: KnowledgeBase) -> None:
    for hardware in kb.hardware.values():
        assert hardware.datacenter_licence == ("GeForce" not in hardware.name), hardware.id


def test_shut_down_offerings_are_neither_hosted_nor_compared_with(kb: KnowledgeBase) -> None:
    for model in kb.models.values():
        listed = {(ref.provider, ref.model) for ref in [*model.hosted, *model.comparable_api_models]}
        assert not listed & SHUT_DOWN, model.id


def test_open_models_are_sold_by_hosts_and_those_hosts_are_known(kb: KnowledgeBase) -> None:
    hosted = [ref for model in kb.models.values() for ref in model.hosted]
    assert len(hosted) >= 100
    assert sum(1 for model in kb.models.values() if model.hosted) >= 19
    assert {ref.provider for ref in hosted} <= kb.providers.keys()
    assert not any(ref.provider == "openai" for ref in hosted), "genai-prices' openai gpt-oss prices are OpenRouter's"


def test_contract_routes_are_recorded_with_the_terms_data_rules_need(kb: KnowledgeBase) -> None:
    def offering(term: str) -> set[str]:
        return {p.id for p in kb.providers.values() if p.offers(term)}

    assert offering("baa") >= {"openai", "anthropic", "aws", "azure", "google"}
    assert offering("region-eu") >= {"openai", "aws", "azure", "google"}
    assert not kb.providers["anthropic"].offers("region-eu"), "Anthropic's own API has no EU-only option"
    assert not kb.providers["deepseek"].terms, "no DeepSeek term was found in a source"
    routes = {api.provider for api in kb.api_models.values() if api.id.endswith(("-azure", "-bedrock", "-vertex"))}
    assert routes == {"azure", "aws", "google"}


def test_reasoning_models_are_flagged_and_models_that_think_only_on_request_are_not(kb: KnowledgeBase) -> None:
    thinking_by_default = ("o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-azure", "gemini-2.5-pro")
    # GPT-6's effort defaults to medium; Claude 5 and later think unless told not to; so do DeepSeek's V4.
    thinking_by_default += ("gpt-6-luna", "gpt-6.1-sol", "claude-sonnet-5-5", "claude-haiku-5-5", "deepseek-flash")
    for api_id in thinking_by_default:
        assert kb.api_models[api_id].reasoning, api_id
    # GPT-5.4 mini defaults to no reasoning and Gemini 3.5 Flash-Lite to minimal thinking.
    for api_id in ("gpt-4o-mini", "gpt-4.1", "claude-sonnet-4-5", "claude-haiku-4-5-bedrock", "gpt-5.4-mini"):
        assert not kb.api_models[api_id].reasoning, api_id
    assert not kb.api_models["gemini-3.5-flash-lite"].reasoning
    assert kb.api_models["gpt-4o-mini"].fine_tune is not None
