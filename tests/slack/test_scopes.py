"""The scopes the app asks for are the ones its behaviour needs: no more, no fewer.

A tour through the real app (every event the manifests subscribe to, the slash command, the buttons,
App Home) records the Web API methods it calls on the fake Slack; each method and each event it
answers needs the scopes Slack's reference gives it. Those, and nothing else, are `BOT_SCOPES`,
which the manifests and an OAuth install ask for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack import blocks
from bot.slack.oauth import BOT_SCOPES
from tests.fakes.slack_api import RESPONSE_METHOD, UPLOAD_METHOD, FakeSlack
from tests.slack.harness import QUESTION, Bot, Reply, answered, private_g_channels, wait_until

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
# From Slack's method reference (https://docs.slack.dev/reference/methods): the bot scopes each needs.
# conversations.* need channels:read for a public channel and groups:read for a private one.
METHOD_SCOPES: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("chat.postMessage", "chat.postEphemeral", "chat.update", "chat.startStream", "chat.appendStream"),
        frozenset({"chat:write"}),
    ),
    "chat.stopStream": frozenset({"chat:write"}),
    "conversations.info": frozenset({"channels:read", "groups:read"}),
    "conversations.members": frozenset({"channels:read", "groups:read"}),
    **dict.fromkeys(("views.open", "views.publish", "views.update", "auth.test", "oauth.v2.access"), frozenset()),
    **dict.fromkeys(
        ("assistant.threads.setStatus", "assistant.threads.setSuggestedPrompts", "assistant.threads.setTitle"),
        frozenset({"assistant:write"}),
    ),
    **dict.fromkeys(("files.getUploadURLExternal", "files.completeUploadExternal"), frozenset({"files:write"})),
    # Not Web API methods: a slash command's response_url and the upload URL files.getUploadURLExternal
    # handed out carry their own authority, no scope.
    **dict.fromkeys((RESPONSE_METHOD, UPLOAD_METHOD), frozenset()),
    "reactions.add": frozenset({"reactions:write"}),
    "users.info": frozenset({"users:read"}),
}
# From Slack's event reference (https://docs.slack.dev/reference/events): the scope each subscription needs.
EVENT_SCOPES: dict[str, set[str]] = {
    "app_mention": {"app_mentions:read"},
    "message.im": {"im:history"},
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.mpim": {"mpim:history"},
    "app_home_opened": set(),
    "assistant_thread_started": {"assistant:write"},
    "assistant_thread_context_changed": {"assistant:write"},
    "app_uninstalled": set(),
    "tokens_revoked": set(),
}
SLASH_COMMAND_SCOPE = "commands"


def answered_in(bot: Bot, slack: FakeSlack, send: Callable[[], object], method: str = "chat.stopStream") -> None:
    """Send something and wait until the app has acted on it with `method`."""
    count = len(slack.calls_to(method))
    send()
    slack.wait_for(method, count=count + 1)


def tour_of_events(bot: Bot, slack: FakeSlack) -> dict[str, Reply]:
    """Each event the manifests may subscribe to, sent as Slack sends it, and the app's reply."""
    private_g_channels(slack)
    replies: dict[str, Reply] = {}
    _, public = answered(bot, slack, QUESTION, channel="C1")
    count = len(slack.calls_to("chat.stopStream"))
    replies["app_mention"], private = bot.mention(QUESTION, channel="G1")
    slack.wait_for("chat.stopStream", count=count + 1)
    wait_until(lambda: bot.log.in_thread("T1", "G1", private))

    def reply_in(name: str, channel: str, **kw: Any) -> None:
        answered_in(bot, slack, lambda: replies.__setitem__(name, bot.message(QUESTION, channel=channel, **kw)[0]))

    reply_in("message.channels", "C1", thread_ts=public)
    reply_in("message.groups", "G1", thread_ts=private, channel_type="group")
    reply_in("message.im", "D1", channel_type="im")
    thread = {"user_id": "U1", "channel_id": "D1", "thread_ts": "1700000000.000300", "context": {}}
    for name in ("assistant_thread_started", "assistant_thread_context_changed"):
        replies[name] = bot.event({"type": name, "assistant_thread": thread, "event_ts": f"{time.time():.6f}"})
    slack.wait_for("assistant.threads.setSuggestedPrompts")
    answered_in(
        bot, slack, lambda: bot.message(QUESTION, channel="D1", thread_ts=thread["thread_ts"], channel_type="im")
    )
    replies["message.mpim"] = bot.message(QUESTION, channel="G9", channel_type="mpim")[0]
    replies["app_home_opened"] = bot.event({"type": "app_home_opened", "user": "U1", "tab": "home", "channel": "D1"})
    slack.wait_for("views.publish")
    for name in ("app_uninstalled", "tokens_revoked"):
        replies[name] = bot.event({"type": name, "tokens": {"bot": ["UBOT"]}, "event_ts": f"{time.time():.6f}"})
    return replies


