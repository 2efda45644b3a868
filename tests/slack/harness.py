"""The real Bolt app over HTTP on 127.0.0.1, fed signed requests, talking to a fake Slack Web API."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slack_bolt import App

from bot.check.assess import assess
from bot.decisions.records import SlackOrigin
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings
from bot.slack.app import build_app, request_gate
from bot.slack.listeners.commands import LOOKING
from bot.slack.server import start_http
from bot.slack.services import Services
from tests.fakes.slack_api import RESPONSE_METHOD, RESPONSE_PATH, FakeSlack

SECRET = "test-signing-secret"
TEAM = "T1"
QUESTION = "about 200k requests a day on llama3.1:8b for ticket triage, 2 SREs run our servers"


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Bot:
    url: str
    slack: FakeSlack
    log: DecisionLog
    app: App | None = None
    services: Services | None = None
    _events: Iterator[int] = field(default_factory=lambda: iter(range(1, 10**9)))

    def finish(self) -> None:
        """Wait for the answers still being written, so none outlives its test (and logs into the next)."""
        if self.app is not None:
            self.app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        if self.services is not None:
            self.services.answers.stop(grace_s=60)
            self.services.charts.stop(finish=True)

    def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
    ) -> Reply:
        signed = signature_headers(body.encode(), timestamp=timestamp, secret=secret)
        return self.send(body.encode(), {"Content-Type": content_type, **signed, **(headers or {})})

    def send(self, body: bytes, headers: dict[str, str]) -> Reply:
        """POST exactly these bytes and headers to /slack/events, signed or not."""
        return send(self.url + "/slack/events", body, headers)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        team: str = TEAM,
        **kw: Any,
    ) -> Reply:
        body = {
            "token": "x",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._events):06d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(json.dumps(body), "application/json", headers=headers, **kw)

    def mention(
        self,
        text: str,
        *,
        channel: str = "C1",
        user: str = "U1",
        ts: str | None = None,
        thread_ts: str | None = None,
        **kw: Any,
    ) -> tuple[Reply, str]:
        ts = ts or f"{time.time():.6f}"
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return self.event(event, **kw), ts

    def message(
        self, text: str, *, channel: str, user: str = "U1", thread_ts: str | None = None, channel_type: str = "channel"
    ) -> tuple[Reply, str]:
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            "channel_type": channel_type,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return self.event(event), ts

    def command(self, text: str, *, user: str = "U1", channel: str = "C1") -> Reply:
        form = {
            "command": "/localcheck",
            "text": text,
            "team_id": TEAM,
            "user_id": user,
            "channel_id": channel,
            "trigger_id": f"trigger-{next(self._events)}",  # Slack makes each request unique
            "response_url": self.slack.url + RESPONSE_PATH,
            "token": "x",
        }
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")

    def history(self, search: str = "", *, user: str = "U1") -> str:
        """`/localcheck history [search]`: acknowledged with a note at once, the list sent to the response_url.

        Returns what was sent there, as JSON text."""
        count = len(self.slack.calls_to(RESPONSE_METHOD)) + 1
        ack = self.command(f"history {search}".strip(), user=user)
        assert ack.status == 200 and LOOKING in ack.body
        return json.dumps(self.slack.wait_for(RESPONSE_METHOD, count=count)[count - 1].params)

    def interaction(self, payload: dict[str, Any]) -> Reply:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded")

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        thread_ts: str | None = None,
        element: str = "button",
    ) -> Reply:
        return self.interaction(
            {
                "type": "block_actions",
                "team": {"id": TEAM},
                "user": {"id": user, "team_id": TEAM},
                "channel": {"id": channel},
                "trigger_id": f"trigger-{next(self._events)}",  # Slack makes each request unique
                "api_app_id": "A1",
                "token": "x",
                "container": {"type": "message", "channel_id": channel, "message_ts": thread_ts or "1.0"},
                "message": {"ts": "2.0", "thread_ts": thread_ts} if thread_ts else {"ts": "2.0"},
                "response_url": self.slack.url + RESPONSE_PATH,
                "actions": [{"action_id": action_id, "value": value, "type": element, "block_id": "b"}],
            }
        )


def signature_headers(body: bytes, *, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Slack's signature headers for `body`, signed now (or at `timestamp`) with `secret`."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def send(url: str, body: bytes, headers: dict[str, str], *, method: str = "POST") -> Reply:
    request = urllib.request.Request(url, data=body if method == "POST" else None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(
                response.status,
                response.read().decode("utf-8", "replace"),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        return Reply(
            error.code, error.read().decode("utf-8", "replace"), {k.lower(): v for k, v in error.headers.items()}
        )


def start_bot(kb: KnowledgeBase, slack: FakeSlack, db: Path, **settings: Any) -> Bot:
    defaults = {"slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET, "slack_api_url": slack.url + "/api/"}
    config = Settings(**{**defaults, "db": db, **settings})
    log = DecisionLog(db)
    services = Services(config, kb, log)
    app = build_app(services, socket_mode=False)
    server = start_http(app, host="127.0.0.1", port=0, gate=request_gate(services))
    return Bot(f"http://127.0.0.1:{server.server_port}", slack, log, app, services)


def posted_cards(slack: FakeSlack) -> list[Any]:
    return [call for call in slack.calls_to("chat.postMessage") if call.params.get("blocks")]


def wait_until(condition: Any, timeout: float = 5.0) -> Any:
    """Poll `condition` until it returns something truthy: the bot answers in background threads."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def answered(bot: Bot, slack: FakeSlack, text: str = QUESTION, **kw: str) -> tuple[str, str]:
    """Ask by mention and wait for the answer; returns the decision id and the thread."""
    _, ts = bot.mention(text, **kw)
    slack.wait_for("chat.stopStream", count=len(slack.calls_to("chat.stopStream")) + 1)
    return wait_until(lambda: bot.log.in_thread(TEAM, kw.get("channel", "C1"), ts)).id, ts


def private_g_channels(slack: FakeSlack, members: tuple[str, ...] = ("U1", "UBOT")) -> None:
    """From now on the fake says channels whose id starts with G are private, with these members."""
    slack.respond(
        "conversations.info",
        lambda call: {
            "ok": True,
            "channel": {"id": call.params["channel"], "is_private": call.params["channel"][0] == "G"},
        },
    )
    slack.respond("conversations.members", {"ok": True, "members": list(members), "response_metadata": {}})


def log_decision(log: DecisionLog, kb: KnowledgeBase, question: str, **origin: str) -> str:
    """A decision written straight into the log, e.g. as another workspace's."""
    workload = parse(QUESTION, kb).workload
    return log.record(
        question=question,
        workload=workload,
        assessment=assess(workload, kb),
        source="mention",
        slack=SlackOrigin(thread="1700000000.000100", **origin),
    )
