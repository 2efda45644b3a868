"""`localcheck serve` as a real process in HTTP mode: hostile requests get their status, act on nothing,
and leave one log line each, no traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import SECRET, TEAM, send, signature_headers
from tests.slack.hostile import FORM, JSON, VICTIM_CHANNEL, declare_huge_body, unverified_requests


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _localcheck() -> list[str]:
    script = Path(sys.executable).with_name("localcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@pytest.fixture
def served(slack: FakeSlack, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    env = {
        **os.environ,
        "SLACK_API_URL": slack.url + "/api/",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "LOCALCHECK_DB": str(tmp_path / "served.db"),
    }
    command = [*_localcheck(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not (_listening(port) and send(url + "/health", b"", {}, method="GET").status == 200):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"localcheck serve did not start: {process.communicate()}")
        time.sleep(0.1)
    yield url, process
    if process.poll() is None:
        process.terminate()
        process.communicate(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_serve_refuses_every_unverified_request_and_acts_on_none(
    served: tuple[str, subprocess.Popen[str]], slack: FakeSlack
) -> None:
    url, process = served
    hostile = unverified_requests()
    statuses = [send(url + "/slack/events", h.body, h.headers).status for h in hostile]
    huge = declare_huge_body(url + "/slack/events")
    challenge = json.dumps({"type": "url_verification", "challenge": "still-serving", "token": "x"}).encode()
    alive = send(url + "/slack/events", challenge, {"Content-Type": JSON, **signature_headers(challenge)})
    time.sleep(0.3)  # anything that leaked would run in the background
    process.terminate()
    _, stderr = process.communicate(timeout=10)

    assert statuses == [h.status for h in hostile] and huge.status == 413
    assert alive.status == 200 and "still-serving" in alive.body
    assert [c.method for c in slack.calls] == ["auth.test"], "nothing but the startup check reached Slack"
    assert not [c for c in slack.calls if VICTIM_CHANNEL in json.dumps(c.params)]
    assert "Traceback" not in stderr
    refusals = [line for line in stderr.splitlines() if "refused a request" in line]
    assert len(refusals) == len(hostile) + 1, stderr


def test_serve_answers_a_replayed_slash_command_once(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    form = {"command": "/localcheck", "text": "2M tokens a day on gpt-4o-mini", "team_id": TEAM, "user_id": "U1"}
    body = urllib.parse.urlencode({**form, "channel_id": "C1", "trigger_id": "t1"}).encode()
    headers = {"Content-Type": FORM, **signature_headers(body)}
    first = send(url + "/slack/events", body, headers)
    again = send(url + "/slack/events", body, headers)
    assert first.status == 200 and "blocks" in first.json()
    assert again.status == 200 and again.body == ""
    process.terminate()
    assert "Traceback" not in process.communicate(timeout=10)[1]
