"""`localcheck estimate`: can this hardware hold the model, and how fast will it run?"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from bot.check.stacks import ENGINE_NAMES
from bot.cli.common import checked_name, fail, open_knowledge

if TYPE_CHECKING:
    from bot.check.estimating import NamedEstimate


def estimate_command(
    model: str = typer.Option(..., "--model", "-m", help="Model id, name or Ollama tag, e.g. llama3.1:70b."),
    hardware: str = typer.Option(..., "--hardware", "-H", help="Hardware id or name, e.g. 'RTX 4090' or 'M2 Ultra'."),
    quant: str | None = typer.Option(None, "--quant", "-q", help="Quantisation, e.g. q4_k_m (default: the model's)."),
    count: int = typer.Option(1, "--count", "-n", min=1, max=64, help="Devices to split the model across."),
    context: int | None = typer.Option(
        None, "--context", min=1, help="Tokens of context per sequence (default: 4096 or the prompt)."
    ),
    concurrency: int = typer.Option(1, "--concurrency", "-c", min=1, max=4096, help="Sequences served at once."),
    prompt_tokens: int = typer.Option(512, "--prompt-tokens", min=1, help="Prompt length for time to first token."),
    engine: str | None = typer.Option(
        None, "--engine", "-e", help="Serving stack: llama.cpp (Ollama) or vllm (default: the hardware's)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Memory needed, whether it fits, and decode, prefill and batched speeds."""
    from bot.check.estimating import InvalidRequest, estimate_by_name
    from bot.knowledge.resolve import UnknownName

    model, hardware = checked_name("--model", model), checked_name("--hardware", hardware)
    quant = checked_name("--quant", quant) if quant is not None else None
    engine = checked_name("--engine", engine) if engine is not None else None
    kb = open_knowledge()
    try:
        named = estimate_by_name(
            kb,
            model=model,
            hardware=hardware,
            quant=quant,
            count=count,
            context=context,
            concurrency=concurrency,
            prompt_tokens=prompt_tokens,
            engine=engine,
        )
    except UnknownName as error:
        fail(f"--{error.field}: {error}")
    except InvalidRequest as error:
        # With no --context, the context is grown to the prompt: a prompt too long for it is the prompt's fault.
        fail(f"--{'prompt-tokens' if error.field == 'context' and context is None else error.field}: {error}")
    typer.echo(json.dumps(_as_json(named), indent=2) if as_json else "\n".join(_as_text(named)))


def _as_json(named: NamedEstimate) -> dict[str, object]:
    """What `--json` prints: every figure, rounded as the text shows it or finer."""
    e = named.estimate
    return {
        "model": named.model.id,
        "hardware": named.hardware.id,
        "quant": e.quant,
        "engine": e.engine,
        "count": e.count,
        "tensor_parallel": e.tensor_parallel,
        "context": named.context,
        "concurrency": e.concurrency,
        "prompt_tokens": named.prompt_tokens,
        "fits": e.fits,
        "memory_gb": round(e.memory_gb, 2),
        "available_gb": round(e.available_gb, 2),
        "weights_gb": round(e.weights_gb, 2),
        "kv_cache_gb": round(e.kv_cache_gb, 2),
        "overhead_gb": round(e.overhead_gb, 2),
        "max_concurrency": e.max_concurrency,
        "decode_tokens_per_s": round(e.decode_tokens_per_s, 1),
        "aggregate_tokens_per_s": round(e.aggregate_tokens_per_s, 1),
        "prefill_tokens_per_s": round(e.prefill_tokens_per_s, 1),
        "time_to_first_token_s": round(e.time_to_first_token_s, 2),
        "split_slowdown": round(e.split_slowdown, 3),
    }


def _as_text(named: NamedEstimate) -> list[str]:
    """The estimate as a person reads it, a line each: memory, then speeds, then what splitting does."""
    e = named.estimate
    devices = f"{e.count} x {named.hardware.name}" if e.count > 1 else named.hardware.name
    weights = named.quant.name if e.quant == named.quant.id else e.quant.upper()
    lines = [
        f"{named.model.name} at {weights} on {devices}, {named.context:,}-token context",
        f"  engine    {ENGINE_NAMES[e.engine]}{_why_engine(e.engine, named.quant.id, e.quant)}",
    ]
    if e.fits:
        verdict = "fits"
    elif e.max_concurrency:
        verdict = f"fits {e.max_concurrency} of the {e.concurrency} sequences"
    else:
        verdict = "does NOT fit"
    lines.append(
        f"  memory    {verdict}: needs {e.memory_gb:.1f} GB (weights {e.weights_gb:.1f}, KV cache {e.kv_cache_gb:.1f}"
        f" for {e.concurrency} sequence(s), runtime {e.overhead_gb:.1f}) of {e.available_gb:.1f} GB usable"
    )
    if e.max_concurrency:
        lines.append(f"            room for {e.max_concurrency} sequence(s) of this context at once")
    else:
        lines.append("  speed     (what it would be with enough memory)")
    lines.append(f"  decode    {e.decode_tokens_per_s:.1f} tokens/s for one stream")
    if e.concurrency > 1 and e.max_concurrency:
        batch = min(e.concurrency, e.max_concurrency)
        lines.append(
            f"  batched   {e.aggregate_tokens_per_s:.0f} tokens/s generated across {batch} concurrent sequence(s)"
        )
    lines.append(f"  prefill   {e.prefill_tokens_per_s:,.0f} tokens/s")
    lines.append(
        f"  first     {e.time_to_first_token_s:.2f} s to the first token of a {named.prompt_tokens:,}-token prompt"
    )
    if e.count > 1 and e.engine == "llama.cpp":
        lines.append(
            f"  split     {e.count} devices add memory, not speed: one stream runs about "
            f"{e.split_slowdown:.0%} slower than on a single device with room for it"
        )
    elif e.count > 1:
        lines.append(
            f"  parallel  tensor parallel over {e.tensor_parallel} devices: their bandwidth and compute add up"
        )
    return lines


def _why_engine(engine: str, asked: str, served: str) -> str:
    if engine == "vllm" and asked != served:
        return f" (continuous batching; it serves {served.upper()} weights, not GGUF {asked.upper()})"
    return " (continuous batching)" if engine == "vllm" else " (layers split across devices, parallel slots)"
