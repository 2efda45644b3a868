"""The CLI: fast to start, friendly on mistakes, JSON for machines."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.knowledge.loader import KnowledgeBase
from tests.conftest import CliRun

HEAVY = ("langchain", "langchain_core", "langchain_ollama", "slack_bolt", "slack_sdk", "genai_prices")


def imported_after(args: list[str]) -> set[str]:
    """Top-level modules a real `localcheck` process has imported by the time it exits."""
    probe = (
        "import sys, atexit\n"
        "atexit.register(lambda: print('MODULES', ' '.join(sorted({m.split('.')[0] for m in sys.modules}))))\n"
        f"sys.argv = ['localcheck', *{args!r}]\n"
        "from bot.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("MODULES "))
    return set(line.split()[1:])


def test_help_imports_nothing_heavy() -> None:
    assert imported_after(["--help"]).isdisjoint(HEAVY)


def test_listing_the_knowledge_base_imports_nothing_heavy() -> None:
    assert imported_after(["knowledge", "list", "hardware"]).isdisjoint(HEAVY)


def test_python_dash_m_bot_is_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("localcheck ")


def test_list_as_json_gives_every_entry(cli: CliRun, kb: KnowledgeBase) -> None:
    result = cli("knowledge", "list", "hardware", "--json")
    assert result.exit_code == 0
    hardware = {entry["id"]: entry for entry in json.loads(result.output)}
    assert hardware.keys() == kb.hardware.keys()
    assert hardware["rtx-4090"]["memory_gb"] == 24


def test_list_without_a_section_shows_every_section(cli: CliRun) -> None:
    result = cli("knowledge", "list")
    assert result.exit_code == 0
    for heading in ("ARGUMENTS", "HARDWARE", "MODELS", "API-MODELS", "QUANTISATIONS", "SOURCES", "DEFAULTS"):
        assert heading in result.output


def test_list_arguments_shows_stance_and_source(cli: CliRun) -> None:
    result = cli("knowledge", "list", "arguments")
    row = next(line for line in result.output.splitlines() if line.startswith("labor-is-the-real-cost"))
    assert "cloud" in row and "case-against-local-llms" in row


def test_show_explains_a_cited_argument(cli: CliRun) -> None:
    result = cli("knowledge", "show", "labor-is-the-real-cost")
    assert result.exit_code == 0
    assert "# arguments: labor-is-the-real-cost" in result.output
    assert "claim:" in result.output and "case-against-local-llms" in result.output


def test_show_writes_figures_as_the_source_wrote_them(cli: CliRun) -> None:
    result = cli("knowledge", "show", "economies-of-scale")
    assert "value: 8549\n" in result.output and "value: 712\n" in result.output


def test_show_of_an_unknown_id_is_a_friendly_error(cli: CliRun) -> None:
    result = cli("knowledge", "show", "no-such-thing")
    assert result.exit_code == 1
    assert "No entry has the id 'no-such-thing'" in result.output


def test_a_knowledge_dir_that_does_not_exist_is_a_clear_error(cli: CliRun) -> None:
    result = cli("knowledge", "check", env={"LOCALCHECK_KNOWLEDGE_DIR": "/nonexistent/kb"})
    assert result.exit_code == 1
    assert "/nonexistent/kb" in result.output and "cannot read" in result.output
