"""Decisions that age: re-checked against a changed knowledge base, posted once into their own thread."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from genai_prices import data_snapshot
from slack_sdk import WebClient

from bot.check.assess import assess
from bot.decisions.records import SlackOrigin
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.prices import PricesNotRefreshed, _forget_prices, price_data_version, refresh_prices
from bot.parse import parse
from bot.settings import Settings
from bot.slack.aging import recheck_once, recheck_threads, start_rechecks
from tests.conftest import REPO
from tests.fakes.http import FakeHandler, ThreadedHTTPFake, keep_traffic_local
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import Bot, answered

BOUGHT = "20M tokens a day on llama3.3:70b, 2 SREs run our servers, the data stays in our AWS account"
"""Bought hardware wins while it is cheap; the data may go to rented GPUs in the team's account, not to an API."""
HELD = "3000 requests a day on gpt-4o-mini, public data only"
"""An API answer no hardware price touches."""


@pytest.fixture
def dearer_hardware(tmp_path: Path) -> KnowledgeBase:
    """A copy of knowledge/ where every device costs 20 times as much to buy."""
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    hardware = root / "hardware.yaml"
    hardware.write_text(
        re.sub(r"purchase_usd: (\d+)", lambda m: f"purchase_usd: {int(m.group(1)) * 20}", hardware.read_text())
    )
    return load_knowledge(root)


@pytest.fixture
def client(slack: FakeSlack) -> Iterator[WebClient]:
    yield WebClient(token="xoxb-test", base_url=slack.url + "/api/")


def logged(log: DecisionLog, kb: KnowledgeBase, question: str, **slack: str) -> str:
    workload = parse(question, kb).workload
    origin = SlackOrigin(team="T1", user="U1", public=True, **slack) if slack else None
    return log.record(
        question=question, workload=workload, assessment=assess(workload, kb), source="mention", slack=origin
    )


def posts(slack: FakeSlack) -> list[dict[str, str]]:
    return [call.params for call in slack.calls_to("chat.postMessage")]


