"""`localcheck serve` as a real process on 127.0.0.1, talking to a fake Slack (and a fake or absent model)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.decisions.store import DecisionLog
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import SECRET, TEAM, Bot, send, signature_headers

NO_MODEL = "http://127.0.0.1:9"
"""Nothing listens there: answers use the template at once."""


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    logs: Path
    bot: Bot

    def stderr(self) -> str:
        return self.logs.read_text(errors="replace")

    def terminate(self, timeout: float = 30) -> float:
        """SIGTERM, as `docker stop` and systemd send; returns the seconds the process took to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def localcheck() -> list[str]:
    script = Path(sys.executable).with_name("localcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def serve(slack: FakeSlack, folder: Path, *args: str, **env: str) -> Served:
    """Start `localcheck serve ARGS` in `folder` (its .env, if any, is read) and wait until /health answers."""
    port = free_port()
    environment = {
        **os.environ,
        "SLACK_API_URL": slack.url + "/api/",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "LOCALCHECK_DB": str(folder / "served.db"),
        "OLLAMA_HOST": NO_MODEL,
        **env,
    }
    logs = folder / "serve.log"
    command = [*localcheck(), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    with logs.open("wb") as sink:  # a file, not a pipe: a busy server's log must never fill a buffer and block it
        # its own process group: gunicorn's worker is a child, and killing only the arbiter would leave the
        # worker answering on, taking the CPU from every test and benchmark that follows
        process = subprocess.Popen(
            command, env=environment, cwd=folder, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not (_listening(port) and send(url + "/health", b"", {}, method="GET").status == 200):
        if process.poll() is not None or time.monotonic() > deadline:
            _kill_group(process)
            pytest.fail(f"localcheck serve did not start: {logs.read_text(errors='replace')}")
        time.sleep(0.1)
    return Served(url, process, logs, Bot(url, slack, DecisionLog(folder / "served.db")))


def mention(text: str, ts: str, *, event_id: str | None = None) -> bytes:
    """One signed HTTP request delivering an app_mention of `text` at `ts`, as bytes."""
    return signed_request(
        {
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{ts.replace('.', '')}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
            "event": {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts, "channel": "C1"},
        }
    )


def signed_request(payload: dict[str, object]) -> bytes:
    """The bytes of a POST of `payload` as JSON to /slack/events, signed now as Slack signs."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), **signature_headers(body)}
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{head}\r\n".encode() + body


def burst(url: str, requests: list[bytes]) -> list[tuple[object, float]]:
    """Send every request at the same instant, each on its own connection, as Slack's servers would:
    (the HTTP status, or the connection error that would lose the delivery; the seconds it took).

    Made ahead and sent over plain sockets, so the time measured is the server's, not this client's."""
    host, port = url.removeprefix("http://").split(":")
    start = threading.Barrier(len(requests))

    def deliver(request: bytes) -> tuple[object, float]:
        start.wait()
        began = time.monotonic()
        try:
            with socket.create_connection((host, int(port)), timeout=30) as connection:
                connection.sendall(request)
                reply = b""
                while chunk := connection.recv(65536):
                    reply += chunk
            status: object = int(reply.split(b" ", 2)[1])
        except (OSError, IndexError, ValueError) as error:
            status = repr(error)
        return status, time.monotonic() - began

    with ThreadPoolExecutor(max_workers=len(requests)) as senders:
        return list(senders.map(deliver, requests))


def stop(served: Served) -> None:
    """Kill what is left of the server: the arbiter if it still runs, and its worker whatever happened."""
    _kill_group(served.process)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
