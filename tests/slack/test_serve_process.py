"""`localcheck serve` as a real process in HTTP mode: hostile requests get their status, act on nothing,
and leave one log line each, no traceback."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import TEAM, send, signature_headers
from tests.slack.hostile import FORM, JSON, VICTIM_CHANNEL, declare_huge_body, unverified_requests
from tests.slack.served import Served, serve, stop


@pytest.fixture
def served(slack: FakeSlack, tmp_path: Path) -> Iterator[Served]:
    running = serve(slack, tmp_path)
    yield running
    stop(running)


def test_serve_refuses_every_unverified_request_and_acts_on_none(served: Served, slack: FakeSlack) -> None:
    url = served.url
    hostile = unverified_requests()
    statuses = [send(url + "/slack/events", h.body, h.headers).status for h in hostile]
    huge = declare_huge_body(url + "/slack/events")
    challenge = json.dumps({"type": "url_verification", "challenge": "still-serving", "token": "x"}).encode()
    alive = send(url + "/slack/events", challenge, {"Content-Type": JSON, **signature_headers(challenge)})
    time.sleep(0.3)  # anything that leaked would run in the background
    served.terminate()
    stderr = served.stderr()

    assert statuses == [h.status for h in hostile] and huge.status == 413
    assert alive.status == 200 and "still-serving" in alive.body
    assert {c.method for c in slack.calls} == {"auth.test"}, "nothing but the startup checks reached Slack"
    assert not [c for c in slack.calls if VICTIM_CHANNEL in json.dumps(c.params)]
    assert "Traceback" not in stderr
    refusals = [line for line in stderr.splitlines() if "refused a request" in line]
    assert len(refusals) == len(hostile) + 1, stderr


def test_serve_answers_a_replayed_slash_command_once(served: Served) -> None:
    url = served.url
    form = {"command": "/localcheck", "text": "2M tokens a day on gpt-4o-mini", "team_id": TEAM, "user_id": "U1"}
    body = urllib.parse.urlencode({**form, "channel_id": "C1", "trigger_id": "t1"}).encode()
    headers = {"Content-Type": FORM, **signature_headers(body)}
    first = send(url + "/slack/events", body, headers)
    again = send(url + "/slack/events", body, headers)
    assert first.status == 200 and "blocks" in first.json()
    assert again.status == 200 and again.body == ""
    served.terminate()
    assert "Traceback" not in served.stderr()
