"""Fit the speed model to the published measurements in `knowledge/calibration.yaml`.

llama.cpp, per kind of device (discrete GPU, unified memory, CPU): single-stream
decode time is roofline time / efficiency + a fixed overhead, fitted by least squares
on relative error; prompt processing is the median share of peak compute; then each
device with measurements of its own gets its own multipliers (shrunk toward its
kind's, so one point does not decide them), mixtures of experts their prefill factor,
and split models their penalty per device. Batched decode and the vLLM-style engine
are fitted together on the relative error of every measure they carry (decode,
batched throughput, first-token time), one parameter at a time within physical bounds.
Points marked `held_out` never enter the fit: they are how the tests and the
benchmark measure the error on data the model has not seen.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Callable, Iterable
from functools import cache

from bot.check.capacity import KindSpeed, SpeedModel, estimate, prefill_tokens_per_s, step_seconds
from bot.check.predicting import BENCH_CONTEXT, Measure, PointError, errors, predictions
from bot.check.stacks import ENGINES, device_class
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema.calibration import CalibrationPoint, Engine
from bot.knowledge.schema.models import Quantisation

KINDS = ("desktop-gpu", "gpu", "unified", "cpu")
MIN_POINTS_PER_KIND = 3  # fewer and a kind borrows the fit of all devices together
SHRINK_POINTS = 1.0
"""A device's own multiplier counts its n measurements as n / (n + this) of the evidence."""
BOUNDS: dict[str, tuple[float, float]] = {
    "bandwidth_efficiency": (0.3, 1.0),
    "token_overhead_s": (0.0, 0.04),
    "compute_efficiency": (0.02, 1.0),
    "batch_compute_efficiency": (0.02, 1.0),
    "sequence_overhead_s": (0.0, 0.002),
    "tensor_parallel_penalty": (0.0, 1.0),
}
"""Where a fitted parameter may go: the physical range of a share, and overheads of plausible size."""


@cache
def speed_model(kb: KnowledgeBase) -> SpeedModel:
    """The speed model fitted to every point of `kb` that is not held out."""
    training = [p for p in kb.calibration.values() if p.fits and not p.held_out]
    formats: dict[str, Quantisation] = {q: kb.quantisations[q] for q in ("f16", "fp8") if q in kb.quantisations}
    llama = [p for p in training if p.engine == "llama.cpp"]
    single = [p for p in llama if p.count == 1 and p.decode_tokens_per_s]
    pooled, pooled_compute = _fit_decode(kb, single), _fit_compute(kb, single)
    kinds: dict[tuple[str, str], KindSpeed] = {}
    for kind in KINDS:
        of_kind = [p for p in single if device_class(kb.hardware[p.hardware]) == kind]
        efficiency, overhead = _fit_decode(kb, of_kind) if len(of_kind) >= MIN_POINTS_PER_KIND else pooled
        prefill_points = [p for p in of_kind if p.prefill_tokens_per_s and not kb.models[p.model].is_moe]
        compute = _fit_compute(kb, of_kind) if len(prefill_points) >= MIN_POINTS_PER_KIND else pooled_compute
        kinds[("llama.cpp", kind)] = KindSpeed(efficiency, overhead, compute)
    speed = SpeedModel(kinds, split_penalty=0.0, formats=formats)  # type: ignore[arg-type]
    speed = dataclasses.replace(speed, moe_prefill_factor=_fit_moe_prefill(kb, speed, single))
    speed = dataclasses.replace(speed, hardware=_device_factors(kb, speed, single))
    speed = dataclasses.replace(speed, split_penalty=_fit_split_penalty(kb, speed, [p for p in llama if p.count > 1]))
    speed = _fit_batching(kb, speed, [p for p in llama if p.concurrency > 1])
    return _fit_vllm(kb, speed, [p for p in training if p.engine == "vllm"])


def naive_model(kb: KnowledgeBase) -> SpeedModel:
    """The plain roofline the fit is measured against: peak bandwidth for decode, peak FLOPS for
    prefill and batching, nothing lost to overheads or to splitting."""
    ideal = KindSpeed(1.0, 0.0, 1.0, 1.0, 0.0)
    formats: dict[str, Quantisation] = {q: kb.quantisations[q] for q in ("f16", "fp8") if q in kb.quantisations}
    return SpeedModel({(e, k): ideal for e in ENGINES for k in KINDS}, split_penalty=0.0, formats=formats)


