"""Hostile model texts through the real surfaces: `localcheck ask` in a subprocess, and a Slack thread.

A fake Ollama reads nothing and writes the hostile text (on the first try and
the retry); the terminal and the fake Slack Web API must never see its hostile unit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge.loader import KnowledgeBase
from tests.fakes.http import keep_traffic_local
from tests.fakes.ollama import FakeOllama
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import start_bot, wait_until
from tests.write.corpus import QUESTIONS, Hostile, good_texts, hostile_texts

BY_ID = {case.id: case for case in hostile_texts()}
THROUGH_THE_CLI = ["contrary-verdict-on-line-two", "buy-8-h100", "phishing-link", "at-channel", "euros-with-k"]
THROUGH_SLACK = [
    "at-channel",  # on line two: what came before is still in the stream's buffer, never sent
    "contrary-you-should-in-the-body",
    "money-in-words",
    "markdown-link-hiding-a-url",
    "at-here",
    "user-mention",
    "click-and-log-in",
]
SLACK_METHODS = ("chat.startStream", "chat.appendStream", "chat.stopStream", "chat.postMessage", "chat.update")


def writes(text: str) -> Any:
    """A model that reads nothing extra from the question and writes `text`."""

    def reply(request: dict[str, Any]) -> str:
        return "{}" if "Fields to fill" in request["messages"][-1]["content"] else text

    return reply


def ask(fake: FakeOllama) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOCALCHECK_LLM_TIMEOUT": "10"}
    command = [sys.executable, "-m", "bot", "ask", QUESTIONS["local"]]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)


@pytest.mark.parametrize("case_id", THROUGH_THE_CLI)
def test_the_terminal_never_shows_a_hostile_unit(case_id: str, fake_ollama: FakeOllama) -> None:
    case = BY_ID[case_id]
    fake_ollama.replies = [writes(case.reply)]
    output = ask(fake_ollama).stdout
    assert case.unit not in output
    assert "\nIn words:\n" in output and "(the template, since ollama:llama3.1:8b's text" in output


def test_the_terminal_shows_a_good_text_whole(fake_ollama: FakeOllama) -> None:
    text = next(text for kind, text in good_texts() if kind == "local")
    fake_ollama.replies = [writes(text)]
    output = ask(fake_ollama).stdout
    assert f"\nIn words:\n{text}" in output and "(written by ollama:llama3.1:8b)" in output


@pytest.fixture
def bot_and_slack(kb: KnowledgeBase, fake_ollama: FakeOllama, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    keep_traffic_local(monkeypatch)
    with FakeSlack() as slack:
        yield start_bot(kb, slack, tmp_path / "decisions.db", ollama_host=fake_ollama.url, llm_timeout_s=10), slack


@pytest.mark.parametrize("case_id", THROUGH_SLACK)
def test_a_slack_thread_never_receives_a_hostile_unit(
    case_id: str, bot_and_slack: tuple[Any, FakeSlack], fake_ollama: FakeOllama
) -> None:
    bot, slack = bot_and_slack
    case: Hostile = BY_ID[case_id]
    fake_ollama.replies = [case.reply]
    bot.mention(QUESTIONS["local"])
    decision = wait_until(lambda: (found := bot.log.list()) and (d := bot.log.get(found[0].id)) and d.writer and d)
    assert decision and decision.writer == "template"
    sent = sent_to_slack(slack)
    assert case.unit not in sent and json.dumps(case.unit)[1:-1] not in sent
    assert slack.stream_text() == decision.recommendation, "the thread ends with the template's words"
    streams = [call.params["ts"] for call in slack.calls_to("chat.stopStream")]
    withdrawn = [call.params["ts"] for call in slack.calls_to("chat.update") if "withdrawn" in call.params["text"]]
    assert withdrawn == streams[:-1], "every message but the last was withdrawn (a stream never sent is not started)"


def test_a_slack_thread_receives_a_good_text_whole(
    bot_and_slack: tuple[Any, FakeSlack], fake_ollama: FakeOllama
) -> None:
    bot, slack = bot_and_slack
    text = next(text for kind, text in good_texts() if kind == "local")
    fake_ollama.replies = [text]
    bot.mention(QUESTIONS["local"])
    decision = wait_until(lambda: (found := bot.log.list()) and (d := bot.log.get(found[0].id)) and d.writer and d)
    assert decision and decision.writer == "ollama:llama3.1:8b"
    assert slack.stream_text() == text and not slack.calls_to("chat.update")


def sent_to_slack(slack: FakeSlack) -> str:
    """Everything the bot sent that a reader could see, as the fake received it."""
    return "\n".join(json.dumps(call.params, ensure_ascii=False) for m in SLACK_METHODS for call in slack.calls_to(m))
