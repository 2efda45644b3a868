"""`localcheck knowledge list|show` for providers, API models and rentals: who serves, on what terms, until when,
at what rent."""

from __future__ import annotations

import json

import pytest

from bot.knowledge.loader import KnowledgeBase
from tests.conftest import CliRun
from tests.test_cli import HEAVY, imported_after


def row(output: str, first_cell: str) -> list[str]:
    """The cells of the table row whose first cell is `first_cell`."""
    line = next(line for line in output.splitlines() if line.split(" ", 1)[0] == first_cell)
    return [cell for cell in line.split("  ") if cell.strip()]


def test_listing_providers_shows_kind_data_terms_and_batch_discount(cli: CliRun, kb: KnowledgeBase) -> None:
    result = cli("knowledge", "list", "providers")
    assert result.exit_code == 0
    listed = {line.split(" ", 1)[0] for line in result.output.splitlines()[2:]}
    assert listed == kb.providers.keys()
    aws = [cell.strip() for cell in row(result.output, "aws")]
    assert aws[1] == "hyperscaler" and "baa" in aws[2] and "region-eu" in aws[2] and aws[3] == "-50%"
    deepseek = [cell.strip() for cell in row(result.output, "deepseek")]
    assert deepseek[1:] == ["model-vendor", "DeepSeek"], "no data terms were found for DeepSeek"


def test_listing_api_models_shows_the_day_each_shuts_down(cli: CliRun, kb: KnowledgeBase) -> None:
    result = cli("knowledge", "list", "api-models")
    assert result.exit_code == 0
    assert [cell.strip() for cell in row(result.output, "gpt-3.5-turbo")][:4] == [
        "gpt-3.5-turbo",
        "openai/gpt-3.5-turbo",
        "good",
        "2026-10-23",
    ]
    live = [cell.strip() for cell in row(result.output, "gpt-5.4-mini")]
    assert live[2] == "near-frontier" and live[3].startswith("whatmodel.sh"), "no date: the reason follows the tier"


def test_listing_rentals_shows_price_venue_and_smallest_instance(cli: CliRun) -> None:
    result = cli("knowledge", "list", "rentals")
    assert result.exit_code == 0
    assert [cell.strip() for cell in row(result.output, "h100-sxm-aws")] == [
        "h100-sxm-aws",
        "h100-sxm",
        "aws",
        "own-cloud",
        "on-demand",
        "$6.88",
        "8",
    ]
    assert [cell.strip() for cell in row(result.output, "l4-modal-serverless")][3:6] == [
        "gpu-cloud",
        "serverless",
        "$0.8",
    ]


@pytest.mark.parametrize("section", ["providers", "rentals"])
def test_listing_as_json_gives_every_entry(cli: CliRun, kb: KnowledgeBase, section: str) -> None:
    result = cli("knowledge", "list", section, "--json")
    assert result.exit_code == 0
    listed = {item["id"]: item for item in json.loads(result.output)}
    assert listed.keys() == getattr(kb, section).keys()
    if section == "rentals":
        assert listed["b200-oci"]["min_gpus"] == 8 and listed["b200-oci"]["usd_per_gpu_hour"] == 16
    else:
        assert {term["term"] for term in listed["anthropic"]["terms"]} >= {"dpa", "baa", "zdr"}


def test_the_whole_listing_has_providers_and_rentals(cli: CliRun) -> None:
    result = cli("knowledge", "list")
    assert "\nPROVIDERS\n" in result.output and "\nRENTALS\n" in result.output


def test_showing_a_provider_gives_each_term_with_its_source(cli: CliRun) -> None:
    result = cli("knowledge", "show", "azure")
    assert result.exit_code == 0
    assert result.output.startswith("# providers: azure\n")
    assert "- term: baa\n" in result.output and "kind: hyperscaler" in result.output
    assert result.output.count("  source: ") == result.output.count("- term: ")
    assert "batch_discount: 0.5" in result.output and "Azure OpenAI" in result.output


def test_showing_a_rental_gives_its_instance_and_source(cli: CliRun) -> None:
    result = cli("knowledge", "show", "h200-aws")
    assert result.exit_code == 0
    assert "instance: p5en.48xlarge (8 x H200)" in result.output and "min_gpus: 8" in result.output
    assert "as_of: '2026-08-06'" in result.output


def test_hardware_only_rented_is_priced_by_its_cheapest_on_demand_rental(cli: CliRun) -> None:
    result = cli("knowledge", "list", "hardware")
    assert row(result.output, "a10g")[-1].strip() == "$1.006/h"  # AWS G5: never sold
    assert row(result.output, "mi300x")[-1].strip() == "$1.5/h"  # not the serverless or hyperscaler rates
    assert row(result.output, "h100-sxm")[-1].strip() == "$30,000 or $2.4/h"


def test_listing_providers_and_rentals_imports_nothing_heavy() -> None:
    assert imported_after(["knowledge", "list", "providers"]).isdisjoint(HEAVY)
    assert imported_after(["knowledge", "show", "runpod"]).isdisjoint(HEAVY)
