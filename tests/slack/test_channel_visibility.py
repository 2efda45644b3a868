"""Each decision records whether it was asked where the whole workspace could read it; unknown counts as private."""

from __future__ import annotations

from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import Bot, answered, private_g_channels, wait_until

QUESTION = "about 3000 requests a day on gpt-4o-mini, public data only"


def test_a_mention_in_a_public_channel_is_recorded_public(bot: Bot, slack: FakeSlack) -> None:
    decision_id, _ = answered(bot, slack, QUESTION, channel="C1")
    assert bot.log.get(decision_id).slack_channel_public is True


def test_a_mention_in_a_private_channel_is_recorded_private_whatever_its_id(bot: Bot, slack: FakeSlack) -> None:
    # Slack gives new private channels C ids too: the id's letter must not decide.
    slack.respond("conversations.info", {"ok": True, "channel": {"id": "C7", "is_private": True}})
    decision_id, _ = answered(bot, slack, QUESTION, channel="C7")
    assert bot.log.get(decision_id).slack_channel_public is False


def test_a_channel_that_cannot_be_looked_up_counts_as_private(bot: Bot, slack: FakeSlack) -> None:
    slack.respond("conversations.info", {"ok": False, "error": "channel_not_found"})
    decision_id, _ = answered(bot, slack, QUESTION, channel="C8")
    assert bot.log.get(decision_id).slack_channel_public is None


def test_a_direct_message_is_recorded_private(bot: Bot, slack: FakeSlack) -> None:
    bot.message(QUESTION, channel="D1", channel_type="im")
    slack.wait_for("chat.stopStream")
    decision = wait_until(lambda: bot.log.list()[0] if bot.log.list() else None)
    assert decision.slack_channel_public is False


def test_a_mention_in_a_group_dm_is_recorded_private(bot: Bot, slack: FakeSlack) -> None:
    slack.respond("conversations.info", {"ok": True, "channel": {"id": "C9", "is_mpim": True}})
    decision_id, _ = answered(bot, slack, QUESTION, channel="C9")
    assert bot.log.get(decision_id).slack_channel_public is False


def test_a_quick_estimate_records_its_channels_visibility(bot: Bot, slack: FakeSlack) -> None:
    private_g_channels(slack)
    for channel, public in (("G1", False), ("C1", True)):
        estimate = bot.command(QUESTION, channel=channel).json()
        decision = bot.log.get(estimate["blocks"][-1]["elements"][0]["value"])
        assert decision.slack_channel_public is public, channel
