"""`localcheck ask` with a model, end to end in a subprocess: done within one timeout for reading and one for writing.

However the model misbehaves (silent, a chunk now and then, a byte at a time),
the command finishes within LOCALCHECK_LLM_TIMEOUT for the reading plus
LOCALCHECK_LLM_TIMEOUT for the writing plus a small margin, with the template's words.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.fakes.ollama import FakeOllama

TIMEOUT_S = 1.0
MARGIN_S = 2.0
"""Start-up of the answer after reading, the log, and the exit: measured at about 0.5 s on a busy machine."""
QUESTION = "about 2M tokens a day through gpt-4o-mini for support tickets, nobody here runs servers"
LONG_REPLY = "Verdict: run it locally, and these words go on and on for a very long time indeed. " * 40


@pytest.mark.parametrize(
    "slowness",
    [{"delay_s": 30}, {"chunk_delay_s": 0.8 * TIMEOUT_S}, {"byte_delay_s": 0.02}],
    ids=["silent", "blocking between chunks", "trickling bytes"],
)
def test_ask_finishes_within_the_two_deadlines(fake_ollama: FakeOllama, slowness: dict[str, float]) -> None:
    fake_ollama.replies = [LONG_REPLY]
    for name, value in slowness.items():
        setattr(fake_ollama, name, value)
    env = {**os.environ, "LOCALCHECK_LLM_TIMEOUT": str(TIMEOUT_S)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", QUESTION], env=env, capture_output=True, text=True, timeout=60
    )
    finished = time.monotonic()
    assert result.returncode == 0, result.stderr
    asked = fake_ollama.requests
    assert len(asked) == 2, "one request to read, one to write: a timed-out write is not retried"
    assert finished - asked[0].at < 2 * TIMEOUT_S + MARGIN_S, "from the first model call to the exit"
    assert finished - started < 2 * TIMEOUT_S + 20, "and in all, with Python's start-up"
    assert "The model did not help read this (no answer within 1 s)" in result.stdout
    assert "(the template, since ollama:llama3.1:8b unavailable: no answer within 1 s)" in result.stdout
    assert "on and on" not in result.stdout