def tour_of_commands_and_buttons(bot: Bot, slack: FakeSlack) -> None:
    for text in ("help", "history", "history triage"):
        assert bot.command(text).status == 200
    estimate = bot.command(QUESTION).json()["blocks"][-1]["elements"][0]["value"]
    answered_in(bot, slack, lambda: bot.click(blocks.ACTION_SHARE, estimate))
    decision, thread = answered(bot, slack, QUESTION, channel="C1")
    vote = f"{blocks.HELPFUL}:{decision}"
    answered_in(
        bot,
        slack,
        lambda: bot.click(blocks.ACTION_FEEDBACK, vote, thread_ts=thread, element="feedback_buttons"),
        "chat.postEphemeral",
    )
    answered_in(bot, slack, lambda: bot.click(blocks.ACTION_ADOPT, decision, thread_ts=thread), "chat.postMessage")
    answered_in(bot, slack, lambda: bot.click(blocks.ACTION_CHANGE, decision, thread_ts=thread), "views.open")
    answered_in(bot, slack, lambda: bot.click(blocks.ACTION_EDIT_DEFAULTS, ""), "views.open")


@pytest.fixture
def toured(bot: Bot, slack: FakeSlack) -> tuple[dict[str, Reply], set[str]]:
    replies = tour_of_events(bot, slack)
    tour_of_commands_and_buttons(bot, slack)
    bot.finish()
    return replies, {call.method for call in slack.calls}


def manifest_scopes(name: str) -> list[str]:
    return yaml.safe_load((DEPLOY / f"slack-manifest-{name}.yaml").read_text())["oauth_config"]["scopes"]["bot"]


def manifest_events(name: str) -> list[str]:
    manifest = yaml.safe_load((DEPLOY / f"slack-manifest-{name}.yaml").read_text())
    return manifest["settings"]["event_subscriptions"]["bot_events"]


def test_the_scopes_asked_for_are_those_the_app_uses(toured: tuple[dict[str, Reply], set[str]]) -> None:
    replies, methods = toured
    unknown = methods - METHOD_SCOPES.keys()
    assert not unknown, f"the app calls {sorted(unknown)}: add the scopes Slack's reference gives them"
    handled = {name for name, reply in replies.items() if reply.status == 200}
    needed = {SLASH_COMMAND_SCOPE}
    needed |= {scope for method in methods for scope in METHOD_SCOPES[method]}
    needed |= {scope for event in handled & set(manifest_events("http")) for scope in EVENT_SCOPES[event]}
    assert needed == set(BOT_SCOPES)


def test_the_manifests_subscribe_only_to_events_the_app_takes(toured: tuple[dict[str, Reply], set[str]]) -> None:
    replies, _ = toured
    for name in ("http", "socket"):
        events = manifest_events(name)
        assert set(events) <= replies.keys(), "an event the tour does not send: add it to the tour"
        assert [e for e in events if replies[e].status != 200] == [], "subscribed, but no listener takes it"
        assert sorted(manifest_scopes(name)) == sorted(BOT_SCOPES)
