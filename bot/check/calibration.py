"""Fit the speed model to the published measurements in `knowledge/calibration.yaml`.

For each kind of device (discrete GPU, unified memory, CPU) decode time per
token is modelled as roofline time / efficiency + a fixed overhead, fitted by
least squares on relative error, since the target is a percentage error.
Points marked `held_out` never enter the fit: they are how the tests and the
benchmark measure the error on data the model has not seen.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cache

from bot.check.capacity import (
    KindSpeed,
    SpeedModel,
    decode_seconds_per_token,
    estimate,
    prefill_tokens_per_s,
    roofline_seconds,
)
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import CalibrationPoint

BENCH_CONTEXT = 128  # llama-bench's tg128 generates 128 tokens from an empty context
KINDS = ("gpu", "unified", "cpu")
MIN_POINTS_PER_KIND = 3  # fewer and a kind borrows the fit of all devices together


@dataclass(frozen=True)
class PointError:
    point: CalibrationPoint
    predicted_tokens_per_s: float
    measured_tokens_per_s: float

    @property
    def relative_error(self) -> float:
        return self.predicted_tokens_per_s / self.measured_tokens_per_s - 1


@cache
def speed_model(kb: KnowledgeBase) -> SpeedModel:
    """The speed model fitted to every point of `kb` that is not held out."""
    training = [p for p in kb.calibration.values() if p.fits and not p.held_out]
    single = [p for p in training if p.count == 1]
    pooled = _fit_decode(kb, single)
    pooled_compute = _fit_compute(kb, single)
    kinds: dict[str, KindSpeed] = {}
    for kind in KINDS:
        of_kind = [p for p in single if kb.hardware[p.hardware].kind == kind]
        efficiency, overhead = _fit_decode(kb, of_kind) if len(of_kind) >= MIN_POINTS_PER_KIND else pooled
        prefill_points = [p for p in of_kind if p.prefill_tokens_per_s]
        compute = _fit_compute(kb, of_kind) if len(prefill_points) >= MIN_POINTS_PER_KIND else pooled_compute
        kinds[kind] = KindSpeed(efficiency, overhead, compute)
    unsplit = SpeedModel(kinds, split_penalty=0.0)
    return SpeedModel(kinds, split_penalty=_fit_split_penalty(kb, unsplit, [p for p in training if p.count > 1]))


def _fit_decode(kb: KnowledgeBase, points: list[CalibrationPoint]) -> tuple[float, float]:
    """Efficiency and per-token overhead minimising the squared relative error.

    With time t = a*x + b (x the roofline time), minimise sum((a*x + b)/t - 1)^2;
    the normal equations are a 2x2 system. Efficiency 1/a is at most 1 and the
    overhead b is not negative.
    """
    if not points:
        raise ValueError("the knowledge base has no calibration point to fit the speed model to")
    measured = [(p, speed) for p in points if (speed := p.decode_tokens_per_s)]  # every point that ran has one
    u = [_roofline(kb, p) * speed for p, speed in measured]  # x / t
    v = [speed for _, speed in measured]  # 1 / t
    suu, svv = sum(x * x for x in u), sum(y * y for y in v)
    suv, su, sv = sum(x * y for x, y in zip(u, v, strict=True)), sum(u), sum(v)
    determinant = suu * svv - suv * suv
    a, b = ((su * svv - sv * suv) / determinant, (sv * suu - su * suv) / determinant) if determinant else (0, 0)
    if b < 0 or not determinant:
        a, b = su / suu, 0.0
    if a < 1:
        a, b = 1.0, max(0.0, (sv - suv) / svv)
    return 1 / a, b


def _fit_compute(kb: KnowledgeBase, points: list[CalibrationPoint]) -> float:
    ratios = [
        p.prefill_tokens_per_s / prefill_tokens_per_s(_IDEAL, kb.hardware[p.hardware], kb.models[p.model], 1)
        for p in points
        if p.prefill_tokens_per_s
    ]
    return min(1.0, statistics.median(ratios)) if ratios else 0.5


def _fit_split_penalty(kb: KnowledgeBase, unsplit: SpeedModel, points: list[CalibrationPoint]) -> float:
    """Median extra time per extra device, from measurements of split models."""
    if not points:
        return kb.defaults.split_penalty_per_device.value
    penalties = []
    for p in points:
        hardware, model, quant = kb.hardware[p.hardware], kb.models[p.model], kb.quantisations[p.quant]
        kind = unsplit.kinds[hardware.kind]
        predicted_unsplit = roofline_seconds(hardware, model, quant, BENCH_CONTEXT, 1) / kind.bandwidth_efficiency
        measured = 1 / p.decode_tokens_per_s - kind.token_overhead_s  # type: ignore[operator]
        penalties.append((measured / predicted_unsplit - 1) / (p.count - 1))
    return max(0.0, statistics.median(penalties))


_IDEAL = SpeedModel({kind: KindSpeed(1.0, 0.0, 1.0) for kind in KINDS}, split_penalty=0.0)


def _roofline(kb: KnowledgeBase, point: CalibrationPoint) -> float:
    hardware, model, quant = kb.hardware[point.hardware], kb.models[point.model], kb.quantisations[point.quant]
    return roofline_seconds(hardware, model, quant, BENCH_CONTEXT, 1)


def decode_errors(kb: KnowledgeBase, *, held_out: bool) -> list[PointError]:
    """Predicted against measured decode speed, on held-out or on training points."""
    speed = speed_model(kb)
    errors = []
    for p in kb.calibration.values():
        if p.fits and p.held_out == held_out:
            hardware, model, quant = kb.hardware[p.hardware], kb.models[p.model], kb.quantisations[p.quant]
            seconds = decode_seconds_per_token(speed, hardware, model, quant, BENCH_CONTEXT, p.count)
            errors.append(PointError(p, 1 / seconds, p.decode_tokens_per_s))  # type: ignore[arg-type]
    return errors


def out_of_memory_predictions(kb: KnowledgeBase) -> list[tuple[CalibrationPoint, bool]]:
    """Each published out-of-memory point with whether the model also says it does not fit."""
    speed = speed_model(kb)
    overhead = kb.defaults.runtime_overhead_gb.value
    results = []
    for p in kb.calibration.values():
        if not p.fits:
            hardware, model, quant = kb.hardware[p.hardware], kb.models[p.model], kb.quantisations[p.quant]
            predicted = estimate(
                speed, hardware, model, quant, runtime_overhead_gb=overhead, count=p.count, context=BENCH_CONTEXT * 4
            )
            results.append((p, not predicted.fits))
    return results
