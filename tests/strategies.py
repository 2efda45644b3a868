"""Hypothesis strategies for workloads a team could describe."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.workload import OwnedHardware, Workload

MODELS = [
    "llama3.1:8b",
    "qwen2.5:7b",
    "phi4",
    "mistral-small:24b",
    "gemma3:27b",
    "llama3.1:70b",
    "gpt-oss:20b",
    "gpt-oss:120b",
]
HARDWARE = ["RTX 4090", "RTX 3090", "RTX 5090", "M2 Ultra", "M3 Ultra", "DGX Spark", "H100", "L40S", "A6000"]

volumes = st.floats(min_value=10, max_value=1_000_000)


@st.composite
def workloads(draw: st.DrawFn, **fixed: object) -> Workload:
    fields: dict[str, object] = {
        "requests_per_day": draw(volumes),
        "input_tokens": draw(st.sampled_from([100, 400, 800, 2000, 6000])),
        "output_tokens": draw(st.sampled_from([50, 200, 500])),
        "model": draw(st.sampled_from(MODELS)),
        "ops_staff": draw(st.sampled_from([0, 0.5, 1, 3, None])),
        "batch": draw(st.booleans()),
        "availability": draw(st.sampled_from([None, 0.99, 0.999, 0.9999])),
        "service_hours": draw(st.sampled_from([None, None, "office", "24/7"])),
        "customer_facing": draw(st.sampled_from([False, False, True])),
        "on_call": draw(st.sampled_from([None, None, True, False])),
        "first_token_s": draw(st.sampled_from([None, None, 0.5, 2.0])),
        "data_policy": draw(
            st.sampled_from([None, "may-leave", "under-contract", "in-region", "own-cloud", "must-stay"])
        ),
        "data_reasons": draw(st.sampled_from([[], ["pii"], ["phi"], ["gdpr"], ["ip"]])),
        "cached_input_tokens": draw(st.sampled_from([None, None, 50])),
        "fine_tuned": draw(st.sampled_from([False, False, False, True])),
        # o3-mini, GPT-3.5 Turbo and DeepSeek's deepseek-chat are shut down: teams still name them.
        "api_model": draw(
            st.sampled_from(
                [None, None, "gpt-4o", "gpt-4o-mini", "Claude Sonnet", "o3-mini", "GPT-3.5 Turbo", "deepseek chat"]
            )
        ),
        "engineer_hourly_usd": draw(st.sampled_from([None, 40.0, 150.0])),
        "electricity_usd_per_kwh": draw(st.sampled_from([None, 0.08, 0.35])),
        "frontier_share": draw(st.sampled_from([None, None, None, 0.1, 0.5])),
    }
    fields.update(fixed)
    return Workload.model_validate(fields)


def owned_hardware() -> st.SearchStrategy[OwnedHardware]:
    return st.builds(OwnedHardware, hardware=st.sampled_from(HARDWARE), count=st.integers(1, 4))
