"""Can this hardware hold the model, and how fast will it run, on which serving stack?

Memory: weights at the chosen quantisation (a mixture of experts stores every
expert), KV cache from layers x KV heads x head size per token of context
(grouped-query and sliding-window aware) for each concurrent sequence, and the
runtime's own overhead, against the usable share of the devices' memory.

Speed: a decode step reads the active weights once for the whole batch and each
sequence's KV cache, and does two FLOPs per active parameter per sequence; the
slower of the two bounds, over what the stack achieves of each (the fitted
`SpeedModel`), plus fixed costs per step and per sequence, sets the pace.
Prefill is bounded by compute. Two stacks (`bot.check.stacks`) differ in how
they use several devices: llama.cpp splits the layers, so devices add memory and
each step still streams every byte through one device at a time; a vLLM-style
engine splits every layer (tensor parallelism), so the devices' bandwidth and
compute add up, less what synchronising them costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.check.stacks import FP8_SPEEDUP, Engine, default_engine, device_class, max_sequences, served_quant
from bot.knowledge.schema.hardware import Hardware
from bot.knowledge.schema.models import OpenModel, Quantisation

KV_BYTES_PER_VALUE = 2  # llama.cpp, Ollama and vLLM keep the KV cache in 16 bits by default


@dataclass(frozen=True)
class KindSpeed:
    """How close one stack gets to its roofline on one kind of device, fitted to measurements."""

    bandwidth_efficiency: float
    """Share of peak memory bandwidth a decode step achieves."""
    token_overhead_s: float
    """Fixed time per decode step (kernel launches, sampling, synchronisation)."""
    compute_efficiency: float
    """Share of peak tensor throughput prompt processing achieves."""
    batch_compute_efficiency: float = 1.0
    """Share of peak tensor throughput a batched decode step achieves."""
    sequence_overhead_s: float = 0.0
    """Time each further sequence adds to a decode step (its attention, sampling, scheduling)."""


@dataclass(frozen=True)
class Measured:
    """Speeds timed on the team's own hardware (`localcheck calibrate`): they replace the estimate's."""

    decode_tokens_per_s: float
    prefill_tokens_per_s: float | None = None
    context: int = 512
    """The context the decode speed was timed at."""
    quant: str | None = None
    """The weights timed (Ollama's tags are GGUF): the timing stands for this format only."""


@dataclass(frozen=True)
class SpeedModel:
    kinds: dict[tuple[Engine, str], KindSpeed]
    """By stack and class of device (`bot.check.stacks.device_class`)."""
    split_penalty: float
    """llama.cpp: extra time per token for each further device a model's layers are split across."""
    tensor_parallel_penalty: float = 0.0
    """vLLM-style: extra time per step for each further device in tensor parallel."""
    moe_prefill_factor: float = 1.0
    """Prompt processing of a mixture of experts against a dense model of its active size."""
    hardware: dict[tuple[Engine, str], tuple[float, float]] = field(default_factory=dict)
    """Published measurements of one device against its kind: (decode time, prefill time) multipliers."""
    formats: dict[str, Quantisation] = field(default_factory=dict)
    """The weight formats a vLLM-style engine serves (f16, fp8), by id."""

    def kind(self, engine: Engine, hardware: Hardware) -> KindSpeed:
        group = device_class(hardware)
        return self.kinds.get((engine, group)) or self.kinds.get((engine, "gpu")) or self.kinds[("llama.cpp", group)]

    def factors(self, engine: Engine, hardware: Hardware) -> tuple[float, float]:
        return self.hardware.get((engine, hardware.id), (1.0, 1.0))


@dataclass(frozen=True)
class Estimate:
    fits: bool
    memory_gb: float
    weights_gb: float
    kv_cache_gb: float
    overhead_gb: float
    available_gb: float
    count: int
    concurrency: int
    max_concurrency: int
    """How many sequences of this context the free memory (and the stack's scheduler) holds (0: not one)."""
    decode_tokens_per_s: float
    aggregate_tokens_per_s: float
    """Tokens per second generated across the sequences served at once (`concurrency`, up to what fits)."""
    prefill_tokens_per_s: float
    time_to_first_token_s: float
    split_slowdown: float
    """llama.cpp layer split: single-stream time lost to it (0.1 = 10% slower). 0 otherwise."""
    engine: Engine = "llama.cpp"
    quant: str = ""
    """The weight format served (a vLLM-style engine serves FP8 or 16-bit weights, not GGUF)."""
    tensor_parallel: int = 1
    """Devices one layer is split across (1 for llama.cpp, which splits by layer)."""
    measured: bool = False
    """The single-stream speeds were timed on the team's own hardware, not estimated."""


def weights_gb(model: OpenModel, quant: Quantisation) -> float:
    measured = model.measured_weights_gb.get(quant.id)
    return measured if measured is not None else model.params_b * quant.bytes_per_weight


def kv_cache_gb_per_sequence(model: OpenModel, context: int) -> float:
    """KV cache of one sequence holding `context` tokens."""
    per_token_per_layer = 2 * model.kv_heads * model.head_dim * KV_BYTES_PER_VALUE  # keys and values
    if model.sliding_window is not None and model.full_attention_layers is not None:
        windowed_layers = model.layers - model.full_attention_layers
        token_layers = model.full_attention_layers * context + windowed_layers * min(context, model.sliding_window)
    else:
        token_layers = model.layers * context
    return per_token_per_layer * token_layers / 1e9


def roofline_seconds(hardware: Hardware, model: OpenModel, quant: Quantisation, context: int, batch: int) -> float:
    """Seconds to stream one decode step's bytes through one device at full bandwidth."""
    active = weights_gb(model, quant) * _experts_read_share(model, batch)
    kv = kv_cache_gb_per_sequence(model, context) * batch
    return (active + kv) / hardware.memory_bandwidth_gbps


def _experts_read_share(model: OpenModel, batch: int) -> float:
    """Share of the stored weights a decode step reads.

    A dense model reads them all. In a mixture of experts each token reads its
    active share; a batch of tokens touches more distinct experts, roughly as
    independent draws would.
    """
    if model.active_params_b is None:
        return 1.0
    per_token = model.active_params_b / model.params_b
    return 1 - (1 - per_token) ** batch


def peak_flops(engine: Engine, hardware: Hardware, quant: Quantisation) -> float:
    """Dense tensor FLOP/s of one device: FP8 weights on FP8 hardware run at twice the FP16 rate in a
    vLLM-style engine (llama.cpp dequantises to 16 bits)."""
    fp8 = engine == "vllm" and hardware.fp8 and quant.id == "fp8"
    return hardware.fp16_tflops * 1e12 * (FP8_SPEEDUP if fp8 else 1.0)


def _parallel(speed: SpeedModel, engine: Engine, count: int) -> tuple[int, float]:
    """Devices whose bandwidth and compute add up, and the time multiplier that splitting costs."""
    if engine == "vllm":
        return count, 1 + speed.tensor_parallel_penalty * (count - 1)
    return 1, 1 + speed.split_penalty * (count - 1)


def step_seconds(
    speed: SpeedModel,
    engine: Engine,
    hardware: Hardware,
    model: OpenModel,
    quant: Quantisation,
    context: int,
    batch: int,
    count: int,
) -> float:
    """One decode step for `batch` sequences of `context` tokens on `count` devices."""
    kind = speed.kind(engine, hardware)
    decode_factor, _ = speed.factors(engine, hardware)
    devices, split = _parallel(speed, engine, count)
    memory_s = roofline_seconds(hardware, model, quant, context, batch) / devices / kind.bandwidth_efficiency
    compute_s = (
        batch
        * 2
        * model.params_read_per_token_b
        * 1e9
        / (peak_flops(engine, hardware, quant) * devices * kind.batch_compute_efficiency)
    )
    return (
        max(memory_s * decode_factor, compute_s) * split
        + kind.token_overhead_s
        + kind.sequence_overhead_s * (batch - 1)
    )


def prefill_tokens_per_s(
    speed: SpeedModel, engine: Engine, hardware: Hardware, model: OpenModel, quant: Quantisation, count: int
) -> float:
    """Prompt tokens per second: two FLOPs per active parameter per token."""
    kind = speed.kind(engine, hardware)
    _, prefill_factor = speed.factors(engine, hardware)
    devices, split = _parallel(speed, engine, count)
    flops = peak_flops(engine, hardware, quant) * devices * kind.compute_efficiency
    moe = speed.moe_prefill_factor if model.is_moe else 1.0
    return flops / (2 * model.params_read_per_token_b * 1e9) / (split * prefill_factor * moe)


def estimate(
    speed: SpeedModel,
    hardware: Hardware,
    model: OpenModel,
    quant: Quantisation,
    *,
    runtime_overhead_gb: float,
    count: int = 1,
    context: int = 4096,
    concurrency: int = 1,
    prompt_tokens: int = 512,
    engine: Engine | None = None,
    measured: Measured | None = None,
) -> Estimate:
    """Memory and speed of `model` on `count` x `hardware`, on `engine` (by default the stack for the
    hardware) serving `quant` or, on a vLLM-style engine, its own format."""
    engine = engine or default_engine(hardware)
    quant = served_quant(speed.formats, engine, hardware, quant)
    weights = weights_gb(model, quant)
    kv_per_sequence = kv_cache_gb_per_sequence(model, context)
    overhead = runtime_overhead_gb * count  # each device runs its own context and buffers
    available = hardware.usable_gb * count
    room = available - weights - overhead
    limit = max_sequences(engine)
    max_concurrency = max(0, min(limit, math.floor(room / kv_per_sequence))) if room > 0 else 0
    served = min(concurrency, max_concurrency)

    def step(batch: int) -> float:
        return step_seconds(speed, engine, hardware, model, quant, context, batch, count)

    decode_s, prefill = step(1), prefill_tokens_per_s(speed, engine, hardware, model, quant, count)
    scale = 1.0
    if measured is not None and (engine != "llama.cpp" or measured.quant not in (None, quant.id)):
        measured = None  # timed through Ollama: it speaks for llama.cpp running those weights only
    if measured is not None:  # the team's own timing replaces the estimate, and scales the rest alike
        at_measured = step_seconds(speed, engine, hardware, model, quant, measured.context, 1, count)
        scale = 1 / (measured.decode_tokens_per_s * at_measured)
        if measured.prefill_tokens_per_s:
            prefill = measured.prefill_tokens_per_s
    decode_s *= scale
    return Estimate(
        fits=weights + kv_per_sequence * concurrency + overhead <= available,
        memory_gb=weights + kv_per_sequence * concurrency + overhead,
        weights_gb=weights,
        kv_cache_gb=kv_per_sequence * concurrency,
        overhead_gb=overhead,
        available_gb=available,
        count=count,
        concurrency=concurrency,
        max_concurrency=max_concurrency,
        decode_tokens_per_s=1 / decode_s,
        aggregate_tokens_per_s=served / (step(served) * scale) if served else 0.0,
        prefill_tokens_per_s=prefill,
        time_to_first_token_s=prompt_tokens / prefill + decode_s,
        split_slowdown=speed.split_penalty * (count - 1) if engine == "llama.cpp" else 0.0,
        engine=engine,
        quant=quant.id,
        tensor_parallel=count if engine == "vllm" else 1,
        measured=measured is not None,
    )
