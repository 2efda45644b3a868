"""A fake OpenAI-compatible chat server (as vLLM, llama.cpp server or LM Studio expose), for tests.

Like `tests.fakes.ollama`, it speaks the real HTTP wire protocol on 127.0.0.1 so that
tests exercise the real client stack (`langchain_openai.ChatOpenAI` -> `openai` -> httpx):
POST /v1/chat/completions (JSON, or Server-Sent Events with "stream": true),
GET /v1/models and GET /v1/models/{id}, shaped as in OpenAI's API reference.

    with FakeOpenAI(replies=["Hello there"]) as fake:
        ChatOpenAI(model="local-model", base_url=fake.url + "/v1", api_key="x").invoke("hi")

Mind that the `openai` client retries timeouts, 429 and 5xx answers twice by default
(with backoff): pass `max_retries=0` when a test wants a failure to surface at once.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from tests.fakes.chat import ChatHandler, FakeChatServer, Reply
from tests.fakes.http import keep_traffic_local

CREATED = 1_700_000_000  # a fixed "created" for the models, so listings compare equal


def _error(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    """OpenAI's error envelope; the `openai` client puts `message` in the exception's text."""
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def _text_of(content: Any) -> str:
    """A message's content is a string or a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, list):
        return " ".join(str(part.get("text") or "") for part in content if isinstance(part, dict))
    return str(content or "")


class _Handler(ChatHandler):
    owner: FakeOpenAI

    def _handle(self) -> None:
        path, body, number = self.receive()
        completion_id = f"chatcmpl-fake{number}"
        try:
            key = self.owner.api_key
            if key is not None and self.headers.get("Authorization") != f"Bearer {key}":
                message = f"Incorrect API key provided{self._echo()}."
                self.send_json(401, _error(message, "invalid_request_error", "invalid_api_key"))
            elif path == "/v1/models" and self.command == "GET":
                self.send_json(200, {"object": "list", "data": [_model_entry(m) for m in self.owner.models]})
            elif path.startswith("/v1/models/") and self.command == "GET":
                name = unquote(path.removeprefix("/v1/models/"))
                if name in self.owner.models:
                    self.send_json(200, _model_entry(name))
                else:
                    self.send_json(404, _not_found(name))
            elif path == "/v1/chat/completions" and self.command == "POST":
                self._chat(body if isinstance(body, dict) else None, completion_id)
            else:
                message = f"Unknown request URL: {self.command} {path}."
                self.send_json(404, _error(message, "invalid_request_error", "unknown_url"))
        except OSError:
            self.close_connection = True  # the client gave up (e.g. it timed out)

    do_GET = do_POST = _handle

    def _echo(self) -> str:
        sent = str(self.headers.get("Authorization") or "")
        return f": {sent.removeprefix('Bearer ')} (sent as {sent})" if self.owner.echo_key else ""

    def _chat(self, req: dict[str, Any] | None, completion_id: str) -> None:
        owner = self.owner
        if req is None:
            return self.send_json(400, _error("The request body is not valid JSON.", "invalid_request_error"))
        if owner.pause(owner.delay_s):
            self.close_connection = True  # the fake is stopping: answer nothing
            return None
        if owner.fail_with is not None:
            message = f"fake failure ({owner.fail_with}){self._echo()}"
            return self.send_json(owner.fail_with, _error(message, "server_error"))
        model = str(req.get("model") or "")
        if not model:
            return self.send_json(400, _error("you must provide a model parameter", "invalid_request_error"))
        if model not in owner.models:
            return self.send_json(404, _not_found(model))
        try:
            text = owner.next_reply(req)
        except Exception as exc:  # a test's reply callable failed: say so, don't hang up
            return self.send_json(500, _error(f"reply callable raised {exc!r}", "server_error"))
        pieces = re.findall(r"\S+\s*|\s+", text)  # word-sized "tokens"
        prompt_tokens = sum(len(_text_of(m.get("content")).split()) for m in req.get("messages") or [])
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(pieces),
            "total_tokens": prompt_tokens + len(pieces),
        }
        head = {"id": completion_id, "created": int(time.time()), "model": model, "system_fingerprint": "fp_fake"}
        if not req.get("stream"):
            choice = {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
            return self.send_json(200, {**head, "object": "chat.completion", "choices": [choice], "usage": usage})

        # With stream_options.include_usage, OpenAI sends "usage": null on every chunk,
        # then one last chunk with no choices that carries the usage.
        with_usage = bool((req.get("stream_options") or {}).get("include_usage"))

        def send(data: dict[str, Any]) -> None:
            self.write_chunk(
                b"data: " + json.dumps({**head, "object": "chat.completion.chunk", **data}).encode() + b"\n\n"
            )

        def event(delta: dict[str, Any], finish_reason: str | None = None) -> None:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            send({"choices": [choice], **({"usage": None} if with_usage else {})})

        self.start_chunked(200, "text/event-stream; charset=utf-8")
        event({"role": "assistant", "content": ""})
        for i, piece in enumerate(pieces):
            if i and owner.pause(owner.chunk_delay_s):
                break
            event({"content": piece})
        event({}, "stop")
        if with_usage:
            send({"choices": [], "usage": usage})
        self.write_chunk(b"data: [DONE]\n\n")
        self.end_chunked()
        return None


class FakeOpenAI(FakeChatServer):
    """A background ThreadingHTTPServer on ("127.0.0.1", free port); see module doc.

    With `api_key` set, every /v1 request needs "Authorization: Bearer <api_key>".
    With `echo_key`, error messages repeat the key the client sent, as some servers do.
    """

    handler_class = _Handler
    chat_path = "/v1/chat/completions"

    def __init__(
        self,
        *,
        models: list[str] | None = None,
        replies: list[Reply] | None = None,
        delay_s: float = 0.0,
        chunk_delay_s: float = 0.0,
        byte_delay_s: float = 0.0,
        fail_with: int | None = None,
        api_key: str | None = None,
        echo_key: bool = False,
    ) -> None:
        super().__init__(
            models=list(models) if models is not None else ["local-model"],
            replies=list(replies) if replies is not None else ["Hello from FakeOpenAI."],
            delay_s=delay_s,
            chunk_delay_s=chunk_delay_s,
            byte_delay_s=byte_delay_s,
            fail_with=fail_with,
        )
        self.api_key = api_key
        self.echo_key = echo_key


def _not_found(model: str) -> dict[str, Any]:
    return _error(f"The model `{model}` does not exist.", "invalid_request_error", "model_not_found")


def _model_entry(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": CREATED, "owned_by": "fake"}


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A running FakeOpenAI, with LOCALCHECK_OPENAI_BASE_URL (the bot's setting) pointing at it.

    Every test can ask for it: tests/conftest.py loads this module as a plugin.
    OPENAI_BASE_URL/OPENAI_API_BASE are removed so a developer's own can't redirect a client.
    """
    keep_traffic_local(monkeypatch)
    for var in ("OPENAI_BASE_URL", "OPENAI_API_BASE"):
        monkeypatch.delenv(var, raising=False)
    with FakeOpenAI() as fake:
        monkeypatch.setenv("LOCALCHECK_OPENAI_BASE_URL", fake.url + "/v1")
        yield fake
