"""Hostile requests against the Slack app, for the hostile-input summary of `./dev bench`.

The real Bolt app in HTTP mode, behind its request gate, with a fake Slack Web API: unsigned,
badly stamped, malformed, oversized and stale requests; replays of a signed slash command and a
signed click; and signed clicks, forms and shares naming decisions the user may not act on.
Then, against the app installing through OAuth, forged and replayed returns to /slack/oauth_redirect,
an unsigned uninstall, revoked user tokens and a workspace never installed.
`measure()` counts what they caused (Web API calls that act, log rows, statuses, installations
added or lost), hostile text shown back unescaped, tracebacks, and the longest wait for a response.
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
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.slack.harness import (
    TEAM,
    Bot,
    Reply,
    answered,
    log_decision,
    private_g_channels,
    send,
    signature_headers,
    start_bot,
)
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


SCRIPT = "<script>alert(1)</script>"


def _installations(bot: Bot) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in bot.log.db.query("select * from slack_installations order by team_id")]


def _oauth_requests(bot: Bot, slack: FakeSlack) -> list[Callable[[], Reply | tuple[Reply, str]]]:
    """Install in T1 properly, then return the hostile requests, not yet sent."""
    page = send(bot.url + "/slack/install", b"", {}, method="GET")
    cookie = page.headers["set-cookie"].split(";")[0]
    state = cookie.partition("=")[2]
    done = "/slack/oauth_redirect?" + urllib.parse.urlencode({"code": slack.install_code("T1"), "state": state})
    assert send(bot.url + done, b"", {"Cookie": cookie}, method="GET").status == 200

    def get(path: str, cookie: str | None = None, method: str = "GET") -> Reply:
        return send(bot.url + path, b"", {"Cookie": cookie} if cookie else {}, method=method)

    def redirect(state: str, code: str = "code-T1-forged", **extra: str) -> str:
        return "/slack/oauth_redirect?" + urllib.parse.urlencode({"code": code, "state": state, **extra})

    fresh = get("/slack/install").headers["set-cookie"].split(";")[0]
    issued = fresh.partition("=")[2]
    uninstall = json.dumps({"type": "event_callback", "team_id": TEAM, "event": {"type": "app_uninstalled"}})
    return [
        partial(get, done, cookie),  # the install's own return, replayed
        partial(get, "/slack/oauth_redirect"),
        partial(get, redirect(issued)),  # a state issued to another browser
        partial(get, redirect("made-up"), "slack-app-oauth-state=made-up"),
        partial(get, redirect(issued, code="x" * 10_000), fresh),  # Slack refuses the code; the state is spent
        partial(get, redirect(issued), fresh),  # and cannot be used again
        partial(get, redirect("s" * 5_000), "; ".join(f"slack-app-oauth-state=s{i}" for i in range(200))),
        partial(get, redirect("' or 1=1 --"), "slack-app-oauth-state=' or 1=1 --"),
        partial(get, redirect(SCRIPT, error=SCRIPT), f"slack-app-oauth-state={SCRIPT}"),
        partial(get, "/slack/install", method="POST"),
        partial(get, "/slack/install/../events"),
        partial(bot.send, uninstall.encode(), {"Content-Type": "application/json"}),  # unsigned
        partial(bot.event, {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}),  # a user's token, not the bot's
        partial(bot.mention, "about 200k requests a day on llama3.1:8b", channel="C9", team="T9"),  # never installed
    ]


def _measure_oauth(kb: Any, folder: Path) -> dict[str, float]:
    with FakeSlack() as slack:
        bot = start_bot(
            kb,
            slack,
            folder / "oauth.db",
            slack_bot_token=None,
            slack_client_id=CLIENT_ID,
            slack_client_secret=CLIENT_SECRET,
        )
        requests = _oauth_requests(bot, slack)
        installed, before = _installations(bot), _settled(bot, slack)
        stalls, shown = [], 0
        for request in requests:
            started = time.perf_counter()
            reply = request()
            stalls.append(time.perf_counter() - started)
            body = reply[0].body if isinstance(reply, tuple) else reply.body
            shown += SCRIPT in body
        bot.finish()
        caused = _effects(bot, slack) - before + (_installations(bot) != installed)
        return {"cases": len(requests), "caused": caused, "shown": shown, "stall": max(stalls)}


def measure() -> dict[str, float]:
    kb = load_knowledge(data_dir("knowledge"))
    with _counting_tracebacks() as tracebacks, tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        bot = start_bot(kb, slack, Path(folder) / "decisions.db", ollama_host="http://127.0.0.1:9")
        requests = _hostile_requests(bot, slack, kb)
        before = _settled(bot, slack)
        stalls = []
        for request in requests:
            started = time.perf_counter()
            request()
            stalls.append(time.perf_counter() - started)
        bot.finish()
        caused = _effects(bot, slack) - before
        oauth = _measure_oauth(kb, Path(folder))
        return {
            "cases": len(requests) + oauth["cases"],
            "unverified_actions": caused + oauth["caused"],
            "hostile_texts_shown": oauth["shown"],
            "tracebacks": tracebacks(),
            "longest_stall_s": round(max(*stalls, oauth["stall"]), 3),
        }


if __name__ == "__main__":
    print(measure())
