"""`localcheck calibrate`: time the team's own Ollama, keep the speeds, and answer with them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliRun
from tests.fakes.http import keep_traffic_local
from tests.fakes.ollama import FakeOllama

QUESTION = (
    "about 300k tokens a day of internal Q&A with llama3.1:8b, the data must stay on our premises; we have an RTX 4090"
)


@pytest.fixture
def ollama_at(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    keep_traffic_local(monkeypatch)

    def start(**speeds: float) -> FakeOllama:
        fake = FakeOllama(models=["llama3.1:8b", "qwen2.5:7b"], **speeds)  # type: ignore[arg-type]
        fake.__enter__()
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        started.append(fake)
        return fake

    started: list[FakeOllama] = []
    yield start
    for fake in started:
        fake.__exit__(None, None, None)


def test_calibrate_times_decode_and_prefill_from_ollamas_counters(cli: CliRun, ollama_at) -> None:  # type: ignore[no-untyped-def]
    fake = ollama_at(eval_tokens_per_s=61.5, prompt_tokens_per_s=2300.0)
    result = cli("calibrate", "--model", "llama3.1:8b", "--hardware", "RTX 4090", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["decode_tokens_per_s"] == pytest.approx(61.5, rel=0.01)
    assert data["prefill_tokens_per_s"] == pytest.approx(2300, rel=0.01)
    assert data["model"] == "llama-3.1-8b" and data["hardware"] == "rtx-4090" and data["quant"] == "q4_k_m"
    assert data["team_id"] == "cli" and data["estimated_decode_tokens_per_s"] > 0
    prompts = [r["prompt"] for r in fake.generated[1:]]
    assert len(set(prompts)) == len(prompts) == 3, "each timed run sends a prompt the cache cannot skip"


@pytest.mark.parametrize("speed", [21.0, 35.0, 140.0])
def test_a_later_answer_uses_the_measured_speed_and_says_so(cli: CliRun, ollama_at, speed: float) -> None:  # type: ignore[no-untyped-def]
    before = json.loads(cli("ask", "--no-llm", "--json", QUESTION).output)
    assert before["local"]["speeds"]["source"] == "estimated"
    ollama_at(eval_tokens_per_s=speed, prompt_tokens_per_s=3000.0)
    assert cli("calibrate", "-m", "llama3.1:8b", "-H", "4090").exit_code == 0
    after = cli("ask", "--no-llm", "--json", QUESTION)
    local = json.loads(after.output)["local"]
    assert local["hardware"] == "rtx-4090" and local["engine"] == "llama.cpp"
    assert local["speeds"]["source"] == "measured"
    assert local["speeds"]["decode_tokens_per_s"] == pytest.approx(speed, rel=0.02)
    text = cli("ask", "--no-llm", QUESTION).output
    assert "measured on your hardware" in text and f"{local['speeds']['decode_tokens_per_s']:g} tokens/s" in text


def test_a_measured_speed_below_what_people_wait_for_rules_that_hardware_out(cli: CliRun, ollama_at) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(cli("ask", "--no-llm", "--json", QUESTION).output)["local"]["hardware"] == "rtx-4090"
    ollama_at(eval_tokens_per_s=9.0, prompt_tokens_per_s=3000.0)  # under the 15 tokens/s a person waits for
    assert cli("calibrate", "-m", "llama3.1:8b", "-H", "4090").exit_code == 0
    local = json.loads(cli("ask", "--no-llm", "--json", QUESTION).output)["local"]
    assert local["hardware"] != "rtx-4090" and local["speeds"]["source"] == "estimated"


def test_a_measurement_of_other_hardware_leaves_the_answer_estimated(cli: CliRun, ollama_at) -> None:  # type: ignore[no-untyped-def]
    ollama_at(eval_tokens_per_s=80.0, prompt_tokens_per_s=3000.0)
    assert cli("calibrate", "-m", "llama3.1:8b", "-H", "RTX 3090").exit_code == 0
    local = json.loads(cli("ask", "--no-llm", "--json", QUESTION).output)["local"]
    assert local["hardware"] == "rtx-4090" and local["speeds"]["source"] == "estimated"


def test_the_hardware_is_remembered_from_the_last_calibration(cli: CliRun, ollama_at) -> None:  # type: ignore[no-untyped-def]
    ollama_at(eval_tokens_per_s=50.0, prompt_tokens_per_s=2000.0)
    first = cli("calibrate", "-m", "llama3.1:8b")
    assert first.exit_code == 2 and "--hardware" in first.output and "Traceback" not in first.output
    assert cli("calibrate", "-m", "llama3.1:8b", "-H", "M2 Ultra").exit_code == 0
    again = json.loads(cli("calibrate", "-m", "qwen2.5:7b", "--json").output)
    assert again["hardware"] == "m2-ultra-192gb" and again["model"] == "qwen2.5-7b"


def test_failures_are_one_friendly_line(cli: CliRun, ollama_at) -> None:  # type: ignore[no-untyped-def]
    unreachable = cli("calibrate", "-m", "llama3.1:8b", "-H", "4090")  # OLLAMA_HOST points at a closed port
    assert unreachable.exit_code == 1 and "start Ollama" in unreachable.output
    ollama_at(eval_tokens_per_s=50.0)
    missing = cli("calibrate", "-m", "llama3.1:70b", "-H", "4090")
    assert missing.exit_code == 1 and "ollama pull llama3.1:70b" in missing.output
    unknown = cli("calibrate", "-m", "llama9:999b", "-H", "4090")
    assert unknown.exit_code == 2 and "--model" in unknown.output
    for result in (unreachable, missing, unknown):
        assert "Traceback" not in result.output
