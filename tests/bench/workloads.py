"""A reproducible mix of workloads like the ones teams describe, for benchmarks and properties."""

from __future__ import annotations

import random

from bot.workload import OwnedHardware, Workload

MODELS = ["llama3.1:8b", "qwen2.5:14b", "mistral-small:24b", "llama3.1:70b", "gpt-oss:20b", "gpt-oss:120b", None]
API_MODELS = ["gpt-4o-mini", "claude-haiku-4-5", "gpt-4.1-mini", "o4-mini", "gemini-2.5-flash", None]
HARDWARE = ["RTX 4090", "RTX 3090", "M2 Ultra", "DGX Spark", "H100", "L40S"]


def random_workload(rng: random.Random) -> Workload:
    """One plausible description; about a third leave the volume unsaid, as people do."""
    model = rng.choice(MODELS)
    fields: dict[str, object] = {
        "input_tokens": rng.choice([200, 500, 800, 2000, 6000]),
        "output_tokens": rng.choice([50, 150, 300, 800]),
        "ops_staff": rng.choice([0, 0.5, 1, 2, None]),
        "data_policy": rng.choice(["may-leave", "may-leave", "in-region", "must-stay", None]),
        "batch": rng.random() < 0.2,
    }
    if rng.random() < 0.67:
        fields["requests_per_day"] = round(10 ** rng.uniform(2, 7))
    if model:
        fields["model"] = model
    else:
        fields["api_model"] = rng.choice(API_MODELS)
    if rng.random() < 0.2:
        fields["availability"] = rng.choice([0.99, 0.999, 0.9999])
    if rng.random() < 0.2:
        fields["owned"] = [OwnedHardware(hardware=rng.choice(HARDWARE), count=rng.choice([1, 2, 4]))]
    if rng.random() < 0.05:
        fields["one_off_months"] = rng.choice([1, 3])
    if rng.random() < 0.1:
        fields["frontier_share"] = rng.choice([0.05, 0.2])
    return Workload.model_validate(fields)


def workload_mix(count: int, seed: int = 7) -> list[Workload]:
    rng = random.Random(seed)
    return [random_workload(rng) for _ in range(count)]
