"""A damaged knowledge base is refused on load, naming file, line, entry and field, by every command.

Each kind of damage (not text, empty, wrong shape, wrong type, out of range,
a reference to nothing, an entry every answer needs gone) is tried on the
loader; a few are then run through every command that loads the knowledge
base, and one through a real process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.knowledge.problems import KnowledgeError
from tests.conftest import CliRun

Edit = Callable[[Path], None]


def write(name: str, content: bytes) -> Edit:
    def edit(root: Path) -> None:
        (root / name).write_bytes(content)

    return edit


def change(name: str, how: Callable[[Any], None]) -> Edit:
    def edit(root: Path) -> None:
        data = yaml.safe_load((root / name).read_text())
        how(data)
        (root / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    return edit


def first(field: str, value: object) -> Callable[[Any], None]:
    return lambda entries: entries[0].__setitem__(field, value)


def every(field: str, value: object) -> Callable[[Any], None]:
    def set_all(entries: list[dict[str, object]]) -> None:
        for entry in entries:
            entry[field] = value

    return set_all


def default(name: str, value: object) -> Callable[[Any], None]:
    return lambda defaults: defaults[name].__setitem__("value", value)


def only_tier(tier: str) -> Callable[[Any], None]:
    return every("quality_tier", tier)


DAMAGE: dict[str, tuple[Edit, str]] = {
    "latin-1": (
        write("sources.yaml", "- id: caf\xe9\n".encode("latin-1")),
        "sources.yaml:1: not UTF-8 text (byte 0xe9)",
    ),
    "binary": (write("hardware.yaml", bytes(range(256)) * 4), "hardware.yaml:2: not UTF-8 text (byte 0x80)"),
    "empty models": (write("models.yaml", b""), "models.yaml: no entries"),
    "comments only": (write("calibration.yaml", b"# to do\n"), "calibration.yaml: no entries"),
    "an empty list": (write("quantisations.yaml", b"[]\n"), "quantisations.yaml: no entries"),
    "empty defaults": (write("defaults.yaml", b""), "defaults.yaml: expected a mapping"),
    "a mapping for a list": (write("arguments.yaml", b"id: x\n"), "arguments.yaml: expected a list of entries"),
    "a list for defaults": (write("defaults.yaml", b"- 1\n"), "defaults.yaml: expected a mapping"),
    "deep nesting": (write("api_models.yaml", b"[" * 400 + b"]" * 400), "an entry must be a mapping"),
    "a python tag": (write("sources.yaml", b"- !!python/object:os.system {}\n"), "sources.yaml:1: not valid YAML"),
    "an entry that is a list": (change("hardware.yaml", lambda e: e.__setitem__(0, [1, 2])), "must be a mapping"),
    "a word for a number": (change("hardware.yaml", first("memory_gb", "lots")), "field 'memory_gb'"),
    "infinity": (change("hardware.yaml", first("memory_gb", float("inf"))), "finite number"),
    "not a number": (change("defaults.yaml", default("pue", float("nan"))), "finite number"),
    "a figure past a trillion": (change("models.yaml", first("params_b", 1e308)), "field 'params_b'"),
    "a zero to divide by": (change("defaults.yaml", default("amortisation_months", 0)), "must be more than 0"),
    "a list for a string": (change("models.yaml", first("license", ["MIT"])), "field 'license'"),
    "a mapping for a list field": (
        change("models.yaml", first("comparable_api_models", {"provider": "x"})),
        "comparable",
    ),
    "a missing field": (change("quantisations.yaml", lambda e: e[0].pop("bits_per_weight")), "Field required"),
    "an unknown quantisation": (change("models.yaml", first("default_quant", "q2_k")), "unknown quantisation 'q2_k'"),
    "an unknown measured quantisation": (
        change("models.yaml", first("measured_weights_gb", {"q9_x": 4.0})),
        "field 'measured_weights_gb': unknown quantisation 'q9_x'",
    ),
    "an unknown calibration device": (change("calibration.yaml", first("hardware", "rtx-9090")), "unknown hardware"),
    "an unknown calibration model": (change("calibration.yaml", every("model", "llama-9")), "unknown model 'llama-9'"),
    "an unknown source": (change("arguments.yaml", first("cited", [{"source": "nowhere"}])), "unknown source"),
    "an unknown counter": (change("arguments.yaml", first("counters", ["nothing"])), "counters unknown argument"),
    "no near-frontier model": (change("models.yaml", only_tier("good")), "no near-frontier model"),
    "no frontier API": (change("api_models.yaml", only_tier("strong")), "no frontier-tier API model"),
    "nothing to fit": (change("calibration.yaml", every("held_out", True)), "no point to fit the speed model to"),
}


@pytest.mark.parametrize(("edit", "says"), DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_refused_on_load_and_named(knowledge_copy: Path, edit: Edit, says: str) -> None:
    edit(knowledge_copy)
    with pytest.raises(KnowledgeError) as refused:
        load_knowledge(knowledge_copy)
    assert any(says in str(problem) for problem in refused.value.problems), refused.value.problems


def test_a_reference_to_nothing_is_located_by_line_entry_and_field(knowledge_copy: Path) -> None:
    change("calibration.yaml", first("quant", "q9_x"))(knowledge_copy)
    with pytest.raises(KnowledgeError) as refused:
        load_knowledge(knowledge_copy)
    (problem,) = refused.value.problems
    line = (knowledge_copy / "calibration.yaml").read_text().splitlines()[problem.line - 1]  # type: ignore[operator]
    assert line.strip() == "quant: q9_x"
    assert str(problem).startswith(f"calibration.yaml:{problem.line}, entry '") and "field 'quant'" in str(problem)


COMMANDS = [
    ("knowledge", "check"),
    ("knowledge", "list"),
    ("knowledge", "show", "rtx-4090"),
    ("estimate", "-m", "llama3.1:8b", "-H", "4090"),
    ("ask", "--no-llm", "2M tokens a day through gpt-4o-mini"),
]


@pytest.mark.parametrize("damage", ["latin-1", "empty models", "an unknown calibration device", "not a number"])
def test_every_command_names_the_damage_instead_of_failing(cli: CliRun, knowledge_copy: Path, damage: str) -> None:
    edit, says = DAMAGE[damage]
    edit(knowledge_copy)
    env = {"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)}
    for command in COMMANDS:
        result = cli(*command, env=env)  # catch_exceptions=False: a crash fails here
        assert result.exit_code == 1, (command, result.output)
        assert f"The knowledge base in {knowledge_copy} has" in result.output and says in result.output, command
    doctor = cli("doctor", env=env)
    assert doctor.exit_code == 1 and "knowledge base  FAILED" in doctor.output


def test_an_api_model_genai_prices_cannot_price_stops_an_answer_not_a_listing(
    cli: CliRun, knowledge_copy: Path
) -> None:
    change("api_models.yaml", every("model", "no-such-model"))(knowledge_copy)
    env = {"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)}
    answer = cli("ask", "--no-llm", "2M tokens a day through gpt-4o-mini", env=env)
    assert answer.exit_code == 1 and "genai-prices cannot price it" in answer.output
    assert cli("knowledge", "list", "api-models", env=env).exit_code == 0


def test_a_real_process_reports_a_latin1_file_without_a_traceback(knowledge_copy: Path) -> None:
    DAMAGE["latin-1"][0](knowledge_copy)
    for command in (["knowledge", "check"], ["ask", "--no-llm", "2M tokens a day"], ["estimate", "-m", "x", "-H", "y"]):
        process = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            capture_output=True,
            text=True,
            env={**os.environ, "LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)},
            check=False,
        )
        assert process.returncode == 1 and "Traceback" not in process.stderr
        assert (
            process.stderr.splitlines()[1].strip()
            == "sources.yaml:1: not UTF-8 text (byte 0xe9); save the file as UTF-8"
        )