def decode_errors(kb: KnowledgeBase, *, held_out: bool) -> list[PointError]:
    """Predicted against measured single-stream decode speed, on held-out or on training points."""
    return errors(kb, speed_model(kb), "decode", held_out=held_out)


def measure_errors(kb: KnowledgeBase, measure: Measure, *, held_out: bool, naive: bool = False) -> list[PointError]:
    return errors(kb, naive_model(kb) if naive else speed_model(kb), measure, held_out=held_out)


def _fit_decode(kb: KnowledgeBase, points: list[CalibrationPoint]) -> tuple[float, float]:
    """Efficiency and per-token overhead minimising the squared relative error.

    With time t = a*x + b (x the roofline time), minimise sum((a*x + b)/t - 1)^2;
    the normal equations are a 2x2 system. Efficiency 1/a is at most 1 and the
    overhead b is not negative.
    """
    if not points:
        raise ValueError("the knowledge base has no calibration point to fit the speed model to")
    measured = [(p, speed) for p in points if (speed := p.decode_tokens_per_s)]
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


_IDEAL = KindSpeed(1.0, 0.0, 1.0)


def _fit_compute(kb: KnowledgeBase, points: list[CalibrationPoint]) -> float:
    ideal = SpeedModel({("llama.cpp", k): _IDEAL for k in KINDS}, split_penalty=0.0)
    ratios = [
        p.prefill_tokens_per_s / _prefill(kb, ideal, p)
        for p in points
        if p.prefill_tokens_per_s and not kb.models[p.model].is_moe
    ]
    return min(1.0, statistics.median(ratios)) if ratios else 0.5


def _fit_moe_prefill(kb: KnowledgeBase, speed: SpeedModel, points: list[CalibrationPoint]) -> float:
    """How much slower a mixture of experts processes prompts than a dense model of its active size."""
    ratios = [_prefill(kb, speed, p) / p.prefill_tokens_per_s for p in points if p.prefill_tokens_per_s and _moe(kb, p)]
    return max(1.0, statistics.median(ratios)) if ratios else 1.0


def _device_factors(
    kb: KnowledgeBase, speed: SpeedModel, points: list[CalibrationPoint]
) -> dict[tuple[Engine, str], tuple[float, float]]:
    """Each measured device against its kind: how much longer its decode and prefill take."""
    factors: dict[tuple[Engine, str], tuple[float, float]] = {}
    for hardware_id in sorted({p.hardware for p in points}):
        mine = [p for p in points if p.hardware == hardware_id]
        kind = speed.kind("llama.cpp", kb.hardware[hardware_id])
        decode = [
            (1 / p.decode_tokens_per_s - kind.token_overhead_s) / (_roofline(kb, p) / kind.bandwidth_efficiency)
            for p in mine
            if p.decode_tokens_per_s and 1 / p.decode_tokens_per_s > kind.token_overhead_s
        ]
        prefill = [_prefill(kb, speed, p) / p.prefill_tokens_per_s for p in mine if p.prefill_tokens_per_s]
        factors[("llama.cpp", hardware_id)] = (_shrunk(decode), _shrunk(prefill))
    return factors


def _shrunk(ratios: list[float]) -> float:
    """The geometric mean of `ratios`, pulled toward 1 the fewer there are."""
    if not ratios:
        return 1.0
    mean_log = statistics.fmean(math.log(r) for r in ratios)
    return math.exp(mean_log * len(ratios) / (len(ratios) + SHRINK_POINTS))


def _fit_split_penalty(kb: KnowledgeBase, speed: SpeedModel, points: list[CalibrationPoint]) -> float:
    """Median extra time per extra device, from measurements of models split by layer."""
    if not points:
        return kb.defaults.split_penalty_per_device.value
    penalties = []
    for p in points:
        if not p.decode_tokens_per_s:
            continue
        hardware, model, quant = kb.hardware[p.hardware], kb.models[p.model], kb.quantisations[p.quant]
        unsplit = step_seconds(speed, "llama.cpp", hardware, model, quant, BENCH_CONTEXT, 1, 1)
        overhead = speed.kind("llama.cpp", hardware).token_overhead_s
        penalties.append(((1 / p.decode_tokens_per_s - overhead) / (unsplit - overhead) - 1) / (p.count - 1))
    return max(0.0, statistics.median(penalties)) if penalties else kb.defaults.split_penalty_per_device.value


