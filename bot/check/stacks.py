"""The two serving stacks, and which one a team would run on which hardware.

llama.cpp (and Ollama on top of it) is what runs on desktops, Macs and APUs: GGUF
weights, a model's layers split across devices, a few parallel slots. A vLLM-style
engine (vLLM, SGLang, TensorRT-LLM, NIM) is what serves from workstation and
datacenter GPUs: continuous batching of hundreds of sequences, tensor parallelism
inside a host, FP8 weights where the hardware has FP8 tensor cores and 16-bit
weights elsewhere. GeForce cards are desktops here: their driver licence keeps
them out of the datacenter (`datacenter_licence`), and Ollama is what most teams
run on one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import get_args

from bot.knowledge.schema.calibration import Engine
from bot.knowledge.schema.hardware import Hardware
from bot.knowledge.schema.models import Quantisation

ENGINES: tuple[Engine, ...] = get_args(Engine)
ENGINE_NAMES: dict[Engine, str] = {"llama.cpp": "llama.cpp/Ollama", "vllm": "vLLM-style engine"}
SERVED_FORMATS = frozenset({"f16", "fp8", "mxfp4"})
"""Weight formats a vLLM-style engine loads as published; the others are llama.cpp's GGUF formats."""
FP8_SPEEDUP = 2.0
"""Dense FP8 tensor throughput over dense FP16 on Ada, Hopper, Blackwell and CDNA 3 parts."""
MAX_SEQUENCES: dict[Engine, int] = {
    # vLLM's default max_num_seqs; beyond it the scheduler, not memory, is the limit.
    "vllm": 256,
    # The most parallel sequences the published llama.cpp batched runs measured (llama-batched-bench
    # B 32); Ollama itself defaults to one slot, so a team serving people raises OLLAMA_NUM_PARALLEL.
    "llama.cpp": 32,
}


def device_class(hardware: Hardware) -> str:
    """The kind of device as the speed model groups them: GeForce cards apart from other GPUs, since
    their published FP16 figure is the FP32-accumulate rate, half what llama.cpp's kernels reach."""
    return "desktop-gpu" if hardware.kind == "gpu" and not hardware.datacenter_licence else hardware.kind


def default_engine(hardware: Hardware) -> Engine:
    """vLLM-style on workstation and datacenter GPUs, llama.cpp on desktops, Macs, APUs and CPUs."""
    return "vllm" if hardware.kind == "gpu" and hardware.datacenter_licence else "llama.cpp"


def served_quant(
    formats: Mapping[str, Quantisation], engine: Engine, hardware: Hardware, quant: Quantisation
) -> Quantisation:
    """The weights `engine` actually serves when asked for `quant`: a vLLM-style engine does not load
    GGUF, so it serves FP8 where the hardware has it, else 16-bit weights."""
    if engine == "llama.cpp" or quant.id in SERVED_FORMATS or not formats:
        return quant
    return formats["fp8" if hardware.fp8 else "f16"]


def max_sequences(engine: Engine) -> int:
    return MAX_SEQUENCES[engine]
