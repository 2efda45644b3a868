"""Can this hardware hold the model, and how fast will it run?

Memory: weights at the chosen quantisation (a mixture of experts stores every
expert), KV cache from layers x KV heads x head size per token of context
(grouped-query and sliding-window aware) for each concurrent sequence, and the
runtime's own overhead, against the usable share of the devices' memory.

Speed: generating a token reads the active weights and the sequence's KV cache
once, so single-stream decode is bounded by memory bandwidth; the fitted
`SpeedModel` says how close llama.cpp gets to that bound on each kind of
device. Prefill is bounded by compute. Batching shares one read of the weights
among many sequences, so aggregate throughput rises until compute or KV-cache
memory runs out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.knowledge.schema import Hardware, OpenModel, Quantisation

KV_BYTES_PER_VALUE = 2  # llama.cpp and Ollama keep the KV cache in f16 by default
MAX_CONCURRENCY = 256  # beyond this a single server's scheduler, not memory, is the limit


@dataclass(frozen=True)
class KindSpeed:
    """How close one kind of device gets to its roofline, fitted to measurements."""

    bandwidth_efficiency: float
    """Share of peak memory bandwidth a decode step achieves."""
    token_overhead_s: float
    """Fixed time per generated token (kernel launches, sampling, synchronisation)."""
    compute_efficiency: float
    """Share of peak FP16 throughput prompt processing achieves."""


@dataclass(frozen=True)
class SpeedModel:
    kinds: dict[str, KindSpeed]
    split_penalty: float
    """Extra time per token for each extra device a model is split across."""


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
    """How many sequences of this context the free memory holds (0: not even one)."""
    decode_tokens_per_s: float
    aggregate_tokens_per_s: float
    prefill_tokens_per_s: float
    time_to_first_token_s: float
    split_slowdown: float
    """Single-stream time lost to splitting across devices (0.1 = 10% slower)."""


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


def decode_seconds_per_token(
    speed: SpeedModel, hardware: Hardware, model: OpenModel, quant: Quantisation, context: int, count: int
) -> float:
    """Time for one single-stream token; the model is split by layers across `count` devices."""
    kind = speed.kinds[hardware.kind]
    return (
        roofline_seconds(hardware, model, quant, context, 1)
        / kind.bandwidth_efficiency
        * (1 + speed.split_penalty * (count - 1))
        + kind.token_overhead_s
    )


def roofline_seconds(hardware: Hardware, model: OpenModel, quant: Quantisation, context: int, batch: int) -> float:
    """Seconds to stream one decode step's bytes at full bandwidth.

    With layer split each device reads its own share in turn, so the time is
    the total bytes over one device's bandwidth whatever the count.
    """
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


def prefill_tokens_per_s(speed: SpeedModel, hardware: Hardware, model: OpenModel, count: int) -> float:
    """Prompt tokens per second: two FLOPs per active parameter per token."""
    flops = hardware.fp16_tflops * 1e12 * speed.kinds[hardware.kind].compute_efficiency
    return flops / (2 * model.params_read_per_token_b * 1e9) / (1 + speed.split_penalty * (count - 1))


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
) -> Estimate:
    """Memory and speed of `model` at `quant` on `count` x `hardware`."""
    weights = weights_gb(model, quant)
    kv_per_sequence = kv_cache_gb_per_sequence(model, context)
    overhead = runtime_overhead_gb * count  # each device runs its own context and buffers
    available = hardware.usable_gb * count
    room = available - weights - overhead
    max_concurrency = max(0, min(MAX_CONCURRENCY, math.floor(room / kv_per_sequence))) if room > 0 else 0
    needed = weights + kv_per_sequence * concurrency + overhead

    decode_s = decode_seconds_per_token(speed, hardware, model, quant, context, count)
    prefill = prefill_tokens_per_s(speed, hardware, model, count)
    served = min(concurrency, max_concurrency) if max_concurrency else 0
    return Estimate(
        fits=needed <= available,
        memory_gb=needed,
        weights_gb=weights,
        kv_cache_gb=kv_per_sequence * concurrency,
        overhead_gb=overhead,
        available_gb=available,
        count=count,
        concurrency=concurrency,
        max_concurrency=max_concurrency,
        decode_tokens_per_s=1 / decode_s,
        aggregate_tokens_per_s=aggregate_tokens_per_s(speed, hardware, model, quant, context, served, count),
        prefill_tokens_per_s=prefill,
        time_to_first_token_s=prompt_tokens / prefill + decode_s,
        split_slowdown=speed.split_penalty * (count - 1),
    )


def aggregate_tokens_per_s(
    speed: SpeedModel, hardware: Hardware, model: OpenModel, quant: Quantisation, context: int, batch: int, count: int
) -> float:
    """Tokens per second across `batch` concurrent sequences (0 when none fit).

    A step streams the weights once for the whole batch (plus each sequence's
    KV cache) and does two FLOPs per active parameter per sequence; the slower
    of the two bounds sets the pace.
    """
    if batch < 1:
        return 0.0
    kind = speed.kinds[hardware.kind]
    split = 1 + speed.split_penalty * (count - 1)
    memory_s = roofline_seconds(hardware, model, quant, context, batch) / kind.bandwidth_efficiency
    compute_s = (
        batch * 2 * model.params_read_per_token_b * 1e9 / (hardware.fp16_tflops * 1e12 * kind.compute_efficiency)
    )
    step_s = max(memory_s, compute_s) * split + kind.token_overhead_s
    return batch / step_s
