"""Memory and speed: the figures people check first against what they know."""

from __future__ import annotations

import dataclasses
import statistics

import pytest

from bot.check.calibration import decode_errors, out_of_memory_predictions, speed_model
from bot.check.capacity import kv_cache_gb_per_sequence, weights_gb
from bot.check.estimating import InvalidRequest, estimate_by_name
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.resolve import UnknownName, find_hardware, find_model


def test_llama_3_1_8b_at_full_context_needs_the_well_known_16_gib_of_kv_cache(kb: KnowledgeBase) -> None:
    # 2 (K and V) x 8 KV heads x 128 dims x 2 bytes x 32 layers x 131,072 tokens
    assert kv_cache_gb_per_sequence(kb.models["llama-3.1-8b"], 131_072) == pytest.approx(17.18, abs=0.01)


def test_grouped_query_attention_shrinks_the_cache_against_llama_2(kb: KnowledgeBase) -> None:
    llama2 = kv_cache_gb_per_sequence(kb.models["llama-2-7b"], 4096)  # 32 KV heads
    llama3 = kv_cache_gb_per_sequence(kb.models["llama-3.1-8b"], 4096)  # 8 KV heads
    assert llama2 == pytest.approx(4 * llama3)


def test_sliding_window_layers_cap_gemma_3s_cache_at_long_context(kb: KnowledgeBase) -> None:
    gemma = kb.models["gemma-3-27b"]
    short, long = kv_cache_gb_per_sequence(gemma, 1024), kv_cache_gb_per_sequence(gemma, 131_072)
    # Only the full-attention layers grow past the window, so 128x the context is far less than 128x the cache.
    assert long < 30 * short


def test_weights_follow_the_quantisation_and_measured_checkpoints_win(kb: KnowledgeBase) -> None:
    llama70 = kb.models["llama-3.1-70b"]
    assert weights_gb(llama70, kb.quantisations["q4_k_m"]) == pytest.approx(43, abs=1.5)  # ~42.5 GB GGUF
    assert weights_gb(llama70, kb.quantisations["f16"]) == pytest.approx(141, abs=1)
    gpt_oss = kb.models["gpt-oss-20b"]
    assert weights_gb(gpt_oss, kb.quantisations["mxfp4"]) == gpt_oss.measured_weights_gb["mxfp4"]


@pytest.mark.parametrize(
    ("model", "hardware", "count", "fits"),
    [
        ("llama3.1:70b", "RTX 4090", 1, False),
        ("llama3.1:70b", "RTX 4090", 2, True),
        ("llama3.1:8b", "RTX 3070", 1, True),
        ("gpt-oss:120b", "H100", 1, True),
        ("gpt-oss:120b", "M3 Max", 1, False),
        ("qwen2.5:72b", "M2 Ultra", 1, True),
        ("llama-3.1-70b", "m1-max-64gb", 1, True),
    ],
)
def test_fits_where_people_know_it_fits(kb: KnowledgeBase, model: str, hardware: str, count: int, fits: bool) -> None:
    assert estimate_by_name(kb, model=model, hardware=hardware, count=count).estimate.fits is fits


def test_unified_memory_counts_only_its_usable_share(kb: KnowledgeBase) -> None:
    mac = find_hardware(kb, "M3 Ultra")
    result = estimate_by_name(kb, model="llama3.1:8b", hardware="M3 Ultra").estimate
    assert result.available_gb < mac.memory_gb


def test_every_published_run_fits_and_every_published_out_of_memory_does_not(kb: KnowledgeBase) -> None:
    for point in kb.calibration.values():
        if point.fits:
            result = estimate_by_name(
                kb,
                model=point.model,
                hardware=point.hardware,
                quant=point.quant,
                count=point.count,
                context=512,
                engine=point.engine,
            )
            assert result.estimate.fits, point.id
    predictions = out_of_memory_predictions(kb)
    assert len(predictions) >= 3
    assert all(predicted for _, predicted in predictions), [p.id for p, ok in predictions if not ok]


def test_decode_error_on_held_out_measurements_is_within_15_percent(kb: KnowledgeBase) -> None:
    held_out = decode_errors(kb, held_out=True)
    assert len(held_out) >= 10
    assert statistics.median(abs(e.relative_error) for e in held_out) <= 0.15


