"""What the speed model predicts for a published measurement, measure by measure.

A calibration point may carry several measures: single-stream decode, prefill (as
a rate, or as the time to the first token of a prompt) and batched throughput at a
concurrency. Each is predicted the way the benchmark ran it, so fitting and testing
compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.check.capacity import SpeedModel, prefill_tokens_per_s, step_seconds
from bot.check.stacks import served_quant
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.calibration import CalibrationPoint

BENCH_CONTEXT = 128  # llama-bench's tg128 generates 128 tokens from an empty context
Measure = Literal["decode", "batched", "prefill"]
MEASURES: tuple[Measure, ...] = ("decode", "batched", "prefill")


@dataclass(frozen=True)
class PointError:
    point: CalibrationPoint
    measure: Measure
    predicted_tokens_per_s: float
    measured_tokens_per_s: float

    @property
    def relative_error(self) -> float:
        return self.predicted_tokens_per_s / self.measured_tokens_per_s - 1


def predictions(kb: KnowledgeBase, speed: SpeedModel, point: CalibrationPoint) -> list[PointError]:
    """Every measure `point` carries, predicted by `speed` (tokens per second, predicted and measured)."""
    hardware, model = kb.hardware[point.hardware], kb.models[point.model]
    quant = served_quant(speed.formats, point.engine, hardware, kb.quantisations[point.quant])
    engine, count = point.engine, point.count

    def step(context: int, batch: int) -> float:
        return step_seconds(speed, engine, hardware, model, quant, context, batch, count)

    prefill = prefill_tokens_per_s(speed, engine, hardware, model, quant, count)
    found: list[PointError] = []
    if (single := point.single_stream_tokens_per_s) is not None:
        context = point.input_tokens + (point.output_tokens or 0) // 2 if point.input_tokens else BENCH_CONTEXT
        found.append(PointError(point, "decode", 1 / step(context, 1), single))
    if point.prefill_tokens_per_s:
        found.append(PointError(point, "prefill", prefill, point.prefill_tokens_per_s))
    if point.time_to_first_token_ms and point.input_tokens:
        predicted_s = point.input_tokens / prefill + step(point.input_tokens, 1)
        measured_s = point.time_to_first_token_ms / 1000
        found.append(PointError(point, "prefill", point.input_tokens / predicted_s, point.input_tokens / measured_s))
    if point.aggregate_tokens_per_s and point.concurrency > 1 and point.input_tokens and point.output_tokens:
        batch, inputs, outputs = point.concurrency, point.input_tokens, point.output_tokens
        decode_s = outputs * step(inputs + outputs // 2, batch)
        prompts_s = batch * inputs / prefill if point.includes_prefill else 0.0
        found.append(
            PointError(point, "batched", batch * outputs / (decode_s + prompts_s), point.aggregate_tokens_per_s)
        )
    return found


def errors(kb: KnowledgeBase, speed: SpeedModel, measure: Measure, *, held_out: bool) -> list[PointError]:
    """Predicted against measured, for one measure, on held-out or on training points."""
    return [
        e
        for p in kb.calibration.values()
        if p.fits and p.held_out == held_out
        for e in predictions(kb, speed, p)
        if e.measure == measure
    ]
