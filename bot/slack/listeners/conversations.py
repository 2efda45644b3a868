"""Mentions, DMs and the Messages tab, and replies in an answer's thread."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import BoltContext

from bot.decisions.records import AskedVia
from bot.slack.answering import Where, answer_later
from bot.slack.services import services_of
from bot.slack.visibility import public_by_type

SUGGESTED_PROMPTS = [
    {
        "title": "Support bot with PII",
        "message": "We push about 2M tokens a day through gpt-4o-mini for support "
        "tickets. The tickets contain customer PII and nobody here runs servers. Local or cloud?",
    },
    {
        "title": "Two idle 4090s",
        "message": "We have two RTX 4090s sitting idle. Could they serve llama3.1:8b for "
        "about 50k requests a day, ~800 tokens in and 200 out? We have 2 SREs.",
    },
    {
        "title": "Nightly batch",
        "message": "Nightly job: summaries of 20-page contracts, 5k a night. Public data, "
        "a part-time admin. Is a Mac Studio worth it?",
    },
    {
        "title": "Frontier share",
        "message": "300k requests a day, most are routine but about 10% need frontier "
        "reasoning. We use Claude Sonnet today.",
    },
]
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def on_mention(
    event: dict[str, Any],
    context: BoltContext,
    client: Any,
    body: dict[str, Any],
    set_status: Any = None,
    say_stream: Any = None,
) -> None:
    services = services_of(context)
    thread = event.get("thread_ts") or event["ts"]
    public = public_by_type(event.get("channel_type"))  # a mention does not say: asked later, by the answer
    where = Where(client, context.team_id, event["channel"], thread, event.get("user"), body.get("event_id"), public)
    text = _MENTION.sub(" ", event.get("text", "")).strip()
    parent = services.log.in_thread(where.team, where.channel, thread) if event.get("thread_ts") else None
    answer_later(
        services,
        where,
        source="refine" if parent else "mention",
        text=text,
        parent=parent,
        set_status=set_status,
        say_stream=say_stream,
    )


def on_message(
    event: dict[str, Any],
    context: BoltContext,
    client: Any,
    body: dict[str, Any],
    set_status: Any = None,
    say_stream: Any = None,
    set_title: Any = None,
) -> None:
    if event.get("subtype") or event.get("bot_id"):
        return  # edits, joins, and bots (ourselves included) are not questions
    services = services_of(context)
    direct = event.get("channel_type") == "im"
    thread = event.get("thread_ts")
    parent = services.log.in_thread(context.team_id, event["channel"], thread) if thread else None
    mentioned = context.bot_user_id and f"<@{context.bot_user_id}>" in event.get("text", "")
    if mentioned or not (direct or parent):
        return  # a mention is answered by on_mention; other channel chatter is not for us
    where = Where(
        client,
        context.team_id,
        event["channel"],
        thread or event["ts"],
        event.get("user"),
        body.get("event_id"),
        public_by_type(event.get("channel_type")),
    )
    source: AskedVia = "refine" if parent else "dm"
    answer_later(
        services,
        where,
        source=source,
        text=event.get("text", ""),
        parent=parent,
        set_status=set_status,
        say_stream=say_stream,
        set_title=set_title,  # Bolt gives it only in an assistant thread
    )


def on_thread_started(set_suggested_prompts: Any) -> None:
    set_suggested_prompts(prompts=SUGGESTED_PROMPTS, title="Try one of these, or describe your own workload:")


def on_context_changed() -> None:
    """Nothing to do: answers do not depend on which channel the user is viewing."""
