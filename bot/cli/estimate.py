"""`localcheck estimate`: can this hardware hold the model, and how fast will it run?"""

from __future__ import annotations

import json

import typer

from bot.cli.common import checked_name, fail, open_knowledge


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
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Memory needed, whether it fits, and decode, prefill and batched speeds."""
    from bot.check.estimating import InvalidRequest, estimate_by_name
    from bot.check.resolve import UnknownName

    model, hardware = checked_name("--model", model), checked_name("--hardware", hardware)
    quant = checked_name("--quant", quant) if quant is not None else None
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
        )
    except UnknownName as error:
        fail(f"--{error.field}: {error}")
    except InvalidRequest as error:
        # With no --context, the context is grown to the prompt: a prompt too long for it is the prompt's fault.
        fail(f"--{'prompt-tokens' if error.field == 'context' and context is None else error.field}: {error}")
    e = named.estimate
    if as_json:
        payload = {
            "model": named.model.id,
            "hardware": named.hardware.id,
            "quant": named.quant.id,
            "count": e.count,
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
        typer.echo(json.dumps(payload, indent=2))
        return
    devices = f"{e.count} x {named.hardware.name}" if e.count > 1 else named.hardware.name
    typer.echo(f"{named.model.name} at {named.quant.name} on {devices}, {named.context:,}-token context")
    if e.fits:
        verdict = "fits"
    elif e.max_concurrency:
        verdict = f"fits {e.max_concurrency} of the {e.concurrency} sequences"
    else:
        verdict = "does NOT fit"
    typer.echo(
        f"  memory    {verdict}: needs {e.memory_gb:.1f} GB (weights {e.weights_gb:.1f}, KV cache {e.kv_cache_gb:.1f}"
        f" for {e.concurrency} sequence(s), runtime {e.overhead_gb:.1f}) of {e.available_gb:.1f} GB usable"
    )
    if e.max_concurrency:
        typer.echo(f"            room for {e.max_concurrency} sequence(s) of this context at once")
    else:
        typer.echo("  speed     (what it would be with enough memory)")
    typer.echo(f"  decode    {e.decode_tokens_per_s:.1f} tokens/s for one stream")
    if e.concurrency > 1 and e.max_concurrency:
        served = min(e.concurrency, e.max_concurrency)
        typer.echo(f"  batched   {e.aggregate_tokens_per_s:.0f} tokens/s across {served} concurrent sequence(s)")
    typer.echo(f"  prefill   {e.prefill_tokens_per_s:,.0f} tokens/s")
    typer.echo(
        f"  first     {e.time_to_first_token_s:.2f} s to the first token of a {named.prompt_tokens:,}-token prompt"
    )
    if e.count > 1:
        typer.echo(
            f"  split     {e.count} devices add memory, not speed: one stream runs about "
            f"{e.split_slowdown:.0%} slower than on a single device with room for it"
        )
