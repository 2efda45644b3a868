"""`localcheck ask` with the model writing: the words, who wrote them, and what was logged."""

from __future__ import annotations

import json

from tests.conftest import CliRun
from tests.fakes.ollama import FakeOllama
from tests.write.test_writer import QUESTION


def reply_for(request: dict) -> str:  # type: ignore[type-arg]
    """Read nothing extra; write an answer citing what the facts cite, with their first money amount."""
    prompt = request["messages"][-1]["content"]
    if "Fields to fill" in prompt:
        return "{}"
    first_citation = prompt[prompt.index("[") : prompt.index("]") + 1]
    return f"Verdict: run it locally.\nTradeoffs:\n- The data may not leave {first_citation}.\nNext step: pilot it."


def test_json_carries_the_recommendation_and_its_writer_and_the_log_keeps_them(
    cli: CliRun, fake_ollama: FakeOllama
) -> None:
    fake_ollama.replies = [reply_for]
    answer = json.loads(cli("ask", QUESTION, "--json").output)
    assert answer["writer"] == "ollama:llama3.1:8b" and answer["fallback_reason"] is None
    assert answer["recommendation"].startswith("Verdict: run it locally.")
    logged = json.loads(cli("decisions", "show", answer["decision_id"], "--json").output)
    assert logged["writer"] == "ollama:llama3.1:8b" and logged["recommendation"] == answer["recommendation"]


def test_the_readable_answer_streams_the_words_and_says_who_wrote_them(cli: CliRun, fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [reply_for]
    output = cli("ask", QUESTION).output
    assert "In words:\nVerdict: run it locally." in output and "(written by ollama:llama3.1:8b)" in output


def test_without_a_model_the_template_answers_and_says_why(cli: CliRun) -> None:
    answer = json.loads(cli("ask", QUESTION, "--json").output)  # OLLAMA_HOST points at a closed port
    assert answer["writer"] == "template" and "no model server answered" in answer["fallback_reason"]
    assert answer["recommendation"].startswith("Verdict: run it locally")
