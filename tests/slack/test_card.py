"""The answer card carries the decision: what was read, what would change it, how much was left off,
Slack's own feedback thumbs, and, in an assistant thread, the thread's title. Through the real app."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.assessment import Assessment
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import readable
from bot.parse import parse
from bot.slack import answer_card, blocks
from bot.slack.listeners.actions import NOT_YOURS
from bot.wording import HEADLINES
from tests.fakes.slack_api import RESPONSE_METHOD, FakeSlack
from tests.slack.harness import TEAM, Bot, answered, log_decision, posted_cards, wait_until

PII = "we push about 2M tokens a day through gpt-5.4-mini for support tickets; the tickets contain customer PII"
QUESTIONS = [
    PII + " and nobody here runs servers",
    "about 200k requests a day on llama3.1:8b for ticket triage, 2 SREs run our servers",
    "We have two idle RTX 4090s: 50k requests a day on llama3.1:8b, 800 tokens in and 200 out, 2 SREs",
    "5k requests a day through gpt-4o, the documents are public",
]


def card_text(card: list[dict[str, Any]]) -> str:
    return json.dumps(card, ensure_ascii=False)


def section(card: list[dict[str, Any]], title: str) -> str:
    found = [b["text"]["text"] for b in card if b["type"] == "section" and b["text"]["text"].startswith(title)]
    assert len(found) == 1, f"no single section {title!r}"
    return found[0]


def logged(bot: Bot, decision_id: str) -> Assessment:
    assessment = bot.log.get(decision_id).assessment
    assert assessment is not None
    return assessment


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_card_shows_what_was_read_and_what_would_change_it(question: str, bot: Bot, slack: FakeSlack) -> None:
    decision_id, _ = answered(bot, slack, question)
    card = posted_cards(slack)[-1].params["blocks"]
    a = logged(bot, decision_id)
    read = [b["elements"][0]["text"] for b in card if b["type"] == "context"]
    read_line = next(text for text in read if text.startswith("Read from your message"))
    stated = [(name, f) for name, f in a.workload.items() if f.how == "stated" and f.span]
    assert stated, "every question here states something"
    for name, field in stated[: answer_card.MAX_READ]:
        assert f"{name.replace('_', ' ')} {readable(field.value)} (“{field.span}”)" in read_line
    if a.flips_if:
        flips = section(card, "*What would change the answer*")
        assert all(flip.text in flips for flip in a.flips_if[: answer_card.MAX_FLIPS])
    else:
        assert "What would change the answer" not in card_text(card)


@pytest.mark.parametrize("question", QUESTIONS)
def test_findings_cut_from_the_card_are_counted(question: str, bot: Bot, slack: FakeSlack) -> None:
    decision_id, _ = answered(bot, slack, question)
    why = section(posted_cards(slack)[-1].params["blocks"], "*Why*")
    findings = logged(bot, decision_id).findings
    shown = [f for f in findings if f.summary in why]
    assert shown == findings[: answer_card.MAX_FINDINGS]
    more = len(findings) - answer_card.MAX_FINDINGS
    assert re.findall(r"_\+(\d+) more_", why) == ([str(more)] if more > 0 else [])


@pytest.mark.parametrize("kept", [0, 1, answer_card.MAX_FINDINGS, answer_card.MAX_FINDINGS + 1])
def test_more_is_said_only_when_something_was_cut(kept: int, kb: KnowledgeBase) -> None:
    full = assess(parse(QUESTIONS[0], kb).workload, kb)
    findings = (full.findings * 2)[:kept]
    card = answer_card.card(full.model_copy(update={"findings": findings, "flips_if": full.flips_if * 3}), "01ID")
    why = section(card, "*Why*")
    assert ("_+1 more_" in why) == (kept == answer_card.MAX_FINDINGS + 1)
    assert "more_" not in why or kept > answer_card.MAX_FINDINGS
    flips = section(card, "*What would change the answer*")
    assert f"_+{len(full.flips_if) * 3 - answer_card.MAX_FLIPS} more_" in flips


def test_peoples_words_on_the_card_cannot_ping_or_link(kb: KnowledgeBase) -> None:
    full = assess(parse(QUESTIONS[1], kb).workload, kb)
    name, field = next((n, f) for n, f in full.workload.items() if f.how == "stated" and f.span)
    tampered = {**full.workload, name: field.model_copy(update={"span": "<!channel> <https://evil.example|here>"})}
    read = card_text(answer_card.card(full.model_copy(update={"workload": tampered}), "01ID"))
    assert "<!channel>" not in read and "<https://evil" not in read
    assert "&lt;!channel&gt;" in read


def native_feedback(card: list[dict[str, Any]]) -> dict[str, Any]:
    (block,) = [b for b in card if b["type"] == "context_actions"]
    (element,) = block["elements"]
    assert element["type"] == "feedback_buttons" and element["action_id"] == blocks.ACTION_FEEDBACK
    return element


def test_slacks_feedback_buttons_record_feedback(bot: Bot, slack: FakeSlack) -> None:
    decision_id, ts = answered(bot, slack)
    buttons = native_feedback(posted_cards(slack)[-1].params["blocks"])
    up, down = buttons["positive_button"]["value"], buttons["negative_button"]["value"]
    assert decision_id in up and decision_id in down and up != down
    bot.click(blocks.ACTION_FEEDBACK, up, thread_ts=ts, element="feedback_buttons")
    bot.click(blocks.ACTION_FEEDBACK, down, user="U2", thread_ts=ts, element="feedback_buttons")
    bot.click(blocks.ACTION_FEEDBACK, down, user="U3", thread_ts=ts, element="feedback_buttons")
    slack.wait_for("chat.postEphemeral", count=3)
    assert wait_until(lambda: bot.log.stats()["feedback"] == {"helpful": 1, "not_helpful": 2})


@pytest.mark.parametrize(
    "value", ["", "helpful", "helpful:", "maybe:{id}", "{id}", "helpful:{theirs}", "helpful:{short}"]
)
def test_feedback_that_names_nothing_of_ours_does_nothing(
    value: str, bot: Bot, slack: FakeSlack, kb: KnowledgeBase
) -> None:
    decision_id, ts = answered(bot, slack)
    theirs = log_decision(bot.log, kb, "another workspace's plan", team="T2", channel="C1", user="U5")
    forged = value.format(id=decision_id, theirs=theirs, short=decision_id[:10])
    bot.click(blocks.ACTION_FEEDBACK, forged, thread_ts=ts, element="feedback_buttons")
    assert wait_until(lambda: [c for c in slack.calls_to(RESPONSE_METHOD) if c.params.get("text") == NOT_YOURS])
    assert bot.log.stats()["feedback"] == {}


def test_a_shared_estimate_carries_the_feedback_buttons_too(bot: Bot, slack: FakeSlack) -> None:
    decision_id = bot.command(QUESTIONS[1]).json()["blocks"][-1]["elements"][0]["value"]
    bot.click(blocks.ACTION_SHARE, decision_id)
    shared = slack.wait_for("chat.postMessage")[0].params["blocks"]
    assert decision_id in native_feedback(shared)["positive_button"]["value"]


def assistant_message(bot: Bot, text: str, thread_ts: str) -> None:
    """A message in the app's Messages tab, in the assistant thread `thread_ts`."""
    bot.message(text, channel="D1", thread_ts=thread_ts, channel_type="im")


