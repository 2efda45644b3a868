"""A fake Ollama server speaking the real HTTP wire protocol, for tests.

Tests must never need a real Ollama or model, yet should exercise the real client
stack (`langchain_ollama.ChatOllama` -> `ollama.Client` -> httpx). So instead of
mocking Python objects this serves `/api/chat`, `/api/generate`, `/api/tags` and
`/api/version` on 127.0.0.1 with the shapes documented in ollama's docs/api.md.
Answers carry `eval_count`/`eval_duration` and `prompt_eval_count`/`prompt_eval_duration`
as a machine generating `eval_tokens_per_s` and reading `prompt_tokens_per_s` would.

    with FakeOllama(replies=["Hello there"]) as fake:
        ChatOllama(model="llama3.1:8b", base_url=fake.url).invoke("hi")
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.fakes.chat import ChatHandler, FakeChatServer, Reply
from tests.fakes.http import keep_traffic_local


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _full_name(name: str) -> str:
    """Ollama treats a name without a tag as `name:latest`."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


class _Handler(ChatHandler):
    owner: FakeOllama

    def _handle(self) -> None:
        path, body, _ = self.receive()
        try:
            if path == "/" and self.command == "GET":
                self.send_bytes(200, b"Ollama is running", "text/plain; charset=utf-8")
            elif path == "/api/version" and self.command == "GET":
                self.send_json(200, {"version": "0.0.0-fake"})
            elif path == "/api/tags" and self.command == "GET":
                self.send_json(200, {"models": [_model_entry(m) for m in self.owner.models]})
            elif path == "/api/chat" and self.command == "POST":
                self._chat(body if isinstance(body, dict) else None)
            elif path == "/api/generate" and self.command == "POST":
                self._generate(body if isinstance(body, dict) else None)
            else:
                self.send_bytes(404, b"404 page not found", "text/plain")
        except OSError:
            self.close_connection = True  # the client gave up (e.g. it timed out)

    do_GET = do_POST = _handle

    def _chat(self, req: dict[str, Any] | None) -> None:
        owner = self.owner
        if req is None:
            return self.send_json(400, {"error": "invalid request body"})
        if owner.pause(owner.delay_s):
            self.close_connection = True  # the fake is stopping: answer nothing
            return None
        if owner.fail_with is not None:
            return self.send_json(owner.fail_with, {"error": f"fake failure ({owner.fail_with})"})
        model = str(req.get("model") or "")
        if not model:
            return self.send_json(400, {"error": "model is required"})
        if _full_name(model) not in {_full_name(m) for m in owner.models}:
            return self.send_json(404, {"error": f'model "{model}" not found, try pulling it first'})
        started = time.perf_counter_ns()
        try:
            text = owner.next_reply(req)
        except Exception as exc:  # a test's reply callable failed: say so, don't hang up
            return self.send_json(500, {"error": f"reply callable raised {exc!r}"})
        pieces = re.findall(r"\s*\S+\s*|\s+", text)  # word-sized "tokens"
        prompt_tokens = sum(len(str(m.get("content") or "").split()) for m in req.get("messages") or [])

        def message(content: str) -> dict[str, Any]:
            return {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": content}}

        def final(content: str) -> dict[str, Any]:
            # `message` is required by ollama-python's ChatResponse even on the final
            # chunk (docs/api.md omits it there); real Ollama sends it empty.
            return {**message(content), **owner.counters(prompt_tokens, len(pieces), started)}

        def chunk(obj: dict[str, Any]) -> None:
            self.write_chunk(json.dumps(obj).encode() + b"\n")

        if req.get("stream", True) is False:
            return self.send_json(200, final(text))
        # Not start_chunked(): that adds Cache-Control, which real Ollama does not send.
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i, piece in enumerate(pieces):
            if i and owner.pause(owner.chunk_delay_s):
                break
            chunk({**message(piece), "done": False})
        chunk(final(""))
        self.end_chunked()
        return None

    def _generate(self, req: dict[str, Any] | None) -> None:
        """A non-streamed /api/generate: `num_predict` tokens (the reply's words by default)."""
        owner = self.owner
        if req is None:
            return self.send_json(400, {"error": "invalid request body"})
        if owner.fail_with is not None:
            return self.send_json(owner.fail_with, {"error": f"fake failure ({owner.fail_with})"})
        model = str(req.get("model") or "")
        if _full_name(model) not in {_full_name(m) for m in owner.models}:
            return self.send_json(404, {"error": f'model "{model}" not found, try pulling it first'})
        started = time.perf_counter_ns()
        owner.generated.append(req)
        options = req.get("options") or {}
        prompt_tokens = len(str(req.get("prompt") or "").split())
        text = "ok " * int(options.get("num_predict") or 1)
        counters = owner.counters(prompt_tokens, int(options.get("num_predict") or 1), started)
        return self.send_json(200, {"model": model, "created_at": _now(), "response": text.strip(), **counters})


class FakeOllama(FakeChatServer):
    """A background ThreadingHTTPServer on ("127.0.0.1", free port); see module doc."""

    handler_class = _Handler
    chat_path = "/api/chat"

    def __init__(
        self,
        *,
        models: list[str] | None = None,
        replies: list[Reply] | None = None,
        delay_s: float = 0.0,
        chunk_delay_s: float = 0.0,
        byte_delay_s: float = 0.0,
        fail_with: int | None = None,
        eval_tokens_per_s: float | None = None,
        prompt_tokens_per_s: float | None = None,
    ) -> None:
        self.eval_tokens_per_s = eval_tokens_per_s
        self.prompt_tokens_per_s = prompt_tokens_per_s
        self.generated: list[dict[str, Any]] = []
        super().__init__(
            models=list(models) if models is not None else ["llama3.1:8b"],
            replies=list(replies) if replies is not None else ["Hello from FakeOllama."],
            delay_s=delay_s,
            chunk_delay_s=chunk_delay_s,
            byte_delay_s=byte_delay_s,
            fail_with=fail_with,
        )

    def counters(self, prompt_tokens: int, tokens: int, started_ns: int) -> dict[str, Any]:
        """The timing fields of a final answer: at the configured speeds, else as long as it took."""
        elapsed = time.perf_counter_ns() - started_ns
        eval_ns = round(tokens / self.eval_tokens_per_s * 1e9) if self.eval_tokens_per_s else max(elapsed - 2_000, 1)
        prompt_ns = round(prompt_tokens / self.prompt_tokens_per_s * 1e9) if self.prompt_tokens_per_s else 1_000
        return {
            "done": True,
            "done_reason": "stop",
            "total_duration": elapsed + eval_ns + prompt_ns,
            "load_duration": 1_000,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": prompt_ns,
            "eval_count": tokens,
            "eval_duration": eval_ns,
        }


def _model_entry(name: str) -> dict[str, Any]:
    full = _full_name(name)
    size = re.search(r":(\d+(?:\.\d+)?)b\b", full)
    return {
        "name": full,
        "model": full,
        "modified_at": "2024-12-01T10:00:00.000000Z",
        "size": 4_920_753_328,
        "digest": hashlib.sha256(full.encode()).hexdigest(),
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": "llama",
            "families": ["llama"],
            "parameter_size": f"{size.group(1)}B" if size else "8.0B",
            "quantization_level": "Q4_K_M",
        },
    }


@pytest.fixture
def fake_ollama(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """A running FakeOllama with OLLAMA_HOST pointing at it and no proxy in the way.

    Every test can ask for it: tests/conftest.py loads this module as a plugin.
    """
    keep_traffic_local(monkeypatch)
    with FakeOllama() as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        yield fake
