"""No command input gives a traceback: hostile questions, files and arguments get one clear message.

Real `localcheck` processes for what a user would see (exit code, the message on
stderr, no "Traceback"), and a fuzz of every command's arguments in-process with
exceptions let through (`catch_exceptions=False`), so any crash fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parse.text import MAX_CHARS
from tests.conftest import CliRun


def localcheck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def refused(process: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The one line a refusal prints, after checking it is all it prints."""
    assert "Traceback" not in process.stdout + process.stderr
    assert process.returncode == code, process.stderr
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    return lines[0]


# --- questions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "note"),
    [
        ("4M documents over 0 months through gpt-4o-mini; 2k requests a day", "a period of 0 months"),
        ("one-off, done in 0 days; 2k requests a day on gpt-4o-mini", "one off months"),
        ("10^30 tokens a day through gpt-4o-mini, or 2M tokens a day", "10^30 tokens a day"),
        ("we use llama3.1:405b for 2k requests a day", "I don't know the model 'llama3.1:405b'"),
    ],
)
def test_a_question_with_a_value_set_aside_is_answered_and_says_so(question: str, note: str) -> None:
    process = localcheck("ask", "--no-llm", question)
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stdout + process.stderr
    assert note in process.stdout


def test_a_question_with_only_an_impossible_value_asks_for_it() -> None:
    """Issue 13: an impossible value becomes the answer's question, priced at the defaults meanwhile."""
    process = localcheck("ask", "--no-llm", "4M documents over 0 months")
    assert process.returncode == 0 and "Traceback" not in process.stdout + process.stderr
    assert process.stdout.startswith("It depends on something we don't know yet")
    assert "Question: '4M documents over 0 months' cannot be right (a period of 0 months)." in process.stdout
    assert "Set aside '4M documents over 0 months'" in process.stdout


def test_a_120k_character_question_is_answered_from_its_beginning_with_a_note() -> None:
    question = "We push about 2M tokens a day through gpt-4o-mini. " + "and some more chatter " * 5_500
    assert len(question) > 120_000
    process = localcheck("ask", "--no-llm", question)
    assert process.returncode == 0, process.stderr
    assert f"only the first {MAX_CHARS:,} were read" in process.stdout
    assert "tokens per day: 2,000,000" in process.stdout


def test_a_question_with_bytes_that_are_not_utf8_is_answered_and_logged() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--no-llm", b"2M tokens a day \xff\xfe through gpt-4o-mini"],
        capture_output=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert b"Traceback" not in process.stderr and b"Could not log" not in process.stderr


# --- --workload files --------------------------------------------------------------------------

BAD_FILES = {
    "latin-1": ("api_model: gpt-4o-mini\nnote: caf\xe9\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 on line 2)"),
    "binary": (bytes(range(256)) * 8, "not UTF-8 text"),
    "huge": (b"requests_per_day: 5\n" + b"# padding\n" * 120_000, "over 1,000,000 bytes"),
    "nested": (b"[" * 3_000 + b"]" * 3_000, "nest"),
    "broken YAML": (b"requests_per_day: [5\n", "not valid YAML or JSON (line 2)"),
    "a list": (b"- 1\n- 2\n", "should hold a mapping of fields"),
    "empty": (b"", "should hold a mapping of fields"),
    "a NUL byte": (b"requests_per_day: 5\x00\n", "not valid YAML or JSON"),
}


