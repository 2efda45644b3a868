"""The slash command, each button, the assumptions modal, App Home, privacy, and request verification."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.slack import blocks
from bot.slack.app import SetupError
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import QUESTION, TEAM, Bot, answered, posted_cards, start_bot, wait_until


def test_slash_command_answers_within_the_ack_only_to_the_asker(bot: Bot, slack: FakeSlack) -> None:
    started = time.perf_counter()
    reply = bot.command(QUESTION)
    assert reply.status == 200 and time.perf_counter() - started < 3
    answer = reply.json()
    assert answer["blocks"][0]["text"]["text"] in ("Run it locally", "Use the cloud API")
    share = answer["blocks"][-1]["elements"][0]
    assert share["action_id"] == blocks.ACTION_SHARE
    assert slack.calls_to("chat.postMessage") == [], "ephemeral: nothing posted to the channel"
    decision = bot.log.get(share["value"])
    assert decision.source == "slash" and decision.recommendation is None, "a quick estimate, no model"


def test_share_in_channel_posts_the_estimate(bot: Bot, slack: FakeSlack) -> None:
    decision_id = bot.command(QUESTION, user="U2").json()["blocks"][-1]["elements"][0]["value"]
    bot.click(blocks.ACTION_SHARE, decision_id, user="U2")
    posted = slack.wait_for("chat.postMessage")[0].params
    assert posted["channel"] == "C1" and "Shared by <@U2>" in json.dumps(posted["blocks"])


def test_slash_help_and_nonsense(bot: Bot) -> None:
    assert "/localcheck history" in json.dumps(bot.command("help").json())
    assert "/localcheck history" in json.dumps(bot.command("").json())
    assert "could not find a workload" in bot.command("what's for lunch").body


def test_helpful_and_not_helpful(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    assert bot.click(blocks.ACTION_HELPFUL, decision_id, thread_ts=ts).status == 200
    bot.click(blocks.ACTION_NOT_HELPFUL, decision_id, user="U2", thread_ts=ts)
    slack.wait_for("chat.postEphemeral", count=2)
    assert wait_until(lambda: bot.log.stats()["feedback"] == {"helpful": 1, "not_helpful": 1})


def test_record_as_our_decision(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    bot.click(blocks.ACTION_ADOPT, decision_id, user="U7", thread_ts=ts)
    note = slack.wait_for("chat.postMessage", count=2)[1].params
    assert note["thread_ts"] == ts and "<@U7> recorded this as the team's decision" in note["text"]
    decision = bot.log.get(decision_id)
    assert decision.status == "adopted" and decision.status_by == "U7"


def test_change_assumptions_opens_a_prefilled_form_and_answers_again(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    bot.click(blocks.ACTION_CHANGE, decision_id, thread_ts=ts)
    view = slack.wait_for("views.open")[0].params["view"]
    fields = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"}
    assert fields["requests_per_day"] == "200000" and fields["ops_staff"] == "2"
    state = {
        b["block_id"]: {"value": {"type": "plain_text_input", "value": fields.get(b["block_id"]) or ""}}
        for b in view["blocks"]
        if b["element"]["type"] == "plain_text_input"
    }
    state["requests_per_day"]["value"]["value"] = "20000"
    state["data_policy"] = {"value": {"type": "static_select", "selected_option": {"value": "must-stay"}}}
    reply = bot.interaction(
        {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": {"id": "U1", "team_id": TEAM},
            "api_app_id": "A1",
            "token": "x",
            "trigger_id": "t",
            "view": {**view, "id": "V1", "state": {"values": state}},
        }
    )
    assert reply.status == 200
    slack.wait_for("chat.stopStream", count=2)
    cards = posted_cards(slack)
    assert len(cards) == 2 and cards[1].params["thread_ts"] == ts
    latest = wait_until(lambda: bot.log.in_thread(TEAM, "C1", ts))
    assert latest.source == "modal" and latest.parent_id == decision_id
    assert latest.workload.requests_per_day == 20_000 and latest.workload.data_policy == "must-stay"  # type: ignore[union-attr]
    assert "set in the form by <@U1>" in (latest.workload.provenance["requests_per_day"].span or "")  # type: ignore[union-attr]


def test_a_form_with_nonsense_is_sent_back_with_the_field_marked(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    bot.click(blocks.ACTION_CHANGE, decision_id, thread_ts=ts)
    view = slack.wait_for("views.open")[0].params["view"]
    state = {"requests_per_day": {"value": {"type": "plain_text_input", "value": "lots"}}}
    reply = bot.interaction(
        {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": {"id": "U1", "team_id": TEAM},
            "api_app_id": "A1",
            "token": "x",
            "trigger_id": "t",
            "view": {**view, "id": "V1", "state": {"values": state}},
        }
    )
    assert reply.json() == {"response_action": "errors", "errors": {"requests_per_day": "Please give a number."}}


def test_app_home_shows_decisions_and_saves_team_defaults_used_later(bot: Bot, slack: FakeSlack) -> None:
    answered(bot, slack)
    bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.0"})
    home = slack.wait_for("views.publish")[0].params
    assert home["user_id"] == "U1" and "Recent decisions" in json.dumps(home["view"])
    bot.interaction(
        {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": "U1", "team_id": TEAM},
            "trigger_id": "t",
            "api_app_id": "A1",
            "token": "x",
            "container": {"type": "view"},
            "actions": [{"action_id": blocks.ACTION_EDIT_DEFAULTS, "type": "button", "block_id": "b"}],
        }
    )
    form = slack.wait_for("views.open")[0].params["view"]
    assert form["callback_id"] == blocks.VIEW_DEFAULTS
    values = {
        "electricity_price": {"value": {"type": "plain_text_input", "value": "0.40"}},
        "owned_hardware": {"value": {"type": "plain_text_input", "value": "2 x RTX 4090"}},
        "currency": {"value": {"type": "static_select", "selected_option": {"value": "EUR"}}},
    }
    bot.interaction(
        {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": {"id": "U1", "team_id": TEAM},
            "api_app_id": "A1",
            "token": "x",
            "trigger_id": "t",
            "view": {**form, "id": "V2", "state": {"values": values}},
        }
    )
    slack.wait_for("views.publish", count=2)
    estimate = bot.command("about 2M tokens a day on gpt-4o-mini").json()
    decision = bot.log.get(estimate["blocks"][-1]["elements"][0]["value"])
    assert decision.workload.electricity_usd_per_kwh == pytest.approx(0.4 * 1.0824)  # type: ignore[union-attr]
    assert decision.workload.owned[0].hardware == "rtx-4090"  # type: ignore[union-attr]
    assert "team's default" in (decision.workload.provenance["owned"].reason or "")  # type: ignore[union-attr]


def test_history_hides_a_private_channels_decision_from_non_members(bot: Bot, slack: FakeSlack) -> None:
    private, _ = answered(bot, slack, channel="G1", user="U1")
    public, _ = answered(bot, slack, "about 3000 requests a day on gpt-4o-mini, public data only", channel="C1")
    slack.respond(
        "conversations.info",
        lambda call: {
            "ok": True,
            "channel": {"id": call.params["channel"], "is_private": call.params["channel"].startswith("G")},
        },
    )
    slack.respond("conversations.members", {"ok": True, "members": ["U1", "UBOT"], "response_metadata": {}})
    outsider = bot.history(user="U9")
    member = bot.history(user="U1")
    assert public[:10] in outsider and private[:10] not in outsider
    assert public[:10] in member and private[:10] in member


def test_a_dm_stays_between_the_user_and_the_bot(bot: Bot, slack: FakeSlack) -> None:
    bot.message(QUESTION, channel="D1", channel_type="im", user="U1")
    slack.wait_for("chat.stopStream")
    mine = wait_until(lambda: bot.log.list())[0].id
    assert mine[:10] in bot.history(user="U1")
    assert mine[:10] not in bot.history(user="U2")


def test_a_forged_signature_or_a_stale_timestamp_is_refused(bot: Bot, slack: FakeSlack) -> None:
    assert bot.post('{"type":"event_callback"}', "application/json", secret="wrong").status == 401
    assert bot.post('{"type":"event_callback"}', "application/json", timestamp=int(time.time()) - 3600).status == 401
    assert slack.calls_to("chat.postMessage") == []


def test_health_endpoint(bot: Bot) -> None:
    import urllib.request

    with urllib.request.urlopen(bot.url + "/health", timeout=5) as reply:
        assert json.load(reply) == {"ok": True, "mode": "http"}


def test_startup_fails_fast_on_a_refused_token(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path) -> None:
    slack.valid_tokens = {"xoxb-other"}
    with pytest.raises(SetupError, match="refused SLACK_BOT_TOKEN"):
        start_bot(kb, slack, tmp_path / "d.db")
