"""Who may see which decision: a question asked somewhere private stays there.

A user sees decisions from public channels, from channels they are a member
of, and from their own DMs with the bot; never one asked where they could not
have read it. Decisions from the CLI are not shown in Slack at all.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.decisions.store import Decision, DecisionLog

CANDIDATES = 200  # decisions looked at to find `limit` visible ones


def visible_decisions(
    log: DecisionLog, client: WebClient, *, team: str, user: str, search: str | None = None, limit: int = 10
) -> list[Decision]:
    found = log.search(search, team=team, limit=CANDIDATES) if search else log.list(team=team, limit=CANDIDATES)
    channels: dict[str, bool] = {}
    visible = []
    for decision in found:
        if _may_see(decision, user, client, channels):
            visible.append(decision)
            if len(visible) == limit:
                break
    return visible


def _may_see(decision: Decision, user: str, client: WebClient, channels: dict[str, bool]) -> bool:
    channel = decision.slack_channel
    if channel is None:
        return False
    if channel.startswith("D"):
        return decision.slack_user == user
    if channel not in channels:
        channels[channel] = _public_or_member(client, channel, user)
    return channels[channel]


def _public_or_member(client: WebClient, channel: str, user: str) -> bool:
    try:
        info: Any = client.conversations_info(channel=channel)["channel"]
        if not (info.get("is_private") or info.get("is_im") or info.get("is_mpim")):
            return True
        cursor = None
        while True:
            page = client.conversations_members(channel=channel, cursor=cursor, limit=1000)
            if user in page["members"]:
                return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return False
    except SlackApiError:
        return False  # when in doubt, do not show
