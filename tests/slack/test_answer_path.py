"""Every Slack entry answers on the one answer path (bot/answer.py), through the real Bolt app.

A fake Ollama on 127.0.0.1 reads and writes: each entry but the slash command asks it to help
read, within the deadline; each applies the team's defaults; a thin question is answered.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.decisions.records import LoggedDecision
from bot.knowledge.loader import KnowledgeBase
from bot.slack import blocks
from bot.slack.listeners.commands import NO_MODEL_READ
from tests.fakes.ollama import FakeOllama
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import TEAM, Bot, posted_cards, start_bot, wait_until

QUESTION = "about 20k requests a day on llama3.1:8b for ticket triage"
READING = "Fields to fill"


def reads(fields: dict[str, object]) -> Any:
    """A model that reads `fields` from any question, and writes nothing that passes the check."""

    def reply(request: dict[str, Any]) -> str:
        return json.dumps(fields) if READING in request["messages"][-1]["content"] else "{}"

    return reply


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(replies=[reads({"ops_staff": 0})]) as fake:
        yield fake


@pytest.fixture
def live(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path, ollama: FakeOllama) -> Iterator[Bot]:
    """The bot with a model to read and write, and team defaults saved in App Home."""
    bot = start_bot(kb, slack, tmp_path / "live.db", ollama_host=ollama.url)
    team = {"team_id": TEAM, "electricity_price": 0.4, "currency": "USD", "updated_by": "U9"}
    bot.log.db.table("team_defaults").insert(team)
    bot.log.db.conn.commit()
    yield bot
    bot.finish()


def readings(ollama: FakeOllama) -> list[str]:
    """The texts the model was asked to help read."""
    return [r["messages"][-1]["content"] for r in ollama.chat_requests() if READING in r["messages"][-1]["content"]]


def last_decision(bot: Bot, count: int = 1) -> LoggedDecision:
    decisions = wait_until(lambda: len(bot.log.list()) >= count and bot.log.list())
    found = bot.log.get(sorted(decisions, key=lambda d: d.id)[-1].id)
    assert found.workload is not None
    return found


def read_and_defaulted(decision: LoggedDecision) -> None:
    """The model's reading is in, marked inferred; the team's default is in, marked as the team's."""
    workload = decision.workload
    assert workload is not None
    assert workload.ops_staff == 0 and workload.provenance["ops_staff"].how == "inferred"
    assert workload.electricity_usd_per_kwh == 0.4
    assert "your team's default" in (workload.provenance["electricity_usd_per_kwh"].reason or "")


def test_a_mention(live: Bot, slack: FakeSlack, ollama: FakeOllama) -> None:
    live.mention(QUESTION)
    slack.wait_for("chat.stopStream")
    assert any(QUESTION in text for text in readings(ollama))
    read_and_defaulted(last_decision(live))


@pytest.mark.parametrize("thread", [None, "1700000000.000200"], ids=["DM", "Messages tab"])
def test_a_direct_message(live: Bot, slack: FakeSlack, ollama: FakeOllama, thread: str | None) -> None:
    live.message(QUESTION, channel="D1", channel_type="im", thread_ts=thread)
    slack.wait_for("chat.stopStream")
    assert any(QUESTION in text for text in readings(ollama))
    decision = last_decision(live)
    assert decision.source == "dm"
    read_and_defaulted(decision)


def test_a_reply_in_the_thread(live: Bot, slack: FakeSlack, ollama: FakeOllama) -> None:
    """The follow-up is read with the model too, for what neither message said."""
    ollama.replies = [reads({"batch": True})]
    _, ts = live.mention("about 20k requests a day on llama3.1:8b, 2 SREs run our servers")
    slack.wait_for("chat.stopStream")
    live.message("what if we double it? the whole thing can run overnight btw", channel="C1", thread_ts=ts)
    slack.wait_for("chat.stopStream", count=2)
    assert any("what if we double it?" in text for text in readings(ollama))
    refined = last_decision(live, count=2)
    assert refined.source == "refine" and refined.workload.requests_per_day == 40_000  # type: ignore[union-attr]
    assert refined.workload.batch is True  # type: ignore[union-attr]
    assert refined.workload.provenance["batch"].how == "stated", "the rules read 'overnight' first"  # type: ignore[union-attr]


def test_the_slash_command_answers_without_a_model_and_says_so(live: Bot, ollama: FakeOllama) -> None:
    started = time.perf_counter()
    estimate = live.command(QUESTION).json()
    assert time.perf_counter() - started < 3
    assert NO_MODEL_READ in json.dumps(estimate["blocks"])
    assert readings(ollama) == [], "no model within Slack's three seconds"
    decision = live.log.get(estimate["blocks"][-1]["elements"][0]["value"])
    assert decision.workload is not None and decision.workload.electricity_usd_per_kwh == 0.4


