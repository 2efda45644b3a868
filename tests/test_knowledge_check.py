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
    edit(knowledge_copy / "models.yaml", "model: gpt-4o-mini", "model: gpt-4o-mini-does-not-exist")
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
