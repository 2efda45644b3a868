"""The fake OpenAI-compatible server works with the real client libraries, not only with raw HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.error
import urllib.request
from typing import Any

import httpx
import openai
import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from tests.fakes.openai_compatible import FakeOpenAI

REPLY = "Run it locally: an RTX 4090 pays for itself in four months."


class Verdict(BaseModel):
    decision: str
    monthly_cost_usd: float


def chat(fake: FakeOpenAI, **kwargs: Any) -> ChatOpenAI:
    return ChatOpenAI(**{"model": "local-model", "base_url": fake.url + "/v1", "api_key": "x", **kwargs})


def post(fake: FakeOpenAI, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        f"{fake.url}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.headers["Content-Type"].startswith("application/json")
        return json.loads(resp.read())


def test_invoke_returns_the_reply_and_the_request_is_recorded(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = [REPLY]
    answer = chat(fake_openai, temperature=0.2).invoke([SystemMessage("Be brief."), HumanMessage("Local or cloud?")])
    assert answer.content == REPLY
    assert answer.response_metadata["finish_reason"] == "stop"
    assert answer.usage_metadata is not None and answer.usage_metadata["output_tokens"] > 0
    (req,) = fake_openai.chat_requests()
    assert req["model"] == "local-model" and req["temperature"] == 0.2
    assert [m["role"] for m in req["messages"]] == ["system", "user"]
    assert req["messages"][1]["content"] == "Local or cloud?"
    assert fake_openai.requests[0].headers["authorization"] == "Bearer x"


def test_stream_yields_the_reply_in_several_chunks(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = [REPLY]
    chunks = [c.text for c in chat(fake_openai).stream("Local or cloud?")]
    assert len([c for c in chunks if c]) > 3
    assert "".join(chunks) == REPLY
    assert fake_openai.chat_requests()[0]["stream"] is True


def test_stream_usage_is_sent_when_asked_for(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = ["one two three"]
    chunks = list(chat(fake_openai, stream_usage=True).stream("hi"))
    assert fake_openai.chat_requests()[0]["stream_options"] == {"include_usage": True}
    usage = [c.usage_metadata for c in chunks if c.usage_metadata]
    assert usage == [
        {
            "input_tokens": 1,
            "output_tokens": 3,
            "total_tokens": 4,
            "input_token_details": {},
            "output_token_details": {},
        }
    ]


def test_streamed_wire_format_is_server_sent_events(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = ["one two three"]
    body = {"model": "local-model", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    with httpx.stream("POST", f"{fake_openai.url}/v1/chat/completions", json=body, timeout=5) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        raw = resp.read().decode()
    events = [e for e in raw.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events) and events[-1] == "data: [DONE]"
    chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"} and len({c["id"] for c in chunks}) == 1
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert deltas[0] == {"role": "assistant", "content": ""} and deltas[-1] == {}
    assert "".join(d.get("content", "") for d in deltas) == "one two three"
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None] * 4 + ["stop"]
    assert "usage" not in chunks[0]  # only with stream_options.include_usage


def test_non_streaming_answer_is_a_chat_completion(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = [REPLY]
    data = post(
        fake_openai,
        "/v1/chat/completions",
        {"model": "local-model", "messages": [{"role": "user", "content": "hi there"}]},
    )
    assert data["object"] == "chat.completion" and data["model"] == "local-model"
    assert data["id"].startswith("chatcmpl-") and isinstance(data["created"], int)
    (choice,) = data["choices"]
    assert choice["message"]["role"] == "assistant" and choice["message"]["content"] == REPLY
    assert choice["finish_reason"] == "stop"
    assert data["usage"]["prompt_tokens"] == 2
    assert data["usage"]["total_tokens"] == data["usage"]["prompt_tokens"] + data["usage"]["completion_tokens"]


def test_replies_are_a_queue_that_repeats_its_last_and_may_be_callable(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = ["first", lambda req: "echo: " + req["messages"][-1]["content"]]
    model = chat(fake_openai)
    assert model.invoke("a").content == "first"
    assert model.invoke("b").content == "echo: b"
    assert model.invoke("c").content == "echo: c"


def test_async_client_works_too(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = [REPLY]

    async def both() -> tuple[Any, list[str]]:
        model = chat(fake_openai)
        return await model.ainvoke("hi"), [c.text async for c in model.astream("hi")]

    answer, chunks = asyncio.run(both())
    assert answer.content == REPLY and "".join(chunks) == REPLY


def test_structured_output_parses_a_json_reply(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = ['{"decision": "local", "monthly_cost_usd": 412.5}']
    verdict = chat(fake_openai).with_structured_output(Verdict).invoke("Decide.")
    assert verdict == Verdict(decision="local", monthly_cost_usd=412.5)
    (req,) = fake_openai.chat_requests()
    assert req["response_format"]["type"] == "json_schema"


def test_models_are_listed(fake_openai: FakeOpenAI) -> None:
    fake_openai.models = ["local-model", "qwen2.5-7b-instruct"]
    client = openai.OpenAI(base_url=fake_openai.url + "/v1", api_key="x")
    listed = client.models.list()
    assert [m.id for m in listed.data] == ["local-model", "qwen2.5-7b-instruct"]
    assert listed.data[0].object == "model"
    assert client.models.retrieve("qwen2.5-7b-instruct").id == "qwen2.5-7b-instruct"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("mystery")
    with urllib.request.urlopen(f"{fake_openai.url}/v1/models", timeout=5) as resp:
        assert json.loads(resp.read())["object"] == "list"


def test_unknown_model_is_not_found(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="mystery-70b") as err:
        chat(fake_openai, model="mystery-70b").invoke("hi")
    assert err.value.status_code == 404
    assert err.value.body == {
        "message": "The model `mystery-70b` does not exist.",
        "type": "invalid_request_error",
        "param": None,
        "code": "model_not_found",
    }


def test_api_key_is_checked_when_set(fake_openai: FakeOpenAI) -> None:
    fake_openai.api_key = "sk-local"
    with pytest.raises(openai.AuthenticationError) as err:
        chat(fake_openai, api_key="wrong").invoke("hi")
    assert err.value.status_code == 401
    with pytest.raises(urllib.error.HTTPError) as http_err:  # no Authorization header at all
        post(fake_openai, "/v1/chat/completions", {"model": "local-model", "messages": []})
    assert http_err.value.code == 401
    assert chat(fake_openai, api_key="sk-local").invoke("hi").content == "Hello from FakeOpenAI."


def test_echo_key_repeats_the_key_in_errors_as_some_servers_do(fake_openai: FakeOpenAI) -> None:
    fake_openai.api_key, fake_openai.echo_key = "sk-right", True
    with pytest.raises(openai.AuthenticationError) as err:
        chat(fake_openai, api_key="sk-wrong-key").invoke("hi")
    assert "sk-wrong-key" in str(err.value)


def test_byte_delay_trickles_even_a_non_streamed_answer(fake_openai: FakeOpenAI) -> None:
    fake_openai.byte_delay_s = 0.001
    started = time.monotonic()
    assert chat(fake_openai, timeout=0.2, max_retries=0).invoke("hi").content == "Hello from FakeOpenAI."
    assert time.monotonic() - started > 0.2


def test_fail_with_answers_that_status_and_the_client_retries_it(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail_with = 503
    with pytest.raises(openai.InternalServerError) as err:
        chat(fake_openai, max_retries=0).invoke("hi")
    assert err.value.status_code == 503 and len(fake_openai.chat_requests()) == 1
    # The openai client retries 5xx (and 429, timeouts) by itself, twice unless told otherwise.
    with pytest.raises(openai.InternalServerError):
        chat(fake_openai, max_retries=1).invoke("hi")
    assert len(fake_openai.chat_requests()) == 3


def test_delay_longer_than_the_client_timeout_times_out(fake_openai: FakeOpenAI) -> None:
    fake_openai.delay_s = 3
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        chat(fake_openai, timeout=0.5, max_retries=0).invoke("hi")
    assert time.monotonic() - started < 2


def test_chunk_delay_spaces_the_chunks(fake_openai: FakeOpenAI) -> None:
    fake_openai.replies = ["a b c d"]
    fake_openai.chunk_delay_s = 0.1
    started = time.monotonic()
    assert "".join(c.text for c in chat(fake_openai).stream("hi")) == "a b c d"
    assert time.monotonic() - started >= 0.3


def test_fixture_points_the_bot_setting_at_the_fake(fake_openai: FakeOpenAI) -> None:
    assert os.environ["LOCALCHECK_OPENAI_BASE_URL"] == fake_openai.url + "/v1"


def test_context_manager_binds_a_free_local_port_and_stops() -> None:
    with FakeOpenAI() as one, FakeOpenAI() as two:
        assert one.url.startswith("http://127.0.0.1:") and one.url != two.url
        assert chat(one).invoke("hi").content == "Hello from FakeOpenAI."
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{one.url}/v1/models", timeout=1)


def test_stopping_does_not_wait_for_a_pending_delay() -> None:
    fake = FakeOpenAI(delay_s=30).start()
    try:
        with pytest.raises(openai.APITimeoutError):
            chat(fake, timeout=0.2, max_retries=0).invoke("hi")
    finally:
        started = time.monotonic()
        fake.stop()
    assert time.monotonic() - started < 2
