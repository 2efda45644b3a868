"""Each listener called on its own, as Bolt would call it: arguments by name, the services in the context,
and a real WebClient talking to the fake Slack Web API. No app, no HTTP in front."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.check.assess import assess
from bot.decisions.records import SlackOrigin
from bot.decisions.store import DecisionLog
from bot.decisions.teams import team_defaults
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.listeners import actions, commands, conversations, home
from bot.slack.services import SERVICES, Services
from bot.workload import OwnedHardware
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import QUESTION, TEAM


class Recorder:
    """Stands for Bolt's `ack`, `respond` or `set_suggested_prompts`: keeps what each call was given."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **given: Any) -> None:
        self.calls.append(given)


@pytest.fixture
def services(kb: KnowledgeBase, tmp_path: Path) -> Iterator[Services]:
    settings = Settings(db=tmp_path / "decisions.db")
    running = Services(settings, kb, DecisionLog(settings.db))
    yield running
    running.stop(grace_s=5)


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url + "/api/")


def context_for(services: Services, team: str = TEAM) -> BoltContext:
    return BoltContext({SERVICES: services, "team_id": team, "bot_user_id": "UBOT"})


def defaults_form(**values: str) -> dict[str, Any]:
    """The App Home defaults form as Slack submits it."""
    state = {field: {"value": {"type": "plain_text_input", "value": value}} for field, value in values.items()}
    return {"state": {"values": state}}


def logged(services: Services, kb: KnowledgeBase, *, team: str = TEAM, channel: str = "C1") -> str:
    workload = parse(QUESTION, kb).workload
    return services.log.record(
        question=QUESTION,
        workload=workload,
        assessment=assess(workload, kb),
        source="mention",
        slack=SlackOrigin(team=team, channel=channel, thread="1700000000.000100", user="U1", public=True),
    )


@pytest.mark.parametrize("typed", ["RTX 9999 Ultra", "2 x 4090 and a Cray-1", "nvidia h1000"])
def test_saving_defaults_with_unknown_hardware_is_refused_in_the_form(
    services: Services, client: WebClient, slack: FakeSlack, typed: str
) -> None:
    ack = Recorder()
    body = {"user": {"id": "U1", "team_id": TEAM}}
    home.save(ack, body, defaults_form(owned_hardware=typed), client, context_for(services))
    [refused] = ack.calls
    assert refused["response_action"] == "errors" and "owned_hardware" in refused["errors"]
    assert team_defaults(services.log, TEAM, services.kb).owned_hardware == [], "nothing saved"
    assert slack.calls_to("views.publish") == []


def test_saving_good_defaults_keeps_them_and_shows_them_in_app_home(
    services: Services, client: WebClient, slack: FakeSlack
) -> None:
    ack = Recorder()
    body = {"user": {"id": "U1", "team_id": TEAM}}
    form = defaults_form(owned_hardware="2 x RTX 4090", electricity_price="0.30", currency="EUR")
    home.save(ack, body, form, client, context_for(services))
    assert ack.calls == [{}]
    saved = team_defaults(services.log, TEAM, services.kb)
    assert (saved.owned_hardware, saved.electricity_price, saved.currency) == (
        [OwnedHardware(hardware="rtx-4090", count=2)],
        0.30,
        "EUR",
    )
    [published] = slack.calls_to("views.publish")
    assert published.params["user_id"] == "U1" and "RTX 4090" in str(published.params["view"])


def test_recording_a_decision_posts_in_its_thread_and_marks_it_adopted(
    services: Services, client: WebClient, slack: FakeSlack, kb: KnowledgeBase
) -> None:
    decision_id = logged(services, kb)
    ack, respond = Recorder(), Recorder()
    body = {"user": {"id": "U2"}, "channel": {"id": "C1"}}
    actions.record_decision(ack, {"value": decision_id}, body, client, context_for(services), respond)
    assert ack.calls == [{}] and respond.calls == []
    [posted] = slack.calls_to("chat.postMessage")
    assert posted.params["thread_ts"] == "1700000000.000100" and "<@U2> recorded this" in posted.params["text"]
    assert services.log.get(decision_id).status == "adopted"


@pytest.mark.parametrize(("team", "channel"), [("T2", "C1"), (TEAM, "C9")])
def test_a_button_on_another_workspaces_or_channels_decision_does_nothing(
    services: Services, client: WebClient, slack: FakeSlack, kb: KnowledgeBase, team: str, channel: str
) -> None:
    decision_id = logged(services, kb, team=team, channel=channel)
    ack, respond = Recorder(), Recorder()
    body = {"user": {"id": "U2"}, "channel": {"id": "C1"}}
    actions.on_helpful(ack, {"value": decision_id}, body, client, context_for(services), respond)
    assert ack.calls == [{}] and respond.calls[0]["text"] == actions.NOT_YOURS
    assert slack.calls_to("chat.postEphemeral") == [] and slack.calls_to("chat.postMessage") == []
    assert services.log.get(decision_id).status != "adopted"


def test_slash_help_is_the_acknowledgement_itself(services: Services, client: WebClient) -> None:
    ack, respond = Recorder(), Recorder()
    command = {"text": "  help ", "team_id": TEAM, "user_id": "U1"}
    commands.localcheck(ack, command, client, respond, context_for(services))
    assert ack.calls == [{"blocks": blocks.help_blocks(), "text": "How to use /localcheck"}] and respond.calls == []


def test_a_new_assistant_thread_offers_the_suggested_prompts() -> None:
    offer = Recorder()
    conversations.on_thread_started(offer)
    [given] = offer.calls
    assert given["prompts"] == conversations.SUGGESTED_PROMPTS and "describe your own" in given["title"]


def test_a_message_from_a_bot_is_not_a_question(services: Services, client: WebClient, slack: FakeSlack) -> None:
    event = {"type": "message", "bot_id": "B1", "channel": "D1", "channel_type": "im", "ts": "1.0", "text": QUESTION}
    conversations.on_message(event, context_for(services), client, {"event_id": "Ev1"})
    assert slack.calls == [] and services.log.in_thread(TEAM, "D1", "1.0") is None
