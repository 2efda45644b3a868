"""What the two fake model servers (Ollama's and the OpenAI-compatible one) share.

Both record every request, answer chat requests from a queue of replies, and can be
told to be slow (before answering, between chunks, or a byte at a time) or to fail;
only the wire format of the answer differs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from tests.fakes.http import FakeHandler, ThreadedHTTPFake

Reply = str | Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased: clients differ in how they spell them
    json: Any  # the parsed body; None for a GET or an empty body
    at: float  # time.monotonic() when it arrived, to measure how long a client took after


class FakeChatServer(ThreadedHTTPFake):
    """Attributes may be changed by the test at any time; they are read per request.

    `delay_s`, `byte_delay_s` and `fail_with` apply to chat requests only, so a test can
    have a server that lists its models but fails or hangs when asked to generate.
    `byte_delay_s` sends the answer one byte at a time: bytes keep arriving, so no read
    timeout fires, yet no whole chunk does for a long while.
    """

    chat_path: ClassVar[str]

    def __init__(
        self,
        *,
        models: list[str],
        replies: list[Reply],
        delay_s: float,
        chunk_delay_s: float,
        fail_with: int | None,
        byte_delay_s: float = 0.0,
    ) -> None:
        super().__init__()
        self.models = models
        self.replies = replies
        self.delay_s = delay_s
        self.chunk_delay_s = chunk_delay_s
        self.byte_delay_s = byte_delay_s
        self.fail_with = fail_with
        self._requests: list[RecordedRequest] = []

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat requests, the usual thing to assert on."""
        return [r.json for r in self.requests if r.path == self.chat_path]

    def record(self, request: RecordedRequest) -> int:
        """Records a request; returns how many have arrived, itself included."""
        with self._lock:
            self._requests.append(request)
            return len(self._requests)

    def next_reply(self, request: dict[str, Any]) -> str:
        """Replies are a queue whose last entry repeats; a callable is asked with the request."""
        with self._lock:
            reply = (self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]) if self.replies else ""
        return reply(request) if callable(reply) else reply


class ChatHandler(FakeHandler):
    owner: FakeChatServer

    def receive(self) -> tuple[str, Any, int]:
        """Reads and records the request: its path (without query), JSON body and sequence number."""
        raw = self.read_body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = urlsplit(self.path).path
        headers = {k.lower(): v for k, v in self.headers.items()}
        return path, body, self.owner.record(RecordedRequest(self.command, path, headers, body, time.monotonic()))

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except ConnectionError:  # the client hung up mid-answer, as the writer does on a failing unit
            self.close_connection = True

    def _trickling(self) -> bool:
        return bool(self.owner.byte_delay_s) and urlsplit(self.path).path == self.owner.chat_path

    def write_chunk(self, data: bytes) -> None:
        if not self._trickling():
            return super().write_chunk(data)
        for i in range(len(data)):
            if self.owner.pause(self.owner.byte_delay_s):
                raise ConnectionAbortedError("the fake is stopping")
            super().write_chunk(data[i : i + 1])
        return None

    def send_bytes(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        if not self._trickling():
            return super().send_bytes(status, data, content_type, headers)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        for i in range(len(data)):
            if self.owner.pause(self.owner.byte_delay_s):
                raise ConnectionAbortedError("the fake is stopping")
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
        return None
