"""The fake Ollama works with the real client libraries, not only with raw HTTP."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from typing import Any

import httpx
import ollama
import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_ollama import ChatOllama
from pydantic import BaseModel

from tests.fakes.ollama import FakeOllama

REPLY = "Run it locally: an RTX 4090 pays for itself in four months."


class Verdict(BaseModel):
    decision: str
    monthly_cost_usd: float


def chat(fake: FakeOllama, **kwargs: Any) -> ChatOllama:
    return ChatOllama(model="llama3.1:8b", base_url=fake.url, **kwargs)


def test_invoke_returns_the_reply_and_the_request_is_recorded(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [REPLY]
    answer = chat(fake_ollama).invoke([SystemMessage("Be brief."), HumanMessage("Local or cloud?")])
    assert answer.content == REPLY
    assert answer.response_metadata["done_reason"] == "stop"
    assert answer.usage_metadata is not None and answer.usage_metadata["output_tokens"] > 0
    (req,) = fake_ollama.chat_requests()
    assert req["model"] == "llama3.1:8b"
    assert [m["role"] for m in req["messages"]] == ["system", "user"]
    assert req["messages"][1]["content"] == "Local or cloud?"


def test_stream_yields_the_reply_in_several_chunks(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [REPLY]
    chunks = [c.text for c in chat(fake_ollama).stream("Local or cloud?")]
    texts = [c for c in chunks if c]
    assert len(texts) > 3
    assert "".join(chunks) == REPLY


def test_async_client_works_too(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [REPLY]
    assert asyncio.run(chat(fake_ollama).ainvoke("Local or cloud?")).content == REPLY


def test_replies_are_a_queue_that_repeats_its_last_and_may_be_callable(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = ["first", lambda req: "echo: " + req["messages"][-1]["content"]]
    model = chat(fake_ollama)
    assert model.invoke("a").content == "first"
    assert model.invoke("b").content == "echo: b"
    assert model.invoke("c").content == "echo: c"


def test_non_streaming_answer_is_one_json_object(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [REPLY]
    body = json.dumps({"model": "llama3.1:8b", "messages": [{"role": "user", "content": "hi"}], "stream": False})
    request = urllib.request.Request(f"{fake_ollama.url}/api/chat", data=body.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.headers["Content-Type"].startswith("application/json")
        data = json.loads(resp.read())
    assert data["message"] == {"role": "assistant", "content": REPLY}
    assert data["done"] is True and data["done_reason"] == "stop"
    assert {"total_duration", "eval_count", "prompt_eval_count", "created_at"} <= data.keys()
    # And through the ollama client, which sends "stream": false itself.
    response = ollama.Client(host=fake_ollama.url).chat(
        model="llama3.1:8b", messages=[{"role": "user", "content": "x"}]
    )
    assert response.message.content == REPLY


def test_streamed_wire_format_is_ndjson(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = ["one two three"]
    body = {"model": "llama3.1:8b", "messages": [{"role": "user", "content": "hi"}]}  # stream defaults to true
    with httpx.stream("POST", f"{fake_ollama.url}/api/chat", json=body, timeout=5) as resp:
        assert resp.headers["content-type"] == "application/x-ndjson"
        lines = [json.loads(line) for line in resp.iter_lines() if line]
    assert [line["done"] for line in lines] == [False, False, False, True]
    assert "".join(line["message"]["content"] for line in lines) == "one two three"
    assert lines[-1]["done_reason"] == "stop" and lines[-1]["eval_count"] == 3


def test_structured_output_sends_the_schema_as_format(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = ['{"decision": "local", "monthly_cost_usd": 412.5}']
    verdict = chat(fake_ollama).with_structured_output(Verdict).invoke("Decide.")
    assert verdict == Verdict(decision="local", monthly_cost_usd=412.5)
    (req,) = fake_ollama.chat_requests()
    assert req["format"]["properties"].keys() == {"decision", "monthly_cost_usd"}


def test_tags_lists_the_models(fake_ollama: FakeOllama) -> None:
    fake_ollama.models = ["llama3.1:8b", "qwen2.5:7b", "phi4"]
    listed = ollama.Client().list()  # finds the fake through OLLAMA_HOST, set by the fixture
    assert [m.model for m in listed.models] == ["llama3.1:8b", "qwen2.5:7b", "phi4:latest"]
    assert listed.models[1].details is not None and listed.models[1].details.parameter_size == "7B"
    with urllib.request.urlopen(f"{fake_ollama.url}/api/tags", timeout=5) as resp:
        assert json.loads(resp.read())["models"][0]["name"] == "llama3.1:8b"
    # ChatOllama's own check of the model against /api/tags passes too.
    chat(fake_ollama, validate_model_on_init=True)


def test_unknown_model_is_not_found(fake_ollama: FakeOllama) -> None:
    with pytest.raises(ollama.ResponseError, match="not found") as err:
        ChatOllama(model="mystery:70b", base_url=fake_ollama.url).invoke("hi")
    assert err.value.status_code == 404
    assert err.value.error == 'model "mystery:70b" not found, try pulling it first'


def test_fail_with_answers_that_status(fake_ollama: FakeOllama) -> None:
    fake_ollama.fail_with = 500
    with pytest.raises(ollama.ResponseError) as err:
        chat(fake_ollama).invoke("hi")
    assert err.value.status_code == 500


def test_delay_longer_than_the_client_timeout_times_out(fake_ollama: FakeOllama) -> None:
    fake_ollama.delay_s = 10
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        chat(fake_ollama, client_kwargs={"timeout": 0.5}).invoke("hi")
    assert time.monotonic() - started < 3


def test_chunk_delay_spaces_the_chunks(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = ["a b c d"]
    fake_ollama.chunk_delay_s = 0.1
    started = time.monotonic()
    assert chat(fake_ollama).invoke("hi").content == "a b c d"
    assert time.monotonic() - started >= 0.3


def test_byte_delay_trickles_bytes_so_no_read_timeout_fires(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = ["a b"]
    fake_ollama.byte_delay_s = 0.002
    started = time.monotonic()
    assert chat(fake_ollama, client_kwargs={"timeout": 0.2}).invoke("hi").content == "a b"
    assert time.monotonic() - started > 0.2, "slower in all than the read timeout, yet never silent that long"
    assert fake_ollama.requests[0].at >= started


def test_context_manager_binds_a_free_local_port_and_stops() -> None:
    with FakeOllama() as one, FakeOllama() as two:
        assert one.url.startswith("http://127.0.0.1:") and one.url != two.url
        assert chat(one).invoke("hi").content == "Hello from FakeOllama."
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{one.url}/api/tags", timeout=1)
