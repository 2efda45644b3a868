"""Mentions, DMs and thread follow-ups through the real Bolt app, answered in the thread."""

from __future__ import annotations

import time

from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import Bot, posted_cards, wait_until

QUESTION = "we push about 2M tokens a day through gpt-4o-mini for support tickets, the tickets contain customer PII"


def test_a_mention_gets_the_card_then_the_words_in_its_thread(bot: Bot, slack: FakeSlack) -> None:
    started = time.perf_counter()
    reply, ts = bot.mention(QUESTION)
    assert reply.status == 200 and time.perf_counter() - started < 3, "acknowledged at once"
    card = slack.wait_for("chat.postMessage")[0].params
    assert card["channel"] == "C1" and card["thread_ts"] == ts
    assert card["blocks"][0]["text"]["text"] == "Run it locally"
    assert any("`data-residency-and-regulation`" in str(block) for block in card["blocks"])
    assert any(block["type"] == "actions" for block in card["blocks"]), "buttons on every answer"
    slack.wait_for("chat.stopStream")
    assert slack.calls_to("chat.startStream")[0].params["thread_ts"] == ts
    words = slack.stream_text()
    assert words.startswith("Verdict: run it locally")
    assert [c.params["status"] for c in slack.calls_to("assistant.threads.setStatus")][:1] == [
        "is checking the numbers…"
    ]
    decision = bot.log.list()[0]
    assert decision.source == "mention" and decision.slack_channel == "C1" and decision.slack_user == "U1"
    logged = wait_until(lambda: (d := bot.log.get(decision.id)).writer and d)
    assert logged.writer == "template" and "no model server answered" in (logged.fallback_reason or "")
    assert logged.recommendation == words


def test_a_dm_is_answered_in_its_thread(bot: Bot, slack: FakeSlack) -> None:
    reply, ts = bot.message(QUESTION, channel="D1", channel_type="im")
    assert reply.status == 200
    card = slack.wait_for("chat.postMessage")[0].params
    assert card["channel"] == "D1" and card["thread_ts"] == ts
    slack.wait_for("chat.stopStream")
    assert bot.log.list()[0].source == "dm"


def test_a_reply_in_the_thread_refines_the_answer(bot: Bot, slack: FakeSlack) -> None:
    _, ts = bot.mention("about 200k requests a day on llama3.1:8b, 2 SREs run our servers")
    slack.wait_for("chat.stopStream")
    bot.message("what if we double the volume?", channel="C1", thread_ts=ts)
    slack.wait_for("chat.stopStream", count=2)
    cards = posted_cards(slack)
    assert len(cards) == 2 and cards[1].params["thread_ts"] == ts
    first, second = sorted(bot.log.list(), key=lambda d: d.id)
    assert second.parent_id == first.id and second.source == "refine"
    assert bot.log.get(second.id).workload.requests_per_day == 400_000  # type: ignore[union-attr]


def test_channel_chatter_outside_an_answer_thread_is_ignored(bot: Bot, slack: FakeSlack) -> None:
    reply, _ = bot.message("lunch at noon? also 2M tokens a day lol", channel="C1")
    assert reply.status == 200
    time.sleep(0.5)
    assert posted_cards(slack) == [] and bot.log.list() == []


def test_a_message_with_no_workload_gets_guidance(bot: Bot, slack: FakeSlack) -> None:
    bot.mention("hello!")
    text = slack.wait_for("chat.postMessage")[0].params["text"]
    assert "could not find a workload" in text and bot.log.list() == []


def test_a_retried_event_is_answered_and_logged_once(bot: Bot, slack: FakeSlack) -> None:
    bot.mention(QUESTION, event_id="EvRetry", ts="1700000001.000001")
    retry, _ = bot.mention(QUESTION, event_id="EvRetry", ts="1700000001.000001", retry=1)
    assert retry.status == 200
    slack.wait_for("chat.stopStream")
    time.sleep(0.5)
    assert len(posted_cards(slack)) == 1 and len(bot.log.list()) == 1


def test_a_rate_limited_post_is_retried_and_posted_once(bot: Bot, slack: FakeSlack) -> None:
    slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    bot.mention(QUESTION)
    slack.wait_for("chat.stopStream")
    attempts = slack.calls_to("chat.postMessage")
    assert len(attempts) == 2, "one 429, then the same card again"
    assert attempts[0].params["blocks"] == attempts[1].params["blocks"]
    assert len(bot.log.list()) == 1


def test_suggested_prompts_in_the_messages_tab(bot: Bot, slack: FakeSlack) -> None:
    bot.event(
        {
            "type": "assistant_thread_started",
            "assistant_thread": {"user_id": "U1", "channel_id": "D1", "thread_ts": "1.1", "context": {}},
            "event_ts": "1.2",
        }
    )
    prompts = slack.wait_for("assistant.threads.setSuggestedPrompts")[0].params["prompts"]
    assert len(prompts) >= 3 and all(p["message"] for p in prompts)


def test_a_live_models_words_stream_into_the_thread(kb, slack: FakeSlack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.ollama import FakeOllama
    from tests.slack.harness import start_bot

    def reply(request: dict) -> str:  # type: ignore[type-arg]
        prompt = request["messages"][-1]["content"]
        if "Fields to fill" in prompt:  # the model is asked to help read first: it finds nothing more
            return "{}"
        citation = prompt[prompt.index("[") : prompt.index("]") + 1]
        return f"Verdict: run it locally.\nTradeoffs:\n- The data may not leave {citation}.\nNext step: a pilot."

    with FakeOllama(replies=[reply]) as ollama:
        bot = start_bot(kb, slack, tmp_path / "live.db", ollama_host=ollama.url)
        bot.mention(QUESTION)
        slack.wait_for("chat.stopStream")
        assert slack.stream_text() == reply({"messages": ollama.chat_requests()[-1]["messages"]})
        decision = wait_until(lambda: (d := bot.log.get(bot.log.list()[0].id)).writer and d)
        assert decision.writer == "ollama:llama3.1:8b" and decision.fallback_reason is None


def test_a_failure_while_answering_gets_a_short_apology_in_the_thread(bot: Bot, slack: FakeSlack) -> None:
    slack.respond("chat.startStream", {"ok": False, "error": "internal_error"})
    _, ts = bot.mention(QUESTION)
    apology = wait_until(lambda: [c for c in slack.calls_to("chat.postMessage") if "Sorry" in c.params.get("text", "")])
    assert apology and apology[0].params["thread_ts"] == ts


def test_startup_without_a_token_says_which_to_set(kb, slack: FakeSlack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from bot.decisions.store import DecisionLog
    from bot.settings import Settings
    from bot.slack.app import SetupError, build_app
    from bot.slack.services import Services

    settings = Settings(slack_signing_secret="s", slack_api_url=slack.url + "/api/", db=tmp_path / "d.db")
    with pytest.raises(SetupError, match="SLACK_BOT_TOKEN is not set"):
        build_app(Services(settings, kb, DecisionLog(settings.db)), socket_mode=False)
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=slack.url + "/api/", db=tmp_path / "d.db")
    with pytest.raises(SetupError, match="SLACK_SIGNING_SECRET"):
        build_app(Services(settings, kb, DecisionLog(settings.db)), socket_mode=False)
