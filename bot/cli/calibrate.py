"""`localcheck calibrate`: time a model on your own Ollama and keep the speeds for later answers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from bot.cli.common import checked_name, fail, open_knowledge

if TYPE_CHECKING:
    from bot.decisions.measurements import SpeedMeasurement
    from bot.decisions.store import DecisionLog
    from bot.knowledge.loader import KnowledgeBase
    from bot.knowledge.schema.hardware import Hardware
    from bot.knowledge.schema.models import OpenModel


def calibrate_command(
    model: str = typer.Option(..., "--model", "-m", help="The Ollama tag to time, e.g. llama3.1:8b."),
    hardware: str | None = typer.Option(
        None, "--hardware", "-H", help="What Ollama runs on, e.g. 'RTX 4090' (default: as last time)."
    ),
    runs: int = typer.Option(3, "--runs", min=1, max=20, help="Timed runs; the median is kept."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Time decode and prefill on your own Ollama; answers that run this model there use the figures."""
    from bot.check.calibration import speed_model
    from bot.check.capacity import estimate
    from bot.cli.log import open_log, reporting_log_problems
    from bot.knowledge.resolve import UnknownName, find_hardware, find_model

    tag = checked_name("--model", model)
    kb = open_knowledge()
    try:
        open_model = find_model(kb, tag)
        device = find_hardware(kb, checked_name("--hardware", hardware)) if hardware is not None else None
    except UnknownName as error:
        fail(f"--{error.field}: {error}")
    with reporting_log_problems():
        saved = _time_and_keep(kb, open_log(), tag, open_model, device, runs)
    predicted = estimate(
        speed_model(kb),
        kb.hardware[saved.hardware],
        open_model,
        kb.quantisations[saved.quant],
        runtime_overhead_gb=kb.defaults.runtime_overhead_gb.value,
        context=max(saved.context, 1),
        engine="llama.cpp",
    )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    **saved.__dict__,
                    "estimated_decode_tokens_per_s": round(predicted.decode_tokens_per_s, 1),
                    "estimated_prefill_tokens_per_s": round(predicted.prefill_tokens_per_s, 1),
                },
                indent=2,
            )
        )
        return
    device_name = kb.hardware[saved.hardware].name
    typer.echo(f"{open_model.name} ({tag}, {saved.quant}) on {device_name}, measured on your hardware through Ollama:")
    typer.echo(
        f"  decode    {saved.decode_tokens_per_s:.1f} tokens/s for one stream "
        f"(estimated {predicted.decode_tokens_per_s:.1f})"
    )
    if saved.prefill_tokens_per_s:
        typer.echo(
            f"  prefill   {saved.prefill_tokens_per_s:,.0f} tokens/s over {saved.context:,}-token prompts "
            f"(estimated {predicted.prefill_tokens_per_s:,.0f})"
        )
    typer.echo("Kept for later answers that run this model on this hardware with llama.cpp/Ollama.")


def _time_and_keep(
    kb: KnowledgeBase, log: DecisionLog, tag: str, open_model: OpenModel, device: Hardware | None, runs: int
) -> SpeedMeasurement:
    """Time `tag` on the team's Ollama and keep the speeds in the log; with no `device`, the one timed last."""
    from bot.cli.settings import load_settings
    from bot.decisions.measurements import CLI_TEAM, SpeedMeasurement, save_measurement, team_measurements
    from bot.timing import TimingFailed, time_model

    if device is None:
        earlier = team_measurements(log, CLI_TEAM)
        if not earlier:
            fail("--hardware: say what Ollama runs on, e.g. --hardware 'RTX 4090' (it is remembered after).")
        device = kb.hardware[earlier[0].hardware]
    try:
        timing = time_model(load_settings(), tag, runs=runs)
    except TimingFailed as error:
        fail(f"Could not time {tag}: {error}.", code=1)
    return save_measurement(
        log,
        SpeedMeasurement(
            team_id=CLI_TEAM,
            model=open_model.id,
            hardware=device.id,
            quant=timing.quant if timing.quant in kb.quantisations else open_model.default_quant,
            decode_tokens_per_s=round(timing.decode_tokens_per_s, 2),
            prefill_tokens_per_s=round(timing.prefill_tokens_per_s, 1) if timing.prefill_tokens_per_s else None,
            context=timing.prompt_tokens,
            ollama_tag=tag,
        ),
    )
