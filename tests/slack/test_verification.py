"""Only verified requests act: refused at the boundary with one log line, replays answered once."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from slack_bolt import BoltRequest

from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.app import build_app
from bot.slack.services import Services
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import QUESTION, SECRET, TEAM, Bot, answered, send, signature_headers, start_bot, wait_until
from tests.slack.hostile import FORM, JSON, VICTIM_CHANNEL, declare_huge_body, unverified_requests, victim_event

STARTUP_CALLS = {"auth.test"}


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("name", [hostile.name for hostile in unverified_requests()])
def test_a_request_that_is_not_verified_is_refused_and_reaches_nothing(
    name: str, bot: Bot, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    hostile = next(h for h in unverified_requests() if h.name == name)  # signed now, not at collection
    reply = bot.send(hostile.body, hostile.headers)
    assert reply.status == hostile.status
    time.sleep(0.2)  # anything that leaked would run in Bolt's background threads
    assert {c.method for c in slack.calls} <= STARTUP_CALLS, "no Web API call derived from it"
    assert bot.log.list() == []
    refusals = [r for r in caplog.records if r.name == "bot.slack.verify"]
    assert len(refusals) == 1 and str(hostile.status) in refusals[0].getMessage()
    assert tracebacks(caplog) == []


def test_a_huge_declared_body_is_refused_without_being_read(bot: Bot, slack: FakeSlack) -> None:
    started = time.perf_counter()
    assert declare_huge_body(bot.url + "/slack/events").status == 413
    assert time.perf_counter() - started < 2
    assert {c.method for c in slack.calls} <= STARTUP_CALLS


def test_no_length_or_another_method_is_refused(bot: Bot, slack: FakeSlack) -> None:
    assert send(bot.url + "/slack/events", b"", {}, method="GET").status == 405
    assert send(bot.url + "/slack/events", b"", {}, method="PUT").status == 405
    assert {c.method for c in slack.calls} <= STARTUP_CALLS


def test_the_error_handler_never_answers_a_request_bolt_did_not_verify(
    kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Behind the gate too: Bolt raising inside its own signature check must not make the app post."""
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url + "/api/", db=tmp_path / "d"
    )
    app = build_app(Services(settings, kb, DecisionLog(settings.db)), socket_mode=False)
    for stamp in ("abc", "", "1.5", "99999999999999999999999"):
        headers = {"content-type": [JSON], "x-slack-request-timestamp": [stamp], "x-slack-signature": ["v0=00"]}
        response = app.dispatch(BoltRequest(body=victim_event().decode(), headers=headers))
        assert response.status in (401, 500)
    time.sleep(0.2)
    assert {c.method for c in slack.calls} <= STARTUP_CALLS
    assert tracebacks(caplog) == []


def test_a_verified_request_that_fails_still_gets_an_apology(
    bot: Bot, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.respond(
        "chat.postMessage",
        lambda call: {"ok": False, "error": "fatal_error"} if call.params.get("blocks") else {"ok": True, "ts": "1.1"},
    )
    bot.mention(QUESTION, channel="C5")
    apology = slack.wait_for("chat.postMessage", count=2)[-1].params
    assert apology["channel"] == "C5" and "Sorry" in apology["text"]


def test_a_replayed_slash_command_is_answered_once_across_threads_and_restarts(
    bot: Bot, slack: FakeSlack, kb: KnowledgeBase, tmp_path: Path
) -> None:
    form = {"command": "/localcheck", "text": QUESTION, "team_id": TEAM, "user_id": "U1", "channel_id": "C1"}
    body = urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": FORM, **signature_headers(body)}
    first = bot.send(body, headers)
    assert first.status == 200 and first.json()["blocks"]
    with ThreadPoolExecutor(max_workers=8) as senders:
        replays = list(senders.map(lambda _: bot.send(body, headers), range(8)))
    assert [(r.status, r.body) for r in replays] == [(200, "")] * 8
    restarted = start_bot(kb, slack, bot.log.path)
    assert restarted.send(body, headers).body == ""
    assert len(bot.log.list()) == 1


def test_concurrent_copies_of_a_new_request_make_one_answer(bot: Bot) -> None:
    form = {"command": "/localcheck", "text": QUESTION, "team_id": TEAM, "user_id": "U1", "channel_id": "C1"}
    body = urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": FORM, **signature_headers(body)}
    with ThreadPoolExecutor(max_workers=6) as senders:
        replies = list(senders.map(lambda _: bot.send(body, headers), range(6)))
    assert sorted(bool(r.body) for r in replies) == [False] * 5 + [True]
    assert len(bot.log.list()) == 1


def test_a_replayed_button_click_acts_once(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U7", "team_id": TEAM},
        "channel": {"id": "C1"},
        "trigger_id": "t",
        "api_app_id": "A1",
        "container": {"type": "message", "channel_id": "C1", "message_ts": ts},
        "actions": [{"action_id": blocks.ACTION_ADOPT, "value": decision_id, "type": "button", "block_id": "b"}],
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    headers = {"Content-Type": FORM, **signature_headers(body)}
    assert [bot.send(body, headers).status for _ in range(3)] == [200, 200, 200]

    def notes() -> list[object]:
        return [c for c in slack.calls_to("chat.postMessage") if "recorded" in str(c.params.get("text"))]

    assert wait_until(notes)
    time.sleep(0.3)
    assert len(notes()) == 1


def test_the_victim_channel_never_hears_from_the_bot(bot: Bot, slack: FakeSlack) -> None:
    for hostile in unverified_requests():
        bot.send(hostile.body, hostile.headers)
    declare_huge_body(bot.url + "/slack/events")
    time.sleep(0.2)
    assert not [c for c in slack.calls if VICTIM_CHANNEL in json.dumps(c.params)]
