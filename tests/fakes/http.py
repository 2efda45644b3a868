"""Shared plumbing for fakes that are real HTTP servers running in a background thread.

A fake subclasses `ThreadedHTTPFake` and sets `handler_class` to a subclass of
`FakeHandler` that implements `do_GET`/`do_POST`. The server binds 127.0.0.1 on a
free port, so tests never reach the network and never collide with each other.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self

import pytest


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the bot under test may open many connections at once: queue them, not reset


class ThreadedHTTPFake:
    """Lifecycle of a ThreadingHTTPServer on ("127.0.0.1", free port): start/stop or `with`.

    `_lock` guards whatever a subclass records; it is also the lock that tracks open
    connections, so keep critical sections short.
    """

    handler_class: ClassVar[type[FakeHandler]]

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # interrupts delays so exit is prompt
        self._sockets: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> Self:
        # A per-instance subclass ties the handler to this fake without globals.
        handler = type("BoundHandler", (self.handler_class,), {"owner": self})
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), handler)
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def pause(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True if the fake began stopping meanwhile (then answer nothing)."""
        return bool(seconds) and self._stopping.wait(seconds)


class FakeHandler(BaseHTTPRequestHandler):
    """Connection bookkeeping and response helpers; subclasses route the requests."""

    owner: ThreadedHTTPFake
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, as real servers do

    def setup(self) -> None:
        super().setup()
        with self.owner._lock:
            self.owner._sockets.add(self.connection)

    def finish(self) -> None:
        with self.owner._lock:
            self.owner._sockets.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, json.dumps(obj).encode(), "application/json; charset=utf-8", headers)

    def send_bytes(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def start_chunked(self, status: int, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data: bytes) -> None:
        """One HTTP/1.1 chunk, flushed at once so the client sees it as it is "generated"."""
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def end_chunked(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def keep_traffic_local(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy between a client and 127.0.0.1, and no LangSmith traces sent off the machine.

    httpx and urllib honour HTTP(S)_PROXY/ALL_PROXY, which would send 127.0.0.1 traffic to a proxy.
    """
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    for var in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2"):
        monkeypatch.delenv(var, raising=False)
