"""Whether a channel is public: recorded with each decision, so reviewing the log can leave out what was private.

A channel id's first letter does not say (C is used for private channels too);
an event's `channel_type` does, and where an event carries none (mentions, the
slash command) conversations.info does. Whatever cannot be told counts as private.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)
PUBLIC_TYPES = frozenset({"channel"})
PRIVATE_TYPES = frozenset({"group", "im", "mpim"})
PRIVATE_SLASH_NAMES = frozenset({"directmessage", "privategroup"})
"""The `channel_name` a slash command carries from a DM or a private channel."""


def is_public(info: Mapping[str, Any]) -> bool:
    """A conversations.info `channel`: public unless it says it is private, a DM or a group DM."""
    return not (info.get("is_private") or info.get("is_im") or info.get("is_mpim"))


def public_by_type(channel_type: str | None) -> bool | None:
    """What the event or command says of its channel, without asking Slack; None when it does not say."""
    if channel_type in PUBLIC_TYPES:
        return True
    if channel_type in PRIVATE_TYPES or channel_type in PRIVATE_SLASH_NAMES:
        return False
    return None


def channel_public(client: WebClient, channel: str | None, channel_type: str | None = None) -> bool | None:
    """True for a public channel, False for a private one, a DM or a group DM, None when it cannot be told."""
    if (said := public_by_type(channel_type)) is not None:
        return said
    if not channel:
        return None
    try:
        info: Any = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as error:
        logger.info(
            "could not tell whether %s is public (%s): counted as private", channel, error.response.get("error")
        )
        return None
    return is_public(info)