def _fit_batching(kb: KnowledgeBase, speed: SpeedModel, points: list[CalibrationPoint]) -> SpeedModel:
    """llama.cpp's batched decode: one compute efficiency and one cost per sequence for all kinds."""
    if not points:
        return speed

    def build(values: dict[str, float]) -> SpeedModel:
        kinds = {
            key: dataclasses.replace(
                kind,
                batch_compute_efficiency=values["batch_compute_efficiency"],
                sequence_overhead_s=values["sequence_overhead_s"],
            )
            for key, kind in speed.kinds.items()
        }
        return dataclasses.replace(speed, kinds=kinds)

    start = {"batch_compute_efficiency": 0.5, "sequence_overhead_s": 0.0005}
    return build(_minimise(lambda values: _loss(kb, build(values), points), start))


def _fit_vllm(kb: KnowledgeBase, speed: SpeedModel, points: list[CalibrationPoint]) -> SpeedModel:
    """The vLLM-style engine on discrete GPUs, on every measure its points carry."""
    base = speed.kinds[("llama.cpp", "gpu")]
    if not points:
        return dataclasses.replace(speed, kinds={**speed.kinds, ("vllm", "gpu"): base})

    def build(values: dict[str, float]) -> SpeedModel:
        tp = values.pop("tensor_parallel_penalty")
        kind = KindSpeed(**values)
        return dataclasses.replace(speed, kinds={**speed.kinds, ("vllm", "gpu"): kind}, tensor_parallel_penalty=tp)

    start = {**dataclasses.asdict(base), "tensor_parallel_penalty": 0.1}
    return build(_minimise(lambda values: _loss(kb, build(dict(values)), points), start))


def _loss(kb: KnowledgeBase, speed: SpeedModel, points: Iterable[CalibrationPoint]) -> float:
    return sum(
        math.log(e.predicted_tokens_per_s / e.measured_tokens_per_s) ** 2
        for p in points
        for e in predictions(kb, speed, p)
    )


def _minimise(loss: Callable[[dict[str, float]], float], start: dict[str, float], rounds: int = 3) -> dict[str, float]:
    """Coordinate descent within `BOUNDS`: each parameter in turn over a grid, refined around the best."""
    best = dict(start)
    best_loss = loss(best)
    for round_ in range(rounds):
        for name in best:
            low, high = BOUNDS[name]
            span = (high - low) / 2 ** (2 * round_)
            centre = best[name]
            for step in range(-6, 7):
                trial = {**best, name: min(high, max(low, centre + span * step / 6))}
                trial_loss = loss(trial)
                if trial_loss < best_loss:
                    best, best_loss = trial, trial_loss
    return best


def _roofline(kb: KnowledgeBase, point: CalibrationPoint) -> float:
    from bot.check.capacity import roofline_seconds

    hardware, model, quant = kb.hardware[point.hardware], kb.models[point.model], kb.quantisations[point.quant]
    return roofline_seconds(hardware, model, quant, BENCH_CONTEXT, 1)


def _prefill(kb: KnowledgeBase, speed: SpeedModel, point: CalibrationPoint) -> float:
    hardware, model, quant = kb.hardware[point.hardware], kb.models[point.model], kb.quantisations[point.quant]
    return prefill_tokens_per_s(speed, "llama.cpp", hardware, model, quant, point.count)


def _moe(kb: KnowledgeBase, point: CalibrationPoint) -> bool:
    return kb.models[point.model].is_moe


def out_of_memory_predictions(kb: KnowledgeBase) -> list[tuple[CalibrationPoint, bool]]:
    """Each published out-of-memory point with whether the model also says it does not fit."""
    speed = speed_model(kb)
    overhead = kb.defaults.runtime_overhead_gb.value
    results = []
    for p in kb.calibration.values():
        if not p.fits:
            hardware, model, quant = kb.hardware[p.hardware], kb.models[p.model], kb.quantisations[p.quant]
            predicted = estimate(
                speed,
                hardware,
                model,
                quant,
                runtime_overhead_gb=overhead,
                count=p.count,
                context=BENCH_CONTEXT * 4,
                engine=p.engine,
            )
            results.append((p, not predicted.fits))
    return results
