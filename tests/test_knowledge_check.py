"""`localcheck knowledge check` passes on the shipped data and names every bad edit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import CliRun


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def check(cli: CliRun, knowledge: Path) -> tuple[int, str]:
    result = cli("knowledge", "check", env={"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge)})
    return result.exit_code, result.output


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_shipped_knowledge_base_passes(cli: CliRun) -> None:
    result = cli("knowledge", "check")
    assert result.exit_code == 0, result.output
    assert re.search(r"Knowledge base OK .*\d+ arguments", result.output)


def test_a_bad_number_names_file_line_entry_and_field(cli: CliRun, knowledge_copy: Path) -> None:
    hardware = knowledge_copy / "hardware.yaml"
    edit(hardware, "\n  memory_gb: 24\n", "\n  memory_gb: -24\n")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    line = line_of(hardware, "memory_gb: -24")
    assert re.search(rf"hardware\.yaml:{line}, entry '[a-z0-9-]+', field 'memory_gb': .*greater than 0", output)


def test_a_mistyped_field_name_is_not_silently_ignored(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "models.yaml", "\n  max_context:", "\n  max_contxt:")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "field 'max_contxt': Extra inputs are not permitted" in output
    assert "field 'max_context': Field required" in output


def test_a_duplicated_id_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    arguments = knowledge_copy / "arguments.yaml"
    edit(arguments, "id: local-savings", "id: stable-performance")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "arguments.yaml" in output and "entry 'stable-performance', field 'id': duplicate id" in output


def test_an_alias_shared_by_two_entries_is_ambiguous(cli: CliRun, knowledge_copy: Path) -> None:
    hardware = knowledge_copy / "hardware.yaml"
    entries = yaml.safe_load(hardware.read_text())
    rtx_3090 = next(entry for entry in entries if entry["id"] == "rtx-3090")
    rtx_3090["aliases"] = [*rtx_3090.get("aliases", []), "RTX 4090"]
    hardware.write_text(yaml.safe_dump(entries, sort_keys=False))
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert output.count("one name, several entries") == 1
    assert "hardware.yaml, field 'aliases': one name, several entries: 'rtx-3090' ('RTX 4090'), 'rtx-4090'" in output


def test_a_citation_of_an_unknown_source_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "arguments.yaml", "source: discussion-local-vs-cloud", "source: a-blog-post-we-lost")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "cites unknown source 'a-blog-post-we-lost'" in output


def test_a_comparable_api_model_genai_prices_cannot_price_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "models.yaml", "model: gemini-2.5-flash-lite}", "model: gemini-2.5-flash-lite-not-a-model}")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(
        r"models\.yaml:\d+, entry '[^']+', field 'comparable_api_models': genai-prices cannot price", output
    )


def test_an_unknown_default_quantisation_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "models.yaml", "default_quant: q4_k_m", "default_quant: q2_k")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "field 'default_quant': unknown quantisation 'q2_k'" in output


def test_a_default_without_its_reason_names_the_default(cli: CliRun, knowledge_copy: Path) -> None:
    defaults = knowledge_copy / "defaults.yaml"
    text = defaults.read_text()
    start = text.index("pue:")
    end = text.index("engineer_hourly_usd:")
    defaults.write_text(text[:start] + "pue:\n  value: 0.8\n  unit: ratio\n\n" + text[end:])
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(r"defaults\.yaml:\d+, entry 'pue', field 'reason': Field required", output)


def test_broken_yaml_gives_the_line(cli: CliRun, knowledge_copy: Path) -> None:
    sources = knowledge_copy / "sources.yaml"
    sources.write_text(sources.read_text() + "\n- id: [unclosed\n")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(r"sources\.yaml:\d+: not valid YAML", output)


@pytest.mark.parametrize("missing", ["arguments.yaml", "defaults.yaml"])
def test_a_missing_file_is_named(cli: CliRun, knowledge_copy: Path, missing: str) -> None:
    (knowledge_copy / missing).unlink()
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert f"{missing}: cannot read" in output


def test_every_problem_is_listed_at_once(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "hardware.yaml", "\n  power_idle_w:", "\n  power_idle_watts:")
    edit(knowledge_copy / "quantisations.yaml", "bits_per_weight: 16", "bits_per_weight: sixteen")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "hardware.yaml" in output and "quantisations.yaml" in output


def entries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text())


def write(path: Path, data: list[dict]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def entry(data: list[dict], entry_id: str) -> dict:
    return next(e for e in data if e["id"] == entry_id)


@pytest.mark.parametrize("kind", ["model-host", "marketplace", "model-vendor"])
def test_a_rental_from_a_provider_that_rents_no_gpus_is_reported(cli: CliRun, knowledge_copy: Path, kind: str) -> None:
    providers = entries(knowledge_copy / "providers.yaml")
    entry(providers, "lambda")["kind"] = kind
    write(knowledge_copy / "providers.yaml", providers)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    line = line_of(knowledge_copy / "rentals.yaml", "id: h100-pcie-lambda")
    assert (
        f"rentals.yaml:{line + 2}, entry 'h100-pcie-lambda', field 'provider': 'lambda' is a {kind} in "
        "providers.yaml, which does not rent GPUs"
    ) in output


def test_own_cloud_is_only_for_a_hyperscaler(cli: CliRun, knowledge_copy: Path) -> None:
    rentals = entries(knowledge_copy / "rentals.yaml")
    entry(rentals, "h100-sxm-runpod-secure")["venue"] = "own-cloud"  # a GPU cloud is not the team's account
    entry(rentals, "h200-aws")["venue"] = "gpu-cloud"  # an EC2 instance is
    write(knowledge_copy / "rentals.yaml", rentals)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert (
        "entry 'h100-sxm-runpod-secure', field 'venue': venue own-cloud, but 'runpod' is a gpu-cloud, "
        "whose GPUs run in gpu-cloud"
    ) in output
    assert (
        "entry 'h200-aws', field 'venue': venue gpu-cloud, but 'aws' is a hyperscaler, whose GPUs run in own-cloud"
        in (output)
    )


def test_a_rental_id_that_names_other_hardware_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    rentals = entries(knowledge_copy / "rentals.yaml")
    entry(rentals, "h100-pcie-lambda")["hardware"] = "h100-sxm"  # the price of one card filed under another
    write(knowledge_copy / "rentals.yaml", rentals)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "entry 'h100-pcie-lambda', field 'id': the id should begin h100-sxm-lambda, its hardware and provider" in (
        output
    )


def test_a_rental_of_unknown_hardware_or_provider_is_refused_on_load(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "rentals.yaml", "  provider: verda\n", "  provider: datacrunch\n")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "entry 'rtx-a6000-verda', field 'provider': unknown provider 'datacrunch'" in output


def test_rent_only_hardware_without_a_rental_has_no_price(cli: CliRun, knowledge_copy: Path) -> None:
    rentals = [r for r in entries(knowledge_copy / "rentals.yaml") if r["hardware"] != "a10g"]
    write(knowledge_copy / "rentals.yaml", rentals)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "entry 'a10g': no price: give purchase_usd or a rental in rentals.yaml" in output


def test_an_offering_hosted_under_two_models_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    models = entries(knowledge_copy / "models.yaml")
    entry(models, "gpt-oss-120b")["hosted"].append({"provider": "groq", "model": "openai/gpt-oss-20b"})
    write(knowledge_copy / "models.yaml", models)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert (
        "entry 'gpt-oss-120b', field 'hosted': groq/openai/gpt-oss-20b is listed 2 times: "
        "models.yaml 'gpt-oss-20b', models.yaml 'gpt-oss-120b'"
    ) in output


def test_a_hosted_offering_that_is_also_an_api_model_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    models = entries(knowledge_copy / "models.yaml")
    entry(models, "mistral-small-24b")["hosted"].append({"provider": "mistral", "model": "mistral-small-latest"})
    write(knowledge_copy / "models.yaml", models)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "mistral/mistral-small-latest is listed 2 times: api_models.yaml 'mistral-small-latest'" in output


@pytest.mark.parametrize(
    ("provider", "model", "problem"),
    [
        ("cerebras", "llama3.1-8b", "genai-prices marks cerebras/llama3.1-8b deprecated"),
        ("cloudflare", "@cf/meta/llama-3.1-8b-instruct-awq", "deprecated"),
        ("groq", "llama-3.1-8b-instant-no-such-id", "genai-prices cannot price groq/llama-3.1-8b-instant-no-such-id"),
        ("acme", "llama-3.1-8b", "unknown provider 'acme'"),
    ],
)
def test_a_hosted_offering_that_cannot_serve_is_reported(
    cli: CliRun, knowledge_copy: Path, provider: str, model: str, problem: str
) -> None:
    models = entries(knowledge_copy / "models.yaml")
    entry(models, "llama-3.1-8b")["hosted"].append({"provider": provider, "model": model})
    write(knowledge_copy / "models.yaml", models)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(rf"models\.yaml:\d+, entry 'llama-3\.1-8b', field 'hosted': .*{re.escape(problem)}", output)


def test_a_deprecated_comparable_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "models.yaml", "model: meta-llama/llama-3.3-70b-instruct}", "model: llama-3.3-70b}", 1)
    edit(
        knowledge_copy / "models.yaml",
        "{provider: novita, model: llama-3.3-70b}",
        "{provider: cerebras, model: llama-3.3-70b}",
    )
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert (
        "entry 'llama-3.3-70b', field 'comparable_api_models': genai-prices marks cerebras/llama-3.3-70b deprecated"
        in (output)
    )


@pytest.mark.parametrize(
    ("model", "comparable", "shut_down"),
    [
        ("llama-3.1-8b", {"provider": "openai", "model": "gpt-3.5-turbo"}, "2026-10-23"),
        ("gpt-oss-120b", {"provider": "anthropic", "model": "claude-opus-4-1"}, "2026-08-05"),
        ("qwen3-8b", {"provider": "deepseek", "model": "deepseek-chat"}, "2026-07-24"),
    ],
)
def test_a_comparable_that_is_shut_down_is_reported(
    cli: CliRun, knowledge_copy: Path, model: str, comparable: dict[str, str], shut_down: str
) -> None:
    models = entries(knowledge_copy / "models.yaml")
    entry(models, model)["comparable_api_models"][0] = comparable
    write(knowledge_copy / "models.yaml", models)
    code, output = check(cli, knowledge_copy)
    ref = f"{comparable['provider']}/{comparable['model']}"
    assert code == 1
    assert re.search(
        rf"models\.yaml:\d+, entry '{re.escape(model)}', field 'comparable_api_models': "
        rf"{re.escape(ref)} was shut down on {shut_down}",
        output,
    ), output


def test_a_comparable_retiring_later_is_no_problem_yet(cli: CliRun, knowledge_copy: Path) -> None:
    api_models = entries(knowledge_copy / "api_models.yaml")
    entry(api_models, "gpt-5.4-mini").update(retires_on="2999-01-01", retirement_source="a far-off notice")
    write(knowledge_copy / "api_models.yaml", api_models)
    code, output = check(cli, knowledge_copy)
    assert code == 0, output


def test_a_retirement_date_without_its_source_is_refused(cli: CliRun, knowledge_copy: Path) -> None:
    api_models = entries(knowledge_copy / "api_models.yaml")
    entry(api_models, "gpt-5.4-mini")["retires_on"] = "2026-01-01"
    write(knowledge_copy / "api_models.yaml", api_models)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(r"api_models\.yaml:\d+, entry 'gpt-5\.4-mini'.*retires_on and retirement_source together", output)


def test_a_knowledge_base_whose_frontier_apis_are_all_shut_down_is_refused(cli: CliRun, knowledge_copy: Path) -> None:
    api_models = entries(knowledge_copy / "api_models.yaml")
    for api in api_models:
        if api["quality_tier"] == "frontier":
            api.update(retires_on="2026-01-01", retirement_source="an imagined notice")
    write(knowledge_copy / "api_models.yaml", api_models)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "no frontier-tier API model its provider still serves" in output


def test_a_provider_nothing_names_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    providers = entries(knowledge_copy / "providers.yaml")
    providers.append(
        {"id": "acme-gpus", "name": "Acme GPUs", "kind": "gpu-cloud", "source": "a flyer", "as_of": "2026-01-01"}
    )
    write(knowledge_copy / "providers.yaml", providers)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "entry 'acme-gpus': no API model, hosted offering or rental names this provider" in output


def test_a_data_term_listed_twice_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    providers = entries(knowledge_copy / "providers.yaml")
    groq = entry(providers, "groq")
    groq["terms"].append({**groq["terms"][0], "detail": "said again"})
    write(knowledge_copy / "providers.yaml", providers)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert "entry 'groq': term 'zdr' is listed 2 times; give it once" in output


def test_a_data_term_without_its_source_names_the_field(cli: CliRun, knowledge_copy: Path) -> None:
    providers = entries(knowledge_copy / "providers.yaml")
    del entry(providers, "anthropic")["terms"][1]["source"]
    write(knowledge_copy / "providers.yaml", providers)
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(r"providers\.yaml:\d+, entry 'anthropic', field 'terms\.1\.source': Field required", output)


def test_a_fine_tune_sold_by_another_provider_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    edit(knowledge_copy / "api_models.yaml", "fine_tune: {provider: azure,", "fine_tune: {provider: openai,")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert (
        "entry 'gpt-4o-mini-azure', field 'fine_tune': a fine-tune of azure/gpt-4o-mini-2024-07-18 is served by azure"
        in (output)
    )


def test_an_id_used_in_two_files_is_reported(cli: CliRun, knowledge_copy: Path) -> None:
    providers = entries(knowledge_copy / "providers.yaml")
    entry(providers, "verda")["id"] = "a10"  # `knowledge show a10` could not tell the card from the cloud
    write(knowledge_copy / "providers.yaml", providers)
    edit(knowledge_copy / "rentals.yaml", "  provider: verda\n", "  provider: a10\n")
    code, output = check(cli, knowledge_copy)
    assert code == 1
    assert re.search(r"providers\.yaml:\d+, entry 'a10', field 'id': the id is also used in hardware\.yaml", output)