@pytest.mark.parametrize(("content", "says"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_workload_file_is_refused_in_one_line(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "workload.yaml"
    path.write_bytes(content)
    line = refused(localcheck("ask", "--no-llm", "--workload", str(path)))
    assert line.startswith("--workload: ") and says in line


def test_a_workload_file_with_a_thousand_bad_fields_lists_twenty(cli: CliRun, tmp_path: Path) -> None:
    path = tmp_path / "workload.yaml"
    path.write_text("".join(f"field_{i}: 1\n" for i in range(1_000)))
    result = cli("ask", "--workload", str(path))
    assert result.exit_code == 2
    assert "has 1000 problem(s)" in result.output and "…and 980 more" in result.output
    assert len(result.output.splitlines()) == 22


def test_a_workload_file_naming_an_endless_model_is_refused(cli: CliRun, tmp_path: Path) -> None:
    path = tmp_path / "workload.yaml"
    path.write_text(f"requests_per_day: 5\nmodel: {'x' * 100_000}\n")
    result = cli("ask", "--workload", str(path))
    assert result.exit_code == 2 and "model: String should have at most 200 characters" in result.output


# --- estimate ----------------------------------------------------------------------------------

ESTIMATE_ARGUMENTS = {
    "no devices": (["--count", "0"], "--count"),
    "a billion devices": (["--count", "1000000000"], "--count"),
    "an expression": (["--count", "10**9"], "--count"),
    "a negative context": (["--context", "-1"], "--context"),
    "a huge context": (["--context", "1000000000000"], "--context"),
    "a huge prompt": (["--prompt-tokens", str(10**30)], "--prompt-tokens"),
    "no concurrency": (["--concurrency", "0"], "--concurrency"),
    "an unknown quantisation": (["--quant", "q1_zz"], "--quant"),
}


@pytest.mark.parametrize(("args", "option"), ESTIMATE_ARGUMENTS.values(), ids=ESTIMATE_ARGUMENTS.keys())
def test_estimate_refuses_odd_numbers_naming_the_option(args: list[str], option: str) -> None:
    process = localcheck("estimate", "--model", "llama3.1:8b", "--hardware", "4090", *args)
    assert process.returncode == 2 and "Traceback" not in process.stdout + process.stderr
    assert option in process.stderr


@pytest.mark.parametrize(
    ("model", "hardware", "says"),
    [
        ("llama3.1:405b", "4090", "--model: Unknown model 'llama3.1:405b'. Did you mean"),
        ("llama3.1:8b", "RTX 9090", "--hardware: Unknown hardware 'RTX 9090'. Did you mean"),
        ("m" * 100_000, "4090", "--model: 100,000 characters is too long for a name"),
        ("", "4090", "--model: Unknown model ''"),
    ],
)
def test_estimate_refuses_names_it_does_not_know_in_one_line(model: str, hardware: str, says: str) -> None:
    assert refused(localcheck("estimate", "--model", model, "--hardware", hardware)).startswith(says)


# --- every command, any arguments ---------------------------------------------------------------

NASTY = [
    "",
    " ",
    "-",
    "--",
    "-5",
    "0",
    "-1",
    "10**9",
    "1e309",
    "nan",
    "inf",
    "9" * 400,
    "x" * 5_000,
    "\x00",
    "\udcff",
    "🚀" * 50,
    "../../etc/passwd",
    "%s%n{}",
    "' OR 1=1 --",
    "<@U1> <<<<",
    "4M documents over 0 months",
    "-5M tokens a day",
    "llama3.1:405b",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def no_traceback(cli: CliRun, *args: str) -> None:
    result = cli(*args)  # catch_exceptions=False: a crash fails the test here
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), (args, result.output)


@fuzz
@given(text=values)
def test_ask_takes_any_text(cli: CliRun, text: str) -> None:
    no_traceback(cli, "ask", "--no-llm", "--", text)


@fuzz
@given(model=values, hardware=values, quant=values, numbers=st.lists(values, min_size=4, max_size=4))
def test_estimate_takes_any_arguments(cli: CliRun, model: str, hardware: str, quant: str, numbers: list[str]) -> None:
    count, context, concurrency, prompt = numbers
    no_traceback(cli, "estimate", "-m", model, "-H", hardware, "-q", quant, "-n", count, "--context", context)
    no_traceback(cli, "estimate", "-m", "llama3.1:8b", "-H", "4090", "-c", concurrency, "--prompt-tokens", prompt)


@fuzz
@given(value=values)
def test_knowledge_commands_take_any_argument(cli: CliRun, value: str) -> None:
    no_traceback(cli, "knowledge", "show", "--", value)
    no_traceback(cli, "knowledge", "prices", "--", value)
    no_traceback(cli, "knowledge", "list", "--", value)


@fuzz
@given(value=values)
def test_asking_to_refine_any_id_is_refused_or_answered(cli: CliRun, value: str) -> None:
    no_traceback(cli, "ask", "--no-llm", "--refine", value, "what if we double it?")
