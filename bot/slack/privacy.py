"""Who may see which decision, and act on it: a question asked somewhere private stays there.

A user sees decisions from public channels, from channels they are a member
of, and from their own DMs with the bot; never one asked where they could not
have read it. A `/localcheck` quick estimate was shown only to its asker, so
only the asker sees it until they share it; then it is seen where it was
shared. Decisions from the CLI are not shown in Slack at all. Buttons and forms
act only on a decision the user may see, from the channel it belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.decisions.connection import writing
from bot.decisions.records import LoggedDecision, NotFound
from bot.decisions.store import DecisionLog
from bot.slack.visibility import is_public

logger = logging.getLogger(__name__)
CANDIDATES = 200  # decisions looked at to find `limit` visible ones
QUICK_ESTIMATE = "slash"  # the source of a decision shown only to its asker


def visible_decisions(
    log: DecisionLog, client: WebClient, *, team: str, user: str, search: str | None = None, limit: int = 10
) -> list[LoggedDecision]:
    found = log.search(search, team=team, limit=CANDIDATES) if search else log.list(team=team, limit=CANDIDATES)
    shares = shared_channels(log, [d.id for d in found if d.source == QUICK_ESTIMATE])
    channels: dict[str, bool] = {}
    visible = []
    for decision in found:
        if _may_see(decision, user, client, channels, shares.get(decision.id, set())):
            visible.append(decision)
            if len(visible) == limit:
                break
    return visible


def decision_to_act_on(
    log: DecisionLog, client: WebClient, decision_id: object, *, team: str | None, user: str, channel: str | None
) -> LoggedDecision | None:
    """The decision a button or form names, if `user` of `team` may see it and it belongs to `channel`.

    None for anything else, with a log line: an id that is not exactly one decision's, another
    workspace's decision, one from another channel, or one the user could not have seen.
    """
    decision = _exactly(log, decision_id)
    if decision is None or decision.slack_team != team or decision.slack_channel != channel or channel is None:
        logger.warning(
            "refused %s acting on %r from %s: not a decision of this workspace and channel", user, decision_id, channel
        )
        return None
    shares = shared_channels(log, [decision.id]).get(decision.id, set())
    if not _may_see(decision, user, client, {}, shares):
        logger.warning("refused %s acting on decision %s: not one they may see", user, decision.id)
        return None
    return decision


def record_share(log: DecisionLog, decision: LoggedDecision, *, message_ts: str, by: str) -> None:
    """A quick estimate posted in its channel: from now on it is seen by whoever sees that channel."""
    with writing(log.db):
        log.db.table("slack_shares").upsert(
            {
                "decision_id": decision.id,
                "channel": decision.slack_channel,
                "message_ts": message_ts,
                "shared_by": by,
                "shared_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            pk=("decision_id", "channel"),
        )


def answer_thread(log: DecisionLog, decision: LoggedDecision) -> str | None:
    """The thread a decision's card is in: its own, or for a shared quick estimate the shared message."""
    rows = log.db.query(
        "select coalesce(decisions.slack_thread, (select message_ts from slack_shares where decision_id = decisions.id "
        "order by shared_at desc limit 1)) thread from decisions where id = ?",
        [decision.id],
    )
    return next((row["thread"] for row in rows), None)


def shared_channels(log: DecisionLog, decision_ids: Iterable[str]) -> dict[str, set[str]]:
    ids = list(decision_ids)
    shares: dict[str, set[str]] = {}
    if not ids:
        return shares
    marks = ", ".join("?" * len(ids))
    sql = f"select decision_id, channel from slack_shares where decision_id in ({marks})"  # noqa: S608 - placeholders only
    for row in log.db.query(sql, ids):
        shares.setdefault(row["decision_id"], set()).add(row["channel"])
    return shares


def _exactly(log: DecisionLog, decision_id: object) -> LoggedDecision | None:
    """The decision with exactly this id: the log's prefix matching is for people typing, not payloads."""
    if not isinstance(decision_id, str) or not decision_id:
        return None
    try:
        decision = log.get(decision_id)
    except (NotFound, ValidationError):
        return None
    return decision if decision.id == decision_id else None


def _may_see(
    decision: LoggedDecision, user: str, client: WebClient, channels: dict[str, bool], shared: set[str]
) -> bool:
    channel = decision.slack_channel
    if channel is None:
        return False
    if decision.source == QUICK_ESTIMATE:
        return decision.slack_user == user or any(_channel_visible(c, user, client, channels) for c in shared)
    if channel.startswith("D"):
        return decision.slack_user == user
    return _channel_visible(channel, user, client, channels)


def _channel_visible(channel: str, user: str, client: WebClient, channels: dict[str, bool]) -> bool:
    if channel.startswith("D"):
        return False  # someone else's DM with the bot
    if channel not in channels:
        channels[channel] = _public_or_member(client, channel, user)
    return channels[channel]


def _public_or_member(client: WebClient, channel: str, user: str) -> bool:
    try:
        info: Any = client.conversations_info(channel=channel)["channel"]
        if is_public(info):
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