def test_an_assistant_thread_is_titled_by_its_first_answer(bot: Bot, slack: FakeSlack) -> None:
    assistant_message(bot, QUESTIONS[0], thread_ts="1700000000.000100")
    (title,) = slack.wait_for("assistant.threads.setTitle")
    slack.wait_for("chat.stopStream")
    decision = wait_until(lambda: bot.log.in_thread(TEAM, "D1", "1700000000.000100"))
    assert title.params["channel_id"] == "D1" and title.params["thread_ts"] == "1700000000.000100"
    assert title.params["title"].startswith(HEADLINES[decision.verdict] + ": we push about 2M tokens")
    assert len(title.params["title"]) <= answer_card.MAX_TITLE

    assistant_message(bot, "what if we double it?", thread_ts="1700000000.000100")
    slack.wait_for("chat.stopStream", count=2)
    assert len(slack.calls_to("assistant.threads.setTitle")) == 1, "a follow-up keeps the thread's title"


def test_answers_outside_assistant_threads_set_no_title(bot: Bot, slack: FakeSlack) -> None:
    answered(bot, slack, QUESTIONS[1])
    bot.message(QUESTIONS[2], channel="D1", channel_type="im")  # a DM, not in a thread
    slack.wait_for("chat.stopStream", count=2)
    assert slack.calls_to("assistant.threads.setTitle") == []


def test_a_title_slack_refuses_costs_nothing(bot: Bot, slack: FakeSlack) -> None:
    slack.respond("assistant.threads.setTitle", {"ok": False, "error": "invalid_thread"})
    assistant_message(bot, QUESTIONS[3], thread_ts="1700000000.000200")
    slack.wait_for("chat.stopStream")
    assert posted_cards(slack) and wait_until(lambda: bot.log.in_thread(TEAM, "D1", "1700000000.000200"))


@pytest.mark.parametrize(
    ("verdict", "question"),
    [("local", "short"), ("cloud", "a b " * 100), ("hybrid", "x" * 300), ("need-more-info", "  spaced\n\tout  ")],
)
def test_titles_are_short_and_on_one_line(verdict: str, question: str, kb: KnowledgeBase) -> None:
    a = assess(parse(QUESTIONS[0], kb).workload, kb).model_copy(update={"verdict": verdict})
    title = answer_card.thread_title(a, question)
    assert title.startswith(HEADLINES[verdict]) and len(title) <= answer_card.MAX_TITLE and "\n" not in title


def test_what_was_read_is_shown_in_the_answers_currency(kb: KnowledgeBase) -> None:
    """A team that writes its prices in euros reads them back in euros on the card, not as converted dollars."""
    from bot.answer import Question, answer

    result = answer(
        Question("we pay €80/h for engineers, 20k requests a day on llama3.1:8b"),
        kb,
        None,
        read_with_model=False,
        write_with_model=False,
    )
    read = next(
        b["elements"][0]["text"]
        for b in answer_card.card(result.shown, "01TEST")
        if b["type"] == "context" and b["elements"][0]["text"].startswith("Read from your message")
    )
    assert "engineer hourly €80.00 (“€80/h”)" in read
    assert "usd" not in read and "$" not in read
