"""A fake Ollama server speaking the real HTTP wire protocol, for tests.

Tests must never need a real Ollama or model, yet should exercise the real client
stack (`langchain_ollama.ChatOllama` -> `ollama.Client` -> httpx). So instead of
mocking Python objects this serves `/api/chat`, `/api/tags` and `/api/version` on
127.0.0.1 with the shapes documented in ollama's docs/api.md.

    with FakeOllama(replies=["Hello there"]) as fake:
        ChatOllama(model="llama3.1:8b", base_url=fake.url).invoke("hi")
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Reply = str | Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    json: Any  # the parsed body; None for a GET or an empty body


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _full_name(name: str) -> str:
    """Ollama treats a name without a tag as `name:latest`."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


class FakeOllama:
    """A background ThreadingHTTPServer on ("127.0.0.1", free port); see module doc.

    Attributes may be changed by the test at any time; they are read per request.
    `delay_s` and `fail_with` apply to /api/chat only, so a test can have a server
    that lists its models but fails or hangs when asked to generate.
    """

    def __init__(self, *, models: list[str] | None = None, replies: list[Reply] | None = None,
                 delay_s: float = 0.0, chunk_delay_s: float = 0.0, fail_with: int | None = None) -> None:
        self.models: list[str] = list(models) if models is not None else ["llama3.1:8b"]
        self.replies: list[Reply] = list(replies) if replies is not None else ["Hello from FakeOllama."]
        self.delay_s = delay_s
        self.chunk_delay_s = chunk_delay_s
        self.fail_with = fail_with
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()  # interrupts delays so exit is prompt
        self._sockets: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the /api/chat requests, the usual thing to assert on."""
        return [r.json for r in self.requests if r.path == "/api/chat"]

    def start(self) -> FakeOllama:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll interval keeps shutdown() (which waits for one poll) fast.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        # Keep-alive connections park handler threads in a blocking read; cut them.
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, request: dict[str, Any]) -> str:
        with self._lock:
            reply = (self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]) if self.replies else ""
        return reply(request) if callable(reply) else reply


class _Handler(BaseHTTPRequestHandler):
    owner: FakeOllama
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, as real Ollama does

    def setup(self) -> None:
        super().setup()
        with self.owner._lock:
            self.owner._sockets.add(self.connection)

    def finish(self) -> None:
        with self.owner._lock:
            self.owner._sockets.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def _handle(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self.owner._lock:
            self.owner._requests.append(RecordedRequest(self.command, self.path, body))
        try:
            if self.path == "/" and self.command == "GET":
                self._send(200, b"Ollama is running", "text/plain; charset=utf-8")
            elif self.path == "/api/version" and self.command == "GET":
                self._json(200, {"version": "0.0.0-fake"})
            elif self.path == "/api/tags" and self.command == "GET":
                self._json(200, {"models": [_model_entry(m) for m in self.owner.models]})
            elif self.path == "/api/chat" and self.command == "POST":
                self._chat(body if isinstance(body, dict) else None)
            else:
                self._send(404, b"404 page not found", "text/plain")
        except OSError:
            self.close_connection = True  # the client gave up (e.g. it timed out)

    do_GET = do_POST = _handle

    def _chat(self, req: dict[str, Any] | None) -> None:
        owner = self.owner
        if req is None:
            return self._json(400, {"error": "invalid request body"})
        if owner.delay_s and owner._stopping.wait(owner.delay_s):
            self.close_connection = True  # the fake is stopping: answer nothing
            return None
        if owner.fail_with is not None:
            return self._json(owner.fail_with, {"error": f"fake failure ({owner.fail_with})"})
        model = str(req.get("model") or "")
        if not model:
            return self._json(400, {"error": "model is required"})
        if _full_name(model) not in {_full_name(m) for m in owner.models}:
            return self._json(404, {"error": f'model "{model}" not found, try pulling it first'})
        started = time.perf_counter_ns()
        try:
            text = owner._next_reply(req)
        except Exception as exc:  # a test's reply callable failed: say so, don't hang up
            return self._json(500, {"error": f"reply callable raised {exc!r}"})
        pieces = re.findall(r"\s*\S+\s*|\s+", text)  # word-sized "tokens"
        prompt_tokens = sum(len(str(m.get("content") or "").split()) for m in req.get("messages") or [])

        def message(content: str) -> dict[str, Any]:
            return {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": content}}

        def final(content: str) -> dict[str, Any]:
            total = time.perf_counter_ns() - started
            # `message` is required by ollama-python's ChatResponse even on the final
            # chunk (docs/api.md omits it there); real Ollama sends it empty.
            return {**message(content), "done": True, "done_reason": "stop", "total_duration": total,
                    "load_duration": 1_000, "prompt_eval_count": prompt_tokens, "prompt_eval_duration": 1_000,
                    "eval_count": len(pieces), "eval_duration": max(total - 2_000, 1)}

        if req.get("stream", True) is False:
            return self._json(200, final(text))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i, piece in enumerate(pieces):
            if i and owner.chunk_delay_s and owner._stopping.wait(owner.chunk_delay_s):
                break
            self._chunk({**message(piece), "done": False})
        self._chunk(final(""))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunk(self, obj: dict[str, Any]) -> None:
        line = json.dumps(obj).encode() + b"\n"
        self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
        self.wfile.flush()

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json; charset=utf-8")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _model_entry(name: str) -> dict[str, Any]:
    full = _full_name(name)
    size = re.search(r":(\d+(?:\.\d+)?)b\b", full)
    return {
        "name": full, "model": full, "modified_at": "2024-12-01T10:00:00.000000Z", "size": 4_920_753_328,
        "digest": hashlib.sha256(full.encode()).hexdigest(),
        "details": {"parent_model": "", "format": "gguf", "family": "llama", "families": ["llama"],
                    "parameter_size": f"{size.group(1)}B" if size else "8.0B", "quantization_level": "Q4_K_M"},
    }


@pytest.fixture
def fake_ollama(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """A running FakeOllama with OLLAMA_HOST pointing at it and no proxy in the way.

    Use it from a test module or conftest with `from tests.fakes.ollama import fake_ollama`.
    httpx honours HTTP(S)_PROXY/ALL_PROXY, which would send 127.0.0.1 traffic to a proxy.
    """
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    for var in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2"):  # no traces sent off the machine
        monkeypatch.delenv(var, raising=False)
    with FakeOllama() as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        yield fake
