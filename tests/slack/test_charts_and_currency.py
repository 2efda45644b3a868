"""In Slack: the cost chart and the tornado reach the answer's thread after the card (through the three
calls files_upload_v2 makes), a refused upload costs a note, and a euro team reads euros."""

from __future__ import annotations

import json
import re

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.slack import blocks
from tests.fakes.slack_api import UPLOAD_METHOD, FakeSlack
from tests.slack.harness import TEAM, Bot, answered, posted_cards, wait_until
from tests.slack.test_team_defaults import save_defaults

QUESTION = "2M requests a day on llama3.1:8b; the data is personal and must stay in the EU; we have 2 SREs"
DOLLARS = re.compile(r"(?<![A-Za-z])\$\d")
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_charts_arrive_in_the_answers_thread_after_the_card(bot: Bot, slack: FakeSlack) -> None:
    _, ts = answered(bot, slack, QUESTION)
    completed = slack.wait_for("files.completeUploadExternal", timeout=20)[0]
    calls = [c.method for c in slack.calls]
    card = next(i for i, c in enumerate(slack.calls) if c.method == "chat.postMessage" and c.params.get("blocks"))
    asked = [i for i, method in enumerate(calls) if method == "files.getUploadURLExternal"]
    sent = [i for i, method in enumerate(calls) if method == UPLOAD_METHOD]
    assert len(asked) == len(sent) == 2
    assert card < min(asked) and max(asked) < min(sent) and max(sent) < calls.index("files.completeUploadExternal")
    assert completed.params["channel_id"] == "C1" and completed.params["thread_ts"] == ts
    names = [c.params["filename"] for c in slack.calls_to("files.getUploadURLExternal")]
    assert names == ["costs.png", "costs-tornado.png"]
    shared = [f["id"] for f in completed.params["files"]]
    assert all(slack.uploaded[file_id].startswith(PNG) for file_id in shared)
    assert [f["title"] for f in completed.params["files"]] == [
        "What each way of serving it costs",
        "Where the verdict holds",
    ]


def test_a_refused_upload_costs_a_note_in_the_thread_not_the_answer(bot: Bot, slack: FakeSlack) -> None:
    slack.respond("files.getUploadURLExternal", {"ok": False, "error": "missing_scope"})
    _, ts = answered(bot, slack, QUESTION)
    note = wait_until(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "No cost chart" in str(c.params.get("text"))]
    )
    assert note and note[0].params["thread_ts"] == ts and "files:write" in note[0].params["text"]
    assert posted_cards(slack) and not slack.calls_to("files.completeUploadExternal")


def test_the_card_shows_what_the_verdict_hinges_on(bot: Bot, slack: FakeSlack) -> None:
    answered(bot, slack, QUESTION)
    card = json.dumps(posted_cards(slack)[0].params["blocks"])
    assert "What the verdict hinges on" in card and "volume: holds from" in card


def test_a_euro_team_reads_euros_on_the_card_and_in_the_written_answer(bot: Bot, slack: FakeSlack) -> None:
    bot.log.db.table("team_defaults").insert({"team_id": TEAM, "currency": "EUR", "updated_by": "U1"})
    bot.log.db.conn.commit()
    decision_id, _ = answered(bot, slack, QUESTION)
    card = posted_cards(slack)[0].params
    shown = json.dumps(card["blocks"], ensure_ascii=False)
    assert "€" in card["text"] and "€" in shown and not DOLLARS.search(shown)
    assert "Amounts in EUR at 1.0824 USD per EUR" in shown
    written = slack.stream_text()
    assert "€" in written and not DOLLARS.search(written)
    logged = bot.log.get(decision_id)
    assert logged.assessment is not None and logged.assessment.shown_in is None  # the log keeps US dollars
    assert wait_until(lambda: bot.log.get(decision_id).recommendation) == written


def test_a_slash_estimate_for_a_pound_team_is_in_pounds(bot: Bot, slack: FakeSlack) -> None:
    bot.log.db.table("team_defaults").insert({"team_id": TEAM, "currency": "GBP", "updated_by": "U1"})
    bot.log.db.conn.commit()
    estimate = bot.command(QUESTION).json()
    shown = json.dumps(estimate["blocks"], ensure_ascii=False)
    assert "£" in shown and not DOLLARS.search(shown) and blocks.ACTION_SHARE in shown
    assert "What the verdict hinges on" in shown
    decision_id = estimate["blocks"][-1]["elements"][0]["value"]
    bot.click(blocks.ACTION_SHARE, decision_id, user="U1", channel="C1")
    shared = slack.wait_for("chat.stopStream")
    card = json.dumps(posted_cards(slack)[-1].params["blocks"], ensure_ascii=False)
    assert "£" in card and not DOLLARS.search(card) and "Shared by" in card
    assert shared and "£" in slack.stream_text() and not DOLLARS.search(slack.stream_text())


def test_app_home_offers_every_currency_with_a_rate_and_a_franc_team_is_answered_in_francs(
    bot: Bot, slack: FakeSlack, kb: KnowledgeBase
) -> None:
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
    select = next(b for b in form["blocks"] if b["block_id"] == "currency")["element"]
    assert [o["value"] for o in select["options"]] == list(kb.currencies)
    assert save_defaults(bot, electricity_price="0.35", currency="CHF") == {}
    decision_id, _ = answered(bot, slack, QUESTION)
    workload = bot.log.get(decision_id).workload
    assert workload is not None
    assert workload.electricity_usd_per_kwh == pytest.approx(0.35 * kb.currencies["CHF"].usd_per_unit)
    shown = json.dumps(posted_cards(slack)[0].params["blocks"], ensure_ascii=False)
    assert "CHF " in shown and "electricity per kwh CHF 0.35" in shown and not DOLLARS.search(shown)


def test_a_stored_currency_without_a_rate_is_set_aside_with_its_prices(bot: Bot, slack: FakeSlack) -> None:
    bot.log.db.table("team_defaults").insert({"team_id": TEAM, "currency": "XAU", "engineer_hourly_cost": 90.0})
    bot.log.db.conn.commit()
    decision_id, _ = answered(bot, slack, QUESTION)
    card = json.dumps(posted_cards(slack)[0].params["blocks"])
    assert "currency (XAU) was set aside" in card and "its currency is not one we know" in card
    workload = bot.log.get(decision_id).workload
    assert workload is not None and workload.engineer_hourly_usd is None


def test_charts_wait_in_a_bounded_queue_apart_from_the_answers() -> None:
    """A burst's charts are drawn one at a time, and past a few waiting the later answers go without."""
    import threading

    from bot.slack.services import MAX_CHARTS_WAITING, ChartQueue

    queue, release, done = ChartQueue(), threading.Event(), []
    accepted = [queue.submit(lambda: (release.wait(5), done.append(1))) for _ in range(MAX_CHARTS_WAITING + 3)]
    assert accepted == [True] * MAX_CHARTS_WAITING + [False] * 3
    release.set()
    assert wait_until(lambda: len(done) == MAX_CHARTS_WAITING)
    assert queue.submit(lambda: done.append(1))


def test_a_chart_asked_for_after_a_stop_is_dropped_without_failing_its_answer() -> None:
    """SIGTERM can land between an answer's last words and its charts: the answer still ends well."""
    from bot.slack.services import ChartQueue

    queue, done = ChartQueue(), []
    queue.stop()
    assert queue.submit(lambda: done.append(1))
    assert done == []