def test_a_flipped_verdict_is_posted_once_into_its_thread(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    flipped = logged(log, kb, BOUGHT, channel="C1", thread="1700000000.000100")
    logged(log, kb, HELD, channel="C2", thread="1700000000.000200")
    logged(log, kb, BOUGHT)  # from the CLI: no thread to post in
    teams: list[str | None] = []

    def client_for(team: str | None) -> WebClient:
        teams.append(team)
        return client

    done = recheck_threads(log, dearer_hardware, client_for)
    assert [p.decision_id for p in done] == [flipped]
    [post] = posts(slack)
    assert post["channel"] == "C1" and post["thread_ts"] == "1700000000.000100"
    text = post["text"]
    assert "Rent GPUs and run it yourself" in text and "run it locally" in text
    assert "What moved: hardware prices, the knowledge base." in text
    assert "verdict local -> rent" in text and "(+" in text
    assert f"prices from {assess(parse(HELD, kb).workload, kb).prices}" in text
    assert teams == ["T1"], "the workspace's own client posts"

    assert recheck_threads(log, dearer_hardware, client_for) == []
    assert len(posts(slack)) == 1, "the same change is not posted twice"
    [recorded] = log.db.query("select * from revisit_posts")
    assert recorded["decision_id"] == flipped and recorded["verdict"] == "rent" and recorded["message_ts"]


def test_decisions_that_held_are_not_posted_about(
    tmp_path: Path, kb: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    logged(log, kb, HELD, channel="C1", thread="2.0")
    assert recheck_threads(log, kb, lambda team: client) == []
    assert posts(slack) == []


def test_only_the_decision_a_thread_stands_at_is_rechecked(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    refined = logged(log, kb, BOUGHT.replace("20M", "25M"), channel="C1", thread="1.0")
    assert [p.decision_id for p in recheck_threads(log, dearer_hardware, lambda team: client)] == [refined]
    assert len(posts(slack)) == 1


def test_a_post_slack_refuses_is_tried_again_next_time(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    slack.respond("chat.postMessage", {"ok": False, "error": "not_in_channel"})
    assert recheck_threads(log, dearer_hardware, lambda team: client) == []
    assert list(log.db.query("select * from revisit_posts")) == []
    slack.respond("chat.postMessage", {"ok": True, "ts": "9.0", "channel": "C1"})
    assert len(recheck_threads(log, dearer_hardware, lambda team: client)) == 1


def test_a_further_move_after_a_post_is_posted_again(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    assert len(recheck_threads(log, dearer_hardware, lambda team: client)) == 1
    # back to today's prices: the answer as given holds again, which the thread last heard otherwise
    again = recheck_threads(log, kb, lambda team: client)
    assert len(again) == 1 and "*This answer holds again* since the last re-check: *Run it locally*" in again[0].text
    assert recheck_threads(log, kb, lambda team: client) == []


def test_the_schedule_runs_in_the_background_and_is_off_at_zero(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    assert start_rechecks(Settings(recheck_hours=0), log, dearer_hardware, lambda team: client) is None
    stop = start_rechecks(Settings(recheck_hours=0.2 / 3600), log, dearer_hardware, lambda team: client)
    assert stop is not None
    try:
        slack.wait_for("chat.postMessage", timeout=30)
        time.sleep(0.6)  # a few more rounds
    finally:
        stop.set()
    assert len(posts(slack)) == 1


def test_a_price_list_that_cannot_be_fetched_still_rechecks(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    settings = Settings(refresh_prices=True, prices_url=slack.url + "/no-such-list")
    assert len(recheck_once(settings, log, dearer_hardware, lambda team: client)) == 1


class _PriceList(FakeHandler):
    def do_GET(self) -> None:
        self.send_json(200, [])  # a well-formed list (with no providers in it)


class FakePriceList(ThreadedHTTPFake):
    handler_class = _PriceList


def test_a_fetched_price_list_says_where_it_came_from_and_when(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_traffic_local(monkeypatch)
    bundled = price_data_version()
    try:
        with FakePriceList() as prices:
            source = refresh_prices(prices.url + "/data.json")
        assert source.startswith("genai-prices' newest list, fetched 20") and source.endswith(prices.url + "/data.json")
        assert price_data_version().startswith("genai-prices' newest list, fetched")
    finally:
        data_snapshot.set_custom_snapshot(None)
        _forget_prices()
    assert price_data_version() == bundled


def test_a_price_list_that_cannot_be_fetched_leaves_the_prices_as_they_were(slack: FakeSlack) -> None:
    bundled = price_data_version()
    with pytest.raises(PricesNotRefreshed, match=r"could not fetch the newest prices from http://127\.0\.0\.1"):
        refresh_prices(slack.url + "/no-such-list")
    assert price_data_version() == bundled


def test_a_damaged_decision_is_skipped_and_the_others_rechecked(
    tmp_path: Path, kb: KnowledgeBase, dearer_hardware: KnowledgeBase, slack: FakeSlack, client: WebClient
) -> None:
    log = DecisionLog(tmp_path / "decisions.db")
    damaged = logged(log, kb, BOUGHT, channel="C1", thread="1.0")
    flipped = logged(log, kb, BOUGHT, channel="C2", thread="2.0")
    with log.db.conn:
        log.db.execute("update decisions set workload = '{\"requests_per_day\": -1}' where id = ?", [damaged])
    assert [p.decision_id for p in recheck_threads(log, dearer_hardware, lambda team: client)] == [flipped]


def test_a_question_asked_by_mention_is_told_in_its_own_thread(
    bot: Bot, slack: FakeSlack, dearer_hardware: KnowledgeBase, client: WebClient
) -> None:
    decision_id, ts = answered(bot, slack, BOUGHT, channel="C5")
    cards = len(slack.calls_to("chat.postMessage"))
    assert [p.decision_id for p in recheck_threads(bot.log, dearer_hardware, lambda team: client)] == [decision_id]
    post = slack.calls_to("chat.postMessage")[cards].params
    assert post["channel"] == "C5" and post["thread_ts"] == ts and "*This answer has changed.*" in post["text"]
