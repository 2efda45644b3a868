"""`localcheck estimate`: one model on one hardware configuration, by the names people use."""

from __future__ import annotations

from dataclasses import dataclass

from bot.check.calibration import speed_model
from bot.check.capacity import Estimate, Measured, estimate
from bot.check.stacks import ENGINES, SERVED_FORMATS, default_engine
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.resolve import find_hardware, find_model, find_quantisation
from bot.knowledge.schema.calibration import Engine
from bot.knowledge.schema.hardware import Hardware
from bot.knowledge.schema.models import OpenModel, Quantisation


class InvalidRequest(ValueError):
    """A request whose numbers cannot be right; `field` names the option at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class NamedEstimate:
    hardware: Hardware
    model: OpenModel
    quant: Quantisation
    context: int
    prompt_tokens: int
    estimate: Estimate


def estimate_by_name(
    kb: KnowledgeBase,
    *,
    model: str,
    hardware: str,
    quant: str | None = None,
    count: int = 1,
    context: int | None = None,
    concurrency: int = 1,
    prompt_tokens: int = 512,
    engine: str | None = None,
    measured: Measured | None = None,
) -> NamedEstimate:
    """Resolve the names and estimate; raises `UnknownName` or `InvalidRequest`.

    Without `engine`, the stack is the hardware's (`bot.check.stacks`), unless a GGUF quantisation
    is named: only llama.cpp runs those.
    """
    open_model = find_model(kb, model)
    device = find_hardware(kb, hardware)
    quantisation = find_quantisation(kb, quant) if quant else kb.quantisations[open_model.default_quant]
    stack = _engine(engine) if engine else None
    if stack is None:
        gguf = quant is not None and quantisation.id not in SERVED_FORMATS
        stack = "llama.cpp" if gguf else default_engine(device)
    context = context if context is not None else max(4096, prompt_tokens)
    if context > open_model.max_context:
        raise InvalidRequest(
            "context",
            f"{open_model.name} handles at most {open_model.max_context:,} tokens of context, not {context:,}.",
        )
    if prompt_tokens > context:
        raise InvalidRequest(
            "prompt-tokens", f"A {prompt_tokens:,}-token prompt does not fit a {context:,}-token context."
        )
    result = estimate(
        speed_model(kb),
        device,
        open_model,
        quantisation,
        runtime_overhead_gb=kb.defaults.runtime_overhead_gb.value,
        count=count,
        context=context,
        concurrency=concurrency,
        prompt_tokens=prompt_tokens,
        engine=stack,
        measured=measured if stack == "llama.cpp" else None,
    )
    return NamedEstimate(device, open_model, quantisation, context, prompt_tokens, result)


def _engine(name: str) -> Engine:
    wanted = name.strip().casefold()
    aliases = {"ollama": "llama.cpp", "llamacpp": "llama.cpp", "llama-cpp": "llama.cpp"}
    found = next((e for e in ENGINES if e == aliases.get(wanted, wanted)), None)
    if found is None:
        raise InvalidRequest("engine", f"Unknown engine '{name}': say {' or '.join(ENGINES)}.")
    return found
