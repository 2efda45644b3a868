"""Hostile requests against the Slack app, for the hostile-input summary of `./dev bench`.

The real Bolt app in HTTP mode, behind its request gate, with a fake Slack Web API: unsigned,
badly stamped, malformed, oversized and stale requests; replays of a signed slash command and a
signed click; and signed clicks, forms and shares naming decisions the user may not act on.
`measure()` counts what they caused (Web API calls that act, log rows, statuses), tracebacks,
and the longest wait for a response.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from bot.knowledge.loader import load_knowledge
from bot.resources import data_dir
from bot.slack import blocks
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import TEAM, Bot, answered, log_decision, private_g_channels, signature_headers, start_bot
from tests.slack.hostile import FORM, declare_huge_body, unverified_requests

ACTING = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.startStream", "views.open", "views.publish"}
ANSWER_BUTTONS = (blocks.ACTION_HELPFUL, blocks.ACTION_NOT_HELPFUL, blocks.ACTION_ADOPT, blocks.ACTION_CHANGE)
REPLAYS = 3


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.exc_info is not None


@contextlib.contextmanager
def _counting_tracebacks() -> Iterator[Callable[[], int]]:
    """Tracebacks logged, and those the stdlib server prints to stderr itself."""
    handler, stderr, root = _Tracebacks(), io.StringIO(), logging.getLogger()
    root.addHandler(handler)  # tracebacks are logged at ERROR, which the root logger passes by default
    try:
        with contextlib.redirect_stderr(stderr):
            yield lambda: handler.count + stderr.getvalue().count("Traceback")
    finally:
        root.removeHandler(handler)


def _effects(bot: Bot, slack: FakeSlack) -> int:
    """Everything a request can do: Web API calls that act, and rows or statuses in the log."""
    db = bot.log.db
    rows = sum(
        db.execute(sql).fetchone()[0]
        for sql in (
            "select count(*) from decisions",
            "select count(*) from feedback",
            "select count(*) from slack_shares",
            "select count(*) from decisions where status != 'proposed'",
        )
    )
    return rows + len([c for c in slack.calls if c.method in ACTING])


def _view_submission(bot: Bot, metadata: str, user: str) -> Any:
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": blocks.VIEW_ASSUMPTIONS,
        "private_metadata": metadata,
        "state": {"values": {"requests_per_day": {"value": {"type": "plain_text_input", "value": "9000"}}}},
    }
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM}, "view": view}
    return bot.interaction({**payload, "api_app_id": "A1", "trigger_id": f"t{time.monotonic_ns()}"})


def _hostile_requests(bot: Bot, slack: FakeSlack, kb: Any) -> list[Callable[[], object]]:
    """Set up what the hostile requests aim at (legitimately), then return them, not yet sent."""
    private_g_channels(slack)
    public, thread = answered(bot, slack, channel="C1")
    secret, secret_thread = answered(bot, slack, "about 5k requests a day on gpt-4o-mini", channel="G1")
    theirs = log_decision(bot.log, kb, "another workspace's plan", team="T2", channel="C1", user="U5")
    form = {"command": "/localcheck", "text": "2M tokens a day on gpt-4o-mini", "team_id": TEAM, "user_id": "U1"}
    slash = urllib.parse.urlencode({**form, "channel_id": "C1", "trigger_id": "t-slash"}).encode()
    slash_headers = {"Content-Type": FORM, **signature_headers(slash)}
    estimate = bot.send(slash, slash_headers).json()["blocks"][-1]["elements"][0]["value"]
    click = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U1", "team_id": TEAM},
        "channel": {"id": "C1"},
        "trigger_id": "t-click",
        "container": {"type": "message", "channel_id": "C1", "message_ts": thread},
        "actions": [{"action_id": blocks.ACTION_HELPFUL, "value": public, "type": "button", "block_id": "b"}],
    }
    click_body = urllib.parse.urlencode({"payload": json.dumps(click)}).encode()
    click_headers = {"Content-Type": FORM, **signature_headers(click_body)}
    bot.send(click_body, click_headers)
    slack.wait_for("chat.postEphemeral")

    requests: list[Callable[[], object]] = [
        *[partial(bot.send, h.body, h.headers) for h in unverified_requests()],
        partial(declare_huge_body, bot.url + "/slack/events"),
        *[partial(bot.send, slash, slash_headers)] * REPLAYS,
        *[partial(bot.send, click_body, click_headers)] * REPLAYS,
    ]
    for action in ANSWER_BUTTONS:
        requests += [
            partial(bot.click, action, theirs, user="U1", channel="C1", thread_ts=thread),
            partial(bot.click, action, secret, user="U9", channel="G1", thread_ts=secret_thread),
            partial(bot.click, action, public, user="U1", channel="C2", thread_ts=thread),
            partial(bot.click, action, public[:10], user="U1", channel="C1", thread_ts=thread),
        ]
    forged_metadata = [
        ({"decision": secret, "channel": "G1"}, "U9"),
        ({"decision": public, "channel": "G1"}, "U1"),
        ({"decision": theirs, "channel": "C1"}, "U1"),
    ]
    requests += [partial(_view_submission, bot, json.dumps(m), user) for m, user in forged_metadata]
    requests += [
        partial(_view_submission, bot, "{not json", "U1"),
        partial(bot.click, blocks.ACTION_SHARE, estimate, user="U2", channel="C1"),
        partial(bot.click, blocks.ACTION_SHARE, estimate, user="U1", channel="C2"),
        partial(bot.click, blocks.ACTION_SHARE, secret, user="U1", channel="G1"),
    ]
    return requests


def _settled(bot: Bot, slack: FakeSlack) -> int:
    """The effects count once the legitimate set-up has finished its background work."""
    count = _effects(bot, slack)
    while True:
        time.sleep(0.2)
        if (now := _effects(bot, slack)) == count:
            return count
        count = now


def measure() -> dict[str, float]:
    kb = load_knowledge(data_dir("knowledge"))
    with _counting_tracebacks() as tracebacks, tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        bot = start_bot(kb, slack, Path(folder) / "decisions.db", ollama_host="http://127.0.0.1:9")
        requests = _hostile_requests(bot, slack, kb)
        before = _settled(bot, slack)
        stalls = []
        for send in requests:
            started = time.perf_counter()
            send()
            stalls.append(time.perf_counter() - started)
        bot.finish()
        caused = _effects(bot, slack) - before
        return {
            "cases": len(requests),
            "unverified_actions": caused,
            "tracebacks": tracebacks(),
            "longest_stall_s": round(max(stalls), 3),
        }


if __name__ == "__main__":
    print(measure())