def test_share_writes_the_estimate_up_in_its_thread(live: Bot, slack: FakeSlack, ollama: FakeOllama) -> None:
    decision_id = live.command(QUESTION).json()["blocks"][-1]["elements"][0]["value"]
    live.click(blocks.ACTION_SHARE, decision_id)
    slack.wait_for("chat.stopStream")
    shared_ts = live.log.db.execute("select message_ts from slack_shares").fetchone()[0]
    stream = slack.calls_to("chat.startStream")[0].params
    assert stream["channel"] == "C1" and stream["thread_ts"] == shared_ts
    assert slack.stream_text().startswith("Verdict:")
    logged = wait_until(lambda: (d := live.log.get(decision_id)).writer and d)
    assert logged.recommendation == slack.stream_text() and readings(ollama) == [], "written, not read again"


def test_the_assumptions_form(live: Bot, slack: FakeSlack) -> None:
    """The form's workload is answered with the team's defaults as they are now."""
    live.log.db.execute("delete from team_defaults")
    live.log.db.conn.commit()
    _, ts = live.mention(QUESTION)
    slack.wait_for("chat.stopStream")
    first = last_decision(live)
    assert first.workload.electricity_usd_per_kwh is None  # type: ignore[union-attr]
    live.log.db.table("team_defaults").insert({"team_id": TEAM, "electricity_price": 0.3, "currency": "USD"})
    live.log.db.conn.commit()
    live.click(blocks.ACTION_CHANGE, first.id, thread_ts=ts)
    view = slack.wait_for("views.open")[0].params["view"]
    state = {"requests_per_day": {"value": {"type": "plain_text_input", "value": "40000"}}}
    submitted = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "U1", "team_id": TEAM}}
    view = {**view, "id": "V1", "state": {"values": state}}
    assert (
        live.interaction({**submitted, "api_app_id": "A1", "token": "x", "trigger_id": "t", "view": view}).status == 200
    )
    slack.wait_for("chat.stopStream", count=2)
    changed = last_decision(live, count=2)
    assert changed.source == "modal" and changed.workload.requests_per_day == 40_000  # type: ignore[union-attr]
    assert changed.workload.electricity_usd_per_kwh == 0.3  # type: ignore[union-attr]


def test_a_thin_question_is_answered_not_refused(live: Bot, slack: FakeSlack, ollama: FakeOllama) -> None:
    ollama.replies = [reads({})]
    live.mention("is self-hosting even worth it for a team like ours?")
    slack.wait_for("chat.stopStream")
    card = posted_cards(slack)[0].params["blocks"]
    assert card[0]["text"]["text"] == "It depends on something we don't know yet"
    questions = [b for b in card if b["type"] == "section" and b["text"]["text"].startswith(":question:")]
    assert 1 <= len(questions) <= 2
    assert last_decision(live).verdict == "need-more-info"


def test_a_fact_only_the_model_read_never_decides_in_slack(live: Bot, slack: FakeSlack, ollama: FakeOllama) -> None:
    ollama.replies = [reads({"data_policy": "must-stay"})]
    live.mention("Our support desk drowns in tickets, the whole team answers them with gpt-4o-mini, ~5k a day")
    slack.wait_for("chat.stopStream")
    card = json.dumps(posted_cards(slack)[0].params["blocks"])
    assert "It depends on something we don't know yet" in card
    assert "You may have said the data must stay on your premises; is that so?" in card


def test_a_slow_model_costs_the_reading_not_the_answer(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path) -> None:
    with FakeOllama(replies=[reads({"ops_staff": 0})], delay_s=5) as slow:
        bot = start_bot(kb, slack, tmp_path / "slow.db", ollama_host=slow.url, llm_timeout_s=0.5)
        started = time.perf_counter()
        bot.mention(QUESTION)
        card = slack.wait_for("chat.postMessage")[0].params
        assert time.perf_counter() - started < 0.5 + 2, "the card waits for the reading's deadline, no longer"
        assert "no answer within 0.5 s" in json.dumps(card["blocks"])
        slack.wait_for("chat.stopStream", timeout=10)
        bot.finish()


def test_what_a_model_guesses_for_a_thin_question_does_not_make_it_less_thin(
    live: Bot, slack: FakeSlack, ollama: FakeOllama
) -> None:
    ollama.replies = [reads({"requests_per_day": 50_000, "ops_staff": 2})]
    live.mention("thinking of running our own LLM instead of paying for one, thoughts?")
    slack.wait_for("chat.stopStream")
    decision = last_decision(live)
    assert decision.verdict == "need-more-info", "the team said nothing: we ask"
    assert decision.workload.provenance["requests_per_day"].how == "inferred"  # type: ignore[union-attr]
