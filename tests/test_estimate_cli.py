"""`localcheck estimate` as people will call it."""

from __future__ import annotations

import json

from tests.conftest import CliRun

KEYS = {
    "fits",
    "memory_gb",
    "available_gb",
    "decode_tokens_per_s",
    "aggregate_tokens_per_s",
    "prefill_tokens_per_s",
    "time_to_first_token_s",
    "engine",
    "tensor_parallel",
}


def test_json_has_every_figure_the_issue_promises(cli: CliRun) -> None:
    result = cli("estimate", "--model", "llama3.1:70b", "--hardware", "RTX 4090", "--count", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data.keys() >= KEYS
    assert data["fits"] is True and data["model"] == "llama-3.1-70b" and data["count"] == 2


def test_readable_output_says_it_does_not_fit(cli: CliRun) -> None:
    result = cli("estimate", "-m", "llama3.1:70b", "-H", "4090")
    assert result.exit_code == 0
    assert "does NOT fit" in result.output and "GB usable" in result.output


def test_an_unknown_hardware_name_is_a_friendly_error_with_suggestions(cli: CliRun) -> None:
    result = cli("estimate", "-m", "llama3.1:8b", "-H", "RTX 4909")
    assert result.exit_code == 2
    assert "--hardware: Unknown hardware 'RTX 4909'. Did you mean NVIDIA GeForce RTX 4090 (rtx-4090)" in result.output
    assert "Traceback" not in result.output


def test_nonsense_numbers_are_refused_naming_the_option(cli: CliRun) -> None:
    for args, option in ((["--count", "0"], "--count"), (["--context", "-5"], "--context")):
        result = cli("estimate", "-m", "llama3.1:8b", "-H", "4090", *args)
        assert result.exit_code == 2 and option in result.output
    result = cli("estimate", "-m", "llama3.1:8b", "-H", "4090", "--prompt-tokens", "9000", "--context", "4096")
    assert result.exit_code == 2 and "--prompt-tokens" in result.output


def test_engine_is_chosen_by_the_hardware_and_can_be_named(cli: CliRun) -> None:
    def run(*args: str) -> dict:  # type: ignore[type-arg]
        result = cli("estimate", "-m", "llama3.3:70b", "--json", "--concurrency", "25", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)  # type: ignore[no-any-return]

    datacenter = run("-H", "H100", "--count", "2")
    assert datacenter["engine"] == "vllm" and datacenter["tensor_parallel"] == 2 and datacenter["quant"] == "fp8"
    assert datacenter["aggregate_tokens_per_s"] > 10 * datacenter["decode_tokens_per_s"]
    layered = run("-H", "H100", "--count", "2", "--engine", "ollama")
    assert layered["engine"] == "llama.cpp" and layered["tensor_parallel"] == 1 and layered["quant"] == "q4_k_m"
    assert layered["decode_tokens_per_s"] < datacenter["decode_tokens_per_s"]
    desk = run("-H", "RTX 4090", "--count", "2")
    assert desk["engine"] == "llama.cpp"


def test_readable_output_names_the_engine_and_a_bad_one_is_refused(cli: CliRun) -> None:
    result = cli("estimate", "-m", "llama3.1:8b", "-H", "H100")
    assert result.exit_code == 0 and "vLLM-style engine" in result.output and "FP8" in result.output
    bad = cli("estimate", "-m", "llama3.1:8b", "-H", "H100", "--engine", "tgi")
    assert bad.exit_code == 2 and "--engine" in bad.output and "Traceback" not in bad.output