def test_held_out_points_do_not_move_the_fit(kb: KnowledgeBase) -> None:
    held = next(p for p in kb.calibration.values() if p.held_out and p.fits)
    changed = dict(kb.calibration)
    changed[held.id] = held.model_copy(update={"decode_tokens_per_s": held.decode_tokens_per_s * 5})
    altered = dataclasses.replace(kb, calibration=changed)
    assert speed_model(altered) == speed_model(kb)


def test_efficiencies_are_physical(kb: KnowledgeBase) -> None:
    for kind in speed_model(kb).kinds.values():
        assert 0.3 < kind.bandwidth_efficiency <= 1 and 0 < kind.compute_efficiency <= 1
        assert 0 <= kind.token_overhead_s < 0.05


def test_more_bandwidth_decodes_faster_and_bigger_models_slower(kb: KnowledgeBase) -> None:
    def speed(model: str, hardware: str) -> float:
        return estimate_by_name(kb, model=model, hardware=hardware).estimate.decode_tokens_per_s

    assert speed("llama3.1:8b", "RTX 5090") > speed("llama3.1:8b", "RTX 4090") > speed("llama3.1:8b", "RTX 3070")
    assert speed("llama3.1:8b", "M2 Ultra") > speed("llama3.1:70b", "M2 Ultra")


def test_a_mixture_of_experts_decodes_like_its_active_size(kb: KnowledgeBase) -> None:
    moe = estimate_by_name(kb, model="gpt-oss:120b", hardware="H100", engine="llama.cpp").estimate
    dense = estimate_by_name(kb, model="llama3.1:70b", hardware="H100", engine="llama.cpp").estimate
    assert moe.weights_gb > dense.weights_gb * 1.3
    assert moe.decode_tokens_per_s > dense.decode_tokens_per_s * 3


def test_batching_raises_throughput_until_memory_runs_out(kb: KnowledgeBase) -> None:
    def aggregate(concurrency: int) -> tuple[float, int]:
        result = estimate_by_name(kb, model="llama3.1:8b", hardware="RTX 4090", concurrency=concurrency, context=8192)
        return result.estimate.aggregate_tokens_per_s, result.estimate.max_concurrency

    one, room = aggregate(1)
    eight, _ = aggregate(8)
    assert eight > 2.5 * one  # llama.cpp's parallel slots: 3.3x on an M2 Ultra at B 8 in its published runs
    beyond, _ = aggregate(room * 4)
    at_limit, _ = aggregate(room)
    assert beyond == at_limit, "sequences that do not fit in memory add nothing"


def test_splitting_layers_across_devices_costs_single_stream_speed(kb: KnowledgeBase) -> None:
    one = estimate_by_name(kb, model="llama3.1:70b", hardware="A100", count=1, engine="llama.cpp").estimate
    two = estimate_by_name(kb, model="llama3.1:70b", hardware="A100", count=2, engine="llama.cpp").estimate
    assert two.decode_tokens_per_s < one.decode_tokens_per_s and two.split_slowdown > 0
    assert two.available_gb == pytest.approx(2 * one.available_gb) and two.tensor_parallel == 1


@pytest.mark.parametrize("name", ["RTX 4090", "4090", "rtx-4090", "GeForce RTX 4090", "rtx_4090"])
def test_hardware_answers_to_the_names_people_use(kb: KnowledgeBase, name: str) -> None:
    assert find_hardware(kb, name).id == "rtx-4090"


@pytest.mark.parametrize("name", ["llama3.1:70b", "Llama 3.1 70B", "llama-3.1-70b"])
def test_models_answer_to_ids_names_and_ollama_tags(kb: KnowledgeBase, name: str) -> None:
    assert find_model(kb, name).id == "llama-3.1-70b"


def test_an_unknown_name_suggests_the_closest(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownName) as raised:
        find_hardware(kb, "RTX 4909")
    assert "rtx-4090" in str(raised.value)


def test_a_context_beyond_the_model_is_refused_naming_the_option(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidRequest) as raised:
        estimate_by_name(kb, model="llama2:7b", hardware="4090", context=8192)
    assert raised.value.field == "context" and "4,096" in str(raised.value)
