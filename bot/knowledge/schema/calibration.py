"""calibration.yaml: published speed measurements the speed model is fitted to and tested on."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.knowledge.schema.base import KebabId, Listed, ModelId, Positive, QuantId, Text

Engine = Literal["llama.cpp", "vllm"]
"""A serving stack. `llama.cpp`: llama.cpp and Ollama, on desktops, Macs and APUs (layers
split across devices, a few parallel slots). `vllm`: a continuous-batching engine for
workstation and datacenter GPUs (vLLM, SGLang, TensorRT-LLM, NIM): tensor parallelism
within a host, FP8 weights where the hardware has them."""


class CalibrationPoint(Listed):
    """A published speed measurement the speed model is fitted to or tested on."""

    id: KebabId
    hardware: KebabId
    model: ModelId
    quant: QuantId
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    """How many devices the model was split across (layers for llama.cpp, tensor parallel for vllm)."""
    engine: Engine = "llama.cpp"
    fits: bool = True
    """False records a published out-of-memory: the model did not load."""
    decode_tokens_per_s: Positive | None = None
    """Single-stream generation speed (llama-bench tg128)."""
    prefill_tokens_per_s: Positive | None = None
    """Prompt processing speed (llama-bench pp512)."""
    concurrency: Annotated[int, Field(ge=1, le=100_000)] = 1
    """Requests served at once (a batch size, a benchmark's concurrency or parallel sequences)."""
    input_tokens: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    output_tokens: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    """The size of each request in a batched or first-token measurement."""
    aggregate_tokens_per_s: Positive | None = None
    """Output tokens per second across all `concurrency` requests."""
    includes_prefill: bool = True
    """False when `aggregate_tokens_per_s` times generation only (llama-batched-bench S_TG),
    with `input_tokens` already in each sequence's cache."""
    time_to_first_token_ms: Positive | None = None
    """Time to the first token of an `input_tokens` prompt, at `concurrency` 1."""
    inter_token_latency_ms: Positive | None = None
    """Time between tokens of one stream; at `concurrency` 1 it is single-stream decode."""
    backend: Text
    held_out: bool = False
    """Held out of the fit, to test the model's error on points it never saw."""
    source: Text
    as_of: date
    notes: str | None = None

    @model_validator(mode="after")
    def _measured_if_it_ran(self) -> CalibrationPoint:
        speeds = (
            self.decode_tokens_per_s,
            self.prefill_tokens_per_s,
            self.aggregate_tokens_per_s,
            self.time_to_first_token_ms,
            self.inter_token_latency_ms,
        )
        if self.fits and not any(speeds):
            raise ValueError("a point that ran needs a speed")
        if not self.fits and any(speeds):
            raise ValueError("an out-of-memory point has no speeds")
        if (self.aggregate_tokens_per_s or self.time_to_first_token_ms) and self.input_tokens is None:
            raise ValueError("a batched or first-token measurement needs input_tokens")
        if self.aggregate_tokens_per_s and self.output_tokens is None:
            raise ValueError("a batched measurement needs output_tokens")
        return self

    @property
    def single_stream_tokens_per_s(self) -> float | None:
        """Single-stream decode, as llama-bench gives it or from one stream's inter-token latency."""
        if self.decode_tokens_per_s:
            return self.decode_tokens_per_s
        if self.inter_token_latency_ms and self.concurrency == 1:
            return 1000 / self.inter_token_latency_ms
        return None
