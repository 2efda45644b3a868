"""Buttons and forms act only on decisions the clicking user may see; quick estimates stay the asker's."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.slack import blocks
from bot.slack.listeners.actions import NOT_YOURS, ONLY_THE_ASKER
from tests.fakes.slack_api import RESPONSE_METHOD, FakeSlack
from tests.slack.harness import QUESTION, TEAM, Bot, answered, log_decision, private_g_channels, wait_until

ACTING = {"chat.postMessage", "chat.postEphemeral", "views.open", "views.update", "chat.startStream"}
ANSWER_BUTTONS = [blocks.ACTION_HELPFUL, blocks.ACTION_NOT_HELPFUL, blocks.ACTION_ADOPT, blocks.ACTION_CHANGE]


def acted(slack: FakeSlack, since: int) -> list[str]:
    time.sleep(0.3)  # Bolt runs listeners after the ack
    return [c.method for c in slack.calls[since:] if c.method in ACTING]


def told(slack: FakeSlack, text: str) -> bool:
    return bool(wait_until(lambda: [c for c in slack.calls_to(RESPONSE_METHOD) if c.params.get("text") == text]))


def unchanged(bot: Bot, decision_id: str) -> bool:
    decision = bot.log.get(decision_id)
    return decision.status == "proposed" and bot.log.stats()["feedback"] == {}


@pytest.mark.parametrize("action", ANSWER_BUTTONS)
def test_a_button_naming_another_workspaces_decision_does_nothing(
    action: str, bot: Bot, slack: FakeSlack, kb: KnowledgeBase
) -> None:
    theirs = log_decision(bot.log, kb, "another workspace's secret plan", team="T2", channel="C1", user="U5")
    since = len(slack.calls)
    bot.click(action, theirs, user="U1", channel="C1", thread_ts="1700000000.000100")
    assert told(slack, NOT_YOURS)
    assert acted(slack, since) == [] and unchanged(bot, theirs)


@pytest.mark.parametrize("action", ANSWER_BUTTONS)
def test_a_button_naming_a_private_channels_decision_does_nothing_for_an_outsider(
    action: str, bot: Bot, slack: FakeSlack
) -> None:
    private_g_channels(slack)
    secret, ts = answered(bot, slack, "about 5k requests a day on gpt-4o-mini, our merger plans", channel="G1")
    since = len(slack.calls)
    bot.click(action, secret, user="U9", channel="G1", thread_ts=ts)
    assert told(slack, NOT_YOURS)
    assert acted(slack, since) == [] and unchanged(bot, secret)


@pytest.mark.parametrize("forged", ["channel", "prefix", "garbage"])
def test_a_button_whose_value_or_channel_does_not_match_does_nothing(forged: str, bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    value = {"prefix": decision_id[:10], "garbage": "' or 1=1 --"}.get(forged, decision_id)
    channel = "C2" if forged == "channel" else "C1"
    since = len(slack.calls)
    bot.click(blocks.ACTION_ADOPT, value, channel=channel, thread_ts=ts)
    assert told(slack, NOT_YOURS)
    assert acted(slack, since) == [] and unchanged(bot, decision_id)


def test_a_member_of_the_private_channel_may_still_act(bot: Bot, slack: FakeSlack) -> None:
    private_g_channels(slack)
    secret, ts = answered(bot, slack, "about 5k requests a day on gpt-4o-mini", channel="G1")
    bot.click(blocks.ACTION_ADOPT, secret, user="U1", channel="G1", thread_ts=ts)
    note = wait_until(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "recorded" in str(c.params.get("text"))]
    )
    assert note[0].params["channel"] == "G1" and note[0].params["thread_ts"] == ts
    assert bot.log.get(secret).status == "adopted"


def submit_assumptions(bot: Bot, metadata: Any, *, user: str = "U1") -> dict[str, Any]:
    view = {
        "id": "V9",
        "type": "modal",
        "callback_id": blocks.VIEW_ASSUMPTIONS,
        "private_metadata": metadata if isinstance(metadata, str) else json.dumps(metadata),
        "state": {"values": {"requests_per_day": {"value": {"type": "plain_text_input", "value": "9000"}}}},
    }
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM}, "view": view}
    reply = bot.interaction({**payload, "api_app_id": "A1", "token": "x", "trigger_id": "t"})
    assert reply.status == 200
    return reply.json() if reply.body else {}


@pytest.mark.parametrize(
    "forgery",
    ["outsider names a private decision", "channel swapped", "another workspace", "not JSON", "a list", "no decision"],
)
def test_a_form_with_forged_metadata_answers_nowhere(
    forgery: str, bot: Bot, slack: FakeSlack, kb: KnowledgeBase
) -> None:
    private_g_channels(slack)
    secret, _ = answered(bot, slack, "about 5k requests a day on gpt-4o-mini", channel="G1")
    public, _ = answered(bot, slack, channel="C1")
    theirs = log_decision(bot.log, kb, "another workspace's secret plan", team="T2", channel="C1", user="U5")
    metadata, user = {
        "outsider names a private decision": ({"decision": secret, "channel": "G1"}, "U9"),
        "channel swapped": ({"decision": public, "channel": "G1"}, "U1"),
        "another workspace": ({"decision": theirs, "channel": "C1"}, "U1"),
        "not JSON": ("{decision", "U1"),
        "a list": ("[1]", "U1"),
        "no decision": ({"channel": "C1"}, "U1"),
    }[forgery]
    logged = len(bot.log.list())
    since = len(slack.calls)
    answer = submit_assumptions(bot, metadata, user=user)
    assert answer["response_action"] == "update" and NOT_YOURS in json.dumps(answer["view"])
    assert acted(slack, since) == [] and len(bot.log.list()) == logged


def test_the_form_answers_in_the_decisions_own_thread_whatever_the_metadata_says(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    submit_assumptions(bot, {"decision": decision_id, "channel": "C1", "thread": "1234.5678"})
    card = slack.wait_for("chat.postMessage", count=2)[-1].params
    assert card["channel"] == "C1" and card["thread_ts"] == ts


def estimate(bot: Bot, text: str = QUESTION, *, user: str = "U1", channel: str = "C1") -> str:
    return str(bot.command(text, user=user, channel=channel).json()["blocks"][-1]["elements"][0]["value"])


def test_only_the_asker_shares_a_quick_estimate_and_only_where_it_was_asked(bot: Bot, slack: FakeSlack) -> None:
    mine = estimate(bot, user="U1", channel="C1")
    since = len(slack.calls)
    bot.click(blocks.ACTION_SHARE, mine, user="U2", channel="C1")
    assert told(slack, ONLY_THE_ASKER)
    bot.click(blocks.ACTION_SHARE, mine, user="U1", channel="C2")
    assert acted(slack, since) == []
    bot.click(blocks.ACTION_SHARE, mine, user="U1", channel="C1")
    shared = slack.wait_for("chat.postMessage")[0].params
    assert shared["channel"] == "C1" and "Shared by <@U1>" in json.dumps(shared["blocks"])


def test_a_private_channels_estimate_is_never_shared_elsewhere(bot: Bot, slack: FakeSlack) -> None:
    private_g_channels(slack)
    secret = estimate(bot, "about 5k requests a day on gpt-4o-mini, the acquisition", user="U1", channel="G1")
    since = len(slack.calls)
    for channel in ("C1", "D1", "G2"):
        bot.click(blocks.ACTION_SHARE, secret, user="U1", channel=channel)
    assert acted(slack, since) == []


def history(bot: Bot, user: str, search: str = "") -> str:
    return bot.history(search, user=user)


def home(bot: Bot, slack: FakeSlack, user: str) -> str:
    count = len(slack.calls_to("views.publish")) + 1
    bot.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home", "event_ts": "1.0"})
    return json.dumps(slack.wait_for("views.publish", count=count)[-1].params["view"])


def test_a_quick_estimate_stays_the_askers_until_shared(bot: Bot, slack: FakeSlack) -> None:
    mine = estimate(bot, "about 70k requests a day on gpt-4o-mini for zebra invoices", user="U1", channel="C1")
    for user, sees in (("U1", True), ("U2", False)):
        assert (mine[:10] in history(bot, user)) is sees
        assert (mine[:10] in history(bot, user, "zebra")) is sees
        assert ("zebra invoices" in home(bot, slack, user)) is sees
    bot.click(blocks.ACTION_SHARE, mine, user="U1", channel="C1")
    slack.wait_for("chat.postMessage")
    wait_until(lambda: mine[:10] in history(bot, "U2"))
    assert mine[:10] in history(bot, "U2", "zebra") and "zebra invoices" in home(bot, slack, "U2")


def test_an_estimate_shared_in_a_private_channel_is_seen_by_its_members_only(bot: Bot, slack: FakeSlack) -> None:
    private_g_channels(slack)
    mine = estimate(bot, "about 70k requests a day on gpt-4o-mini for okapi reports", user="U1", channel="G1")
    bot.click(blocks.ACTION_SHARE, mine, user="U1", channel="G1")
    slack.wait_for("chat.postMessage")
    slack.respond("conversations.members", {"ok": True, "members": ["U1", "U3", "UBOT"], "response_metadata": {}})
    wait_until(lambda: mine[:10] in history(bot, "U3"))
    assert mine[:10] in history(bot, "U3", "okapi") and mine[:10] not in history(bot, "U9", "okapi")


def test_the_buttons_on_a_shared_estimate_work_for_the_channel(bot: Bot, slack: FakeSlack) -> None:
    mine = estimate(bot, user="U1", channel="C1")
    bot.click(blocks.ACTION_SHARE, mine, user="U1", channel="C1")
    slack.wait_for("chat.postMessage")
    shared_ts = wait_until(lambda: bot.log.db.execute("select message_ts from slack_shares").fetchone())[0]
    bot.click(blocks.ACTION_ADOPT, mine, user="U2", channel="C1")
    note = slack.wait_for("chat.postMessage", count=2)[1].params
    assert note["channel"] == "C1" and "<@U2> recorded" in note["text"] and note["thread_ts"] == shared_ts
    assert bot.log.get(mine).status == "adopted"


def test_a_shared_question_cannot_ping_the_channel_or_link(bot: Bot, slack: FakeSlack) -> None:
    text = "<!channel> <https://evil.example|click> about 70k requests a day on gpt-4o-mini"
    mine = estimate(bot, text, user="U1", channel="C1")
    bot.click(blocks.ACTION_SHARE, mine, user="U1", channel="C1")
    shared = json.dumps(slack.wait_for("chat.postMessage")[0].params["blocks"])
    assert "<!channel>" not in shared and "<https://evil" not in shared and "&lt;!channel&gt;" in shared
    assert "<!channel>" not in history(bot, "U1")
