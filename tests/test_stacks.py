"""Two serving stacks: which one runs where, and what each does with batching, devices and weights."""

from __future__ import annotations

import statistics

import pytest

from bot.check.calibration import measure_errors
from bot.check.estimating import InvalidRequest, estimate_by_name
from bot.check.predicting import MEASURES
from bot.knowledge.loader import KnowledgeBase


@pytest.mark.parametrize(
    ("hardware", "engine"),
    [
        ("H100", "vllm"),
        ("A100", "vllm"),
        ("L40S", "vllm"),
        ("RTX 6000 Ada", "vllm"),
        ("RTX 4090", "llama.cpp"),
        ("RTX 3090", "llama.cpp"),
        ("M2 Ultra", "llama.cpp"),
        ("Strix Halo", "llama.cpp"),
        ("DGX Spark", "llama.cpp"),
    ],
)
def test_datacenter_gpus_get_a_batching_engine_and_desktops_llama_cpp(
    kb: KnowledgeBase, hardware: str, engine: str
) -> None:
    assert estimate_by_name(kb, model="llama3.1:8b", hardware=hardware).estimate.engine == engine


@pytest.mark.parametrize(("hardware", "weights"), [("H100", "fp8"), ("L40S", "fp8"), ("A100", "f16")])
def test_a_batching_engine_serves_fp8_where_the_hardware_has_it(kb: KnowledgeBase, hardware: str, weights: str) -> None:
    assert estimate_by_name(kb, model="llama3.1:70b", hardware=hardware, count=2).estimate.quant == weights
    # gpt-oss is published in MXFP4, which the engine loads as it is
    assert estimate_by_name(kb, model="gpt-oss:20b", hardware=hardware).estimate.quant == "mxfp4"


def test_tensor_parallelism_speeds_up_one_stream_where_a_layer_split_slows_it(kb: KnowledgeBase) -> None:
    def decode(count: int, engine: str) -> float:
        return estimate_by_name(
            kb, model="llama3.3:70b", hardware="H100", count=count, engine=engine
        ).estimate.decode_tokens_per_s

    assert decode(2, "vllm") > 1.3 * decode(1, "vllm")
    assert decode(2, "llama.cpp") < decode(1, "llama.cpp")
    assert estimate_by_name(kb, model="llama3.3:70b", hardware="H100", count=4).estimate.tensor_parallel == 4


def test_the_published_nim_figures_for_two_h100s_are_met(kb: KnowledgeBase) -> None:
    # NIM 1.8.0, Llama 3.3 70B FP8 TP2: 18.58 ms between tokens of one stream (the 52 tokens/s)
    two = estimate_by_name(kb, model="llama3.3:70b", hardware="H100", count=2, prompt_tokens=5000, context=5500)
    assert two.estimate.decode_tokens_per_s == pytest.approx(1000 / 18.58, rel=0.2)
    assert two.estimate.time_to_first_token_s == pytest.approx(0.40677, rel=0.25)


def test_llama_cpp_serves_a_few_parallel_slots_and_the_engine_hundreds(kb: KnowledgeBase) -> None:
    mac = estimate_by_name(kb, model="llama3.1:8b", hardware="M3 Ultra", concurrency=1000, context=2048).estimate
    h100 = estimate_by_name(kb, model="llama3.1:8b", hardware="H100", concurrency=1000, context=2048).estimate
    assert mac.max_concurrency == 32 and h100.max_concurrency == 256


@pytest.mark.parametrize("measure", MEASURES)
def test_held_out_errors_beat_the_naive_roofline(kb: KnowledgeBase, measure: str) -> None:
    fitted = [abs(e.relative_error) for e in measure_errors(kb, measure, held_out=True)]  # type: ignore[arg-type]
    naive = [abs(e.relative_error) for e in measure_errors(kb, measure, held_out=True, naive=True)]  # type: ignore[arg-type]
    assert len(fitted) >= 10
    assert statistics.median(fitted) <= 0.25
    assert statistics.median(fitted) < statistics.median(naive) / 2


def test_prefill_on_an_apu_with_a_mixture_of_experts_is_no_longer_wildly_high(kb: KnowledgeBase) -> None:
    point = kb.calibration["strix-halo-gpt-oss-20b-mxfp4"]  # 564 tokens/s measured; the old model said 8.8x
    result = estimate_by_name(kb, model="gpt-oss:20b", hardware="Strix Halo").estimate
    assert result.prefill_tokens_per_s < 2.5 * point.prefill_tokens_per_s  # type: ignore[operator]


@pytest.mark.parametrize("name", ["tensorrt", "sglang!", ""])
def test_an_unknown_engine_is_refused_naming_the_option(kb: KnowledgeBase, name: str) -> None:
    with pytest.raises(InvalidRequest) as raised:
        estimate_by_name(kb, model="llama3.1:8b", hardware="4090", engine=name or " ")
    assert raised.value.field == "engine"


@pytest.mark.parametrize("name", ["Ollama", "llama.cpp", "vLLM"])
def test_engines_answer_to_the_names_people_use(kb: KnowledgeBase, name: str) -> None:
    expected = "vllm" if name == "vLLM" else "llama.cpp"
    assert estimate_by_name(kb, model="llama3.1:8b", hardware="4090", engine=name).estimate.engine == expected
