"""Hostile input, measured: questions, arguments and files built to break the reader and the CLI.

`measure()` runs them through the real surfaces — `parse()` in-process, `localcheck`
as a process — and counts what went wrong: tracebacks, absurd or signed values taken
as facts instead of set aside ("misread"), and the longest stall a hostile input
caused (for a process: its time past the same command on a plain input).
Run with `python -m tests.bench.hostile_input`; prints figures, asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.parse import parse
from bot.resources import data_dir

PATHOLOGICAL = {
    "10,000 digits in a question": "We push " + "7" * 10_000 + " tokens a day through gpt-4o-mini",
    "digits": "7" * 100_000,
    "commas": "," * 100_000,
    "k": "k" * 100_000,
    "dollars": "$" * 100_000,
    "kwh": "kwh" * 33_000,
    "angle brackets": "<" * 100_000,
    "open mentions": "<@" * 50_000,
    "open links": "<http:" * 16_000,
    "emoji": "🚀" * 100_000,
    "emoji codes": ":rocket" * 14_000,
    "stars": "*" * 99_999 + "a",
    "periods": "over 3 months " * 7_000,
    "signed ones": "1-" * 50_000,
    "exponents": "10^" * 33_000,
    "rates": "1/s " * 25_000,
    "hardware names": "1 " + "4090 " * 20_000,
    "model-like names": "gpt-1 " * 16_000,
    "people and rates": "400 employees and each asks 5 questions a day " * 2_000,
    "spaces": "1" + " " * 100_000 + "tokens a day",
    "line breaks": "1" + "\n" * 100_000 + "tokens a day",
    "euro signs": "€" * 100_000,
    "prices in francs": "0.3 chf/kwh, 90 chf/h engineers " * 3_000,
}
"""100k characters (or a 10,000-digit number) of one thing that made a reader super-linear."""

SET_ASIDE = [
    ("10^30 tokens a day", "tokens_per_day", "10^30"),
    ("1e30 tokens a day", "tokens_per_day", "1e30"),
    ("10**30 tokens a day", "tokens_per_day", "10**30"),
    ("1.5 x 10^30 requests a day", "requests_per_day", "10^30"),
    ("-5M tokens a day", "tokens_per_day", "-5M"),
    ("about -200 requests per day", "requests_per_day", "-200"),
    ("we have -3 SREs", "ops_staff", "-3 SREs"),
    ("150% need frontier reasoning", "frontier_share", "150%"),
    ("we promise 199.9% uptime", "availability", "199.9%"),
    ("electricity is -0.2 $/kWh", "electricity_usd_per_kwh", "-0.2"),
    ("engineers cost -$80/h", "engineer_hourly_usd", "-$80/h"),
    ("answers under -2 seconds", "latency_s", "-2"),
    ("we own -2 RTX 4090s", "owned", "-2"),
    ("4M documents over 0 months", "requests_per_day", "0 months"),
    ("one-off, done in 0 days", "one_off_months", "0 days"),
    ("we push " + "9" * 40 + " tokens a day", "tokens_per_day", "40 digits"),
]
"""A value that must not be taken as a fact, the field it would fill, and words the note must quote."""

UNKNOWN_NAMES = [
    ("we'd run llama3.1:405b on prem", "llama3.1:405b"),
    ("thinking of qwen9:70b", "qwen9:70b"),
    ("we pay for the gpt-7-turbo API", "gpt-7-turbo"),
]
"""A model name we do not know: misread unless a note names it."""


def measure() -> dict[str, float]:
    kb = load_knowledge(data_dir("knowledge"))
    parse("warm up: 2M tokens a day through gpt-4o-mini", kb)  # names indexed once, as a running bot has
    stalls: list[float] = []
    tracebacks = misread = cases = 0
    for text in PATHOLOGICAL.values():
        cases += 1
        crashed, _ = _timed_parse(text, kb, stalls)
        tracebacks += crashed
    for text, field, quoted in SET_ASIDE:
        cases += 1
        crashed, result = _timed_parse(text, kb, stalls)
        tracebacks += crashed
        taken = result is not None and getattr(result.workload, field) not in (None, [])
        said = result is not None and any(quoted in note for note in result.notes)
        misread += taken or not said
    for text, name in UNKNOWN_NAMES:
        cases += 1
        crashed, result = _timed_parse(text, kb, stalls)
        tracebacks += crashed
        misread += result is None or not any(f"'{name}'" in note for note in result.notes)
    process_cases, process_tracebacks = _processes(stalls)
    return {
        "cases": cases + process_cases,
        "tracebacks": tracebacks + process_tracebacks,
        "misread": misread,
        "longest_stall_s": round(max(stalls), 3),
    }


def _timed_parse(text: str, kb: KnowledgeBase, stalls: list[float]) -> tuple[bool, object]:
    started = time.perf_counter()
    try:
        result = parse(text, kb)
    except Exception:  # counted, not raised: this measures, it does not test
        return True, None
    finally:
        stalls.append(time.perf_counter() - started)
    return False, result


def _processes(stalls: list[float]) -> tuple[int, int]:
    """Hostile arguments and files through `localcheck` processes: (cases, tracebacks)."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        run = _runner(root)
        latin1 = root / "latin1.yaml"
        latin1.write_bytes("api_model: gpt-4o-mini\nnote: caf\xe9\n".encode("latin-1"))
        nested = root / "nested.yaml"
        nested.write_bytes(b"[" * 3_000 + b"]" * 3_000)
        broken = Path(shutil.copytree(data_dir("knowledge"), root / "knowledge"))
        (broken / "sources.yaml").write_bytes(b"- id: caf\xe9\n")
        (broken / "models.yaml").write_text("")
        damaged = {"LOCALCHECK_KNOWLEDGE_DIR": str(broken)}
        ask = ["ask", "--no-llm"]
        estimate = ["estimate", "-m", "llama3.1:8b", "-H", "4090"]
        plain = {"ask": run([*ask, "2M tokens a day through gpt-4o-mini"])[1], "estimate": run(estimate)[1]}
        plain["chart"] = run([*ask, "--chart", str(root / "plain.png"), "2M tokens a day"])[1]  # drawing is no stall
        hostile = [
            [*ask, "We push about 2M tokens a day. " + "more chatter " * 9_300],
            [*ask, "We push " + "7" * 10_000 + " tokens a day through gpt-4o-mini"],
            [*ask, "4M documents over 0 months"],
            [*ask, "--", "-5M tokens a day, 10^30 requests, llama3.1:405b"],
            [*ask, "--workload", str(latin1)],
            [*ask, "--workload", str(nested)],
            [*ask, "--currency", "€" * 30_000, "2M tokens a day"],
            [*ask, "--currency", "eur\x01; rm -rf", "2M tokens a day"],
            [*ask, "--chart", str(root), "2M tokens a day"],
            [*ask, "--chart", str(root / "no" / "such" / "chart.png"), "2M tokens a day"],
            [*ask, "--chart", "/dev/full", "2M tokens a day"],
            [*estimate, "--count", "0"],
            [*estimate, "--context", "-1"],
            [*estimate, "--prompt-tokens", str(10**30)],
            ["estimate", "-m", "m" * 100_000, "-H", "4090"],
            ["estimate", "-m", "qwen9:70b", "-H", "RTX 9090", "-q", "q1_zz"],
        ]
        cases = tracebacks = 0
        for args in hostile:
            crashed, seconds = run(args)
            cases, tracebacks = cases + 1, tracebacks + crashed
            stalls.append(max(0.0, seconds - plain["chart" if "--chart" in args else args[0]]))
        for args in (["knowledge", "check"], [*ask, "2M tokens a day"], estimate, ["doctor"]):
            crashed, seconds = run(args, damaged)
            cases, tracebacks = cases + 1, tracebacks + crashed
            stalls.append(max(0.0, seconds - plain.get(args[0], seconds)))
    return cases, tracebacks


def _runner(scratch: Path) -> Callable[..., tuple[bool, float]]:
    """Runs `localcheck ARGS` in `scratch` with nothing of the developer's (no .env, settings,
    Ollama or decision log): (a traceback or crash, seconds taken)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOCALCHECK_", "SLACK_", "OLLAMA_"))}
    env |= {"LOCALCHECK_DB": str(scratch / "decisions.db"), "OLLAMA_HOST": f"http://127.0.0.1:{_closed_port()}"}

    def run(args: list[str], extra: dict[str, str] | None = None) -> tuple[bool, float]:
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            capture_output=True,
            text=True,
            errors="replace",
            cwd=scratch,
            env=env | (extra or {}),
            check=False,
        )
        seconds = time.perf_counter() - started
        return "Traceback" in process.stdout + process.stderr or process.returncode not in (0, 1, 2), seconds

    return run


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    started = time.perf_counter()
    figures = measure()
    print(
        f"hostile input: {figures['cases']:.0f} cases, {figures['tracebacks']:.0f} tracebacks, "
        f"{figures['misread']:.0f} misread, longest stall {figures['longest_stall_s']:.3f} s "
        f"(measured in {time.perf_counter() - started:.0f} s)"
    )
