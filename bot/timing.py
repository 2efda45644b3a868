"""Time a model on the team's own Ollama: decode and prefill speeds from Ollama's own counters.

Every /api/generate answer carries `eval_count` and `eval_duration` (tokens generated
and the nanoseconds they took) and `prompt_eval_count` and `prompt_eval_duration`
(the prompt's). A first short request loads the model; then each timed run sends a
prompt that differs at its start, so Ollama's prompt cache cannot skip its processing,
and the median of the runs is kept.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import httpx
import ollama

from bot.settings import Settings, url_and_credentials

RUNS = 3
GENERATED_TOKENS = 128  # llama-bench's tg128
PROMPT_WORDS = 400  # about 512 tokens, llama-bench's pp512
NS_PER_S = 1e9
FILLER = " ".join(
    (
        "The team reviews the quarterly report on inference costs, latency targets and the hardware budget",
        "before deciding whether to keep the service on its own machines or move it to a hosted model.",
    )
).split(" ")


class TimingFailed(RuntimeError):
    """Ollama could not be reached, did not have the model, or answered without its counters."""


@dataclass(frozen=True)
class Timing:
    tag: str
    quant: str | None
    """The quantisation Ollama reports for the tag, as llama.cpp spells it in lower case (q4_k_m)."""
    decode_tokens_per_s: float
    prefill_tokens_per_s: float | None
    prompt_tokens: int


def time_model(settings: Settings, tag: str, *, runs: int = RUNS, timeout_s: float = 600.0) -> Timing:
    """Median decode and prefill speeds of `tag` on the Ollama at `settings.ollama_host`."""
    host, credentials = url_and_credentials(settings.ollama_host)
    client = ollama.Client(host=host, auth=credentials, timeout=timeout_s)
    try:
        quant = _quantisation(client, tag)
        client.generate(model=tag, prompt="Say OK.", options={"num_predict": 1}, stream=False)
        answers = [
            client.generate(
                model=tag,
                prompt=_prompt(run),
                options={"num_predict": GENERATED_TOKENS, "temperature": 0, "seed": run},
                stream=False,
            )
            for run in range(runs)
        ]
    except ollama.ResponseError as error:
        missing = error.status_code == 404
        raise TimingFailed(f"Ollama does not have {tag}: run `ollama pull {tag}`" if missing else str(error)) from None
    except (httpx.HTTPError, ConnectionError, OSError) as error:
        raise TimingFailed(
            f"nothing answered at {settings.ollama_host} ({error}); start Ollama (`ollama serve`)"
        ) from None
    decode = [rate for a in answers if (rate := _rate(a, "eval_count", "eval_duration")) is not None]
    prefill = [_rate(a, "prompt_eval_count", "prompt_eval_duration") for a in answers]
    if len(decode) < len(answers):
        raise TimingFailed(f"Ollama answered {tag} without eval_count and eval_duration, so there is nothing to time")
    prompted = [a.prompt_eval_count or 0 for a in answers]
    timed_prefill = [rate for rate in prefill if rate is not None]
    return Timing(
        tag=tag,
        quant=quant,
        decode_tokens_per_s=statistics.median(decode),
        prefill_tokens_per_s=statistics.median(timed_prefill) if timed_prefill else None,
        prompt_tokens=int(statistics.median(prompted)),
    )


def _rate(answer: Any, count_field: str, duration_field: str) -> float | None:
    count, duration = getattr(answer, count_field, None), getattr(answer, duration_field, None)
    if not count or not duration or count < 2:  # one token's time says nothing about a rate
        return None
    return count / (duration / NS_PER_S)


def _quantisation(client: ollama.Client, tag: str) -> str | None:
    full = tag if ":" in tag.rsplit("/", 1)[-1] else f"{tag}:latest"
    for model in client.list().models:
        if model.model in (tag, full) and model.details and model.details.quantization_level:
            return model.details.quantization_level.lower()
    return None


def _prompt(run: int) -> str:
    words = [FILLER[(i + run) % len(FILLER)] for i in range(PROMPT_WORDS)]
    return f"Run {run}. Summarise in one paragraph: " + " ".join(words)
