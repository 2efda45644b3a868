"""Decisions that age, in the open: re-checked on a schedule, and said in their own thread when they moved.

Each Slack thread's latest decision is re-assessed against today's knowledge
base and prices (`bot.revisit`). When its verdict flips or a cost
moves past the threshold, the thread is told what moved and why, once: what was
posted is kept in `revisit_posts`, and a decision is posted about again only
when it moved past the threshold since that post.

Posting takes a `client_for(team_id)`: the app's client with one bot token, or
the workspace's own once each install keeps its token.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.assessment import Assessment
from bot.decisions.connection import writing
from bot.decisions.problems import LogUnavailable, reading
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import PricesNotRefreshed, price_data_version, refresh_prices
from bot.revisit import causes, reassessed, what_moved
from bot.settings import Settings
from bot.wording import HEADLINES
from bot.workload import Workload

logger = logging.getLogger(__name__)
FIRST_ROUND_AFTER_S = 300.0
"""Long enough for a starting bot to answer first; short enough that every deploy re-checks."""
ClientFor = Callable[[str | None], WebClient | None]
"""The client that speaks for a workspace; None when the app is no longer installed there."""
"""The Web API client that may post in a workspace, by its team id (None for a log without one)."""
THREADS = (
    "select id, slack_team, slack_channel, coalesce(slack_thread, (select message_ts from slack_shares "
    "where decision_id = decisions.id order by shared_at desc limit 1)) thread from decisions "
    "where slack_channel is not null order by id"
)
"""Every decision answered in a Slack thread (a shared quick estimate's thread is the shared message)."""


@dataclass(frozen=True)
class Posted:
    decision_id: str
    channel: str
    thread: str
    text: str


def recheck_threads(
    log: DecisionLog, kb: KnowledgeBase, client_for: ClientFor, *, threshold: float = 0.2
) -> list[Posted]:
    """Post into each thread whose latest decision moved since it was answered (or last posted about)."""
    posted = []
    for decision_id, (team, channel, thread) in _latest_in_each_thread(log).items():
        row = next(iter(log.db.query("select * from decisions where id = ?", [decision_id])), None)
        if row is None:  # purged meanwhile
            continue
        said = _what_to_say(log, row, kb, threshold)
        if said is None:
            continue
        text, now = said
        client = client_for(team)
        if client is None:  # uninstalled there: nobody to tell, and nothing recorded, so a reinstall hears it
            continue
        try:
            message = client.chat_postMessage(channel=channel, thread_ts=thread, text=text)
        except SlackApiError as error:
            logger.warning("could not post the re-check of %s: %s", decision_id, error.response.get("error"))
            continue
        _record(log, decision_id, text, now, channel, thread, str(message.get("ts") or ""))
        posted.append(Posted(decision_id, channel, thread, text))
    return posted


def _latest_in_each_thread(log: DecisionLog) -> dict[str, tuple[str | None, str, str]]:
    """The decision a thread stands at now, by its id: a reply refines the answer before it."""
    latest: dict[tuple[str | None, str, str], str] = {}
    for row in log.db.query(THREADS):
        if row["thread"]:
            latest[(row["slack_team"], row["slack_channel"], row["thread"])] = row["id"]
    return {decision_id: where for where, decision_id in latest.items()}


def _what_to_say(
    log: DecisionLog, row: dict[str, Any], kb: KnowledgeBase, threshold: float
) -> tuple[str, Assessment] | None:
    """The post for a decision that moved and its re-assessment, or None when it holds (or has held since
    what was last posted)."""
    try:
        with reading(log.path, row):
            before = Assessment.model_validate_json(row["assessment"])
            workload = Workload.model_validate_json(row["workload"])
    except LogUnavailable as error:  # one damaged row: the other threads are still re-checked
        logger.warning("skipped in the re-check: %s", error)
        return None
    try:
        now = reassessed(workload, kb)
    except (LookupError, ValueError) as error:  # a model or hardware since removed: nothing to compare
        logger.info("cannot re-check %s: %s", row["id"], error)
        return None
    moved = what_moved(before, now, threshold)
    said = _last_posted(log, row["id"])
    if said is None:
        return (post_text(before, now, moved, causes(before, now, threshold)), now) if moved else None
    since = what_moved(said, now, threshold)
    if not since:
        return None  # already said, and nothing moved since
    if moved:
        return post_text(before, now, moved, causes(before, now, threshold)), now
    return post_text(said, now, since, causes(said, now, threshold), holds_again=True), now


def post_text(
    before: Assessment, now: Assessment, moved: list[str], why: tuple[str, ...], *, holds_again: bool = False
) -> str:
    """The thread's news: the verdict now, what moved beneath it, and the prices and knowledge it was checked with."""
    if holds_again:
        lead = f"*This answer holds again* since the last re-check: *{HEADLINES[now.verdict]}*."
    elif before.verdict != now.verdict:
        lead = f"*This answer has changed.* Asked today it would say: *{HEADLINES[now.verdict]}* "
        lead += f"(it said: {HEADLINES[before.verdict].lower()})."
    else:
        lead = f"*The costs behind this answer have moved.* It still says: *{HEADLINES[now.verdict]}*."
    lines = [lead]
    if why:
        lines.append("What moved: " + ", ".join(why) + ".")
    lines += [f"• {line}" for line in moved]
    lines.append(
        f"_Re-checked {datetime.now(UTC):%Y-%m-%d} with knowledge base {now.knowledge_version}; "
        f"prices from {now.prices}._"
    )
    return "\n".join(lines)


def _last_posted(log: DecisionLog, decision_id: str) -> Assessment | None:
    rows = log.db.query(
        "select assessment from revisit_posts where decision_id = ? order by posted_at desc limit 1", [decision_id]
    )
    row = next(iter(rows), None)
    return None if row is None else Assessment.model_validate_json(row["assessment"])


def _record(
    log: DecisionLog, decision_id: str, text: str, now: Assessment, channel: str, thread: str, message_ts: str
) -> None:
    """What was posted, so the same change is not posted again; a log that cannot take it costs a repeat."""
    try:
        with writing(log.db):
            log.db.table("revisit_posts").insert(
                {
                    "decision_id": decision_id,
                    "posted_at": datetime.now(UTC).isoformat(timespec="microseconds"),
                    "verdict": now.verdict,
                    "text": text,
                    "assessment": now.model_dump_json(),
                    "channel": channel,
                    "thread": thread,
                    "message_ts": message_ts,
                }
            )
    except sqlite3.Error as error:
        logger.warning(
            "posted the re-check of %s but could not record it (%s): it may be posted again", decision_id, error
        )


def start_rechecks(
    settings: Settings, log: DecisionLog, kb: KnowledgeBase, client_for: ClientFor
) -> threading.Event | None:
    """Re-check every `settings.recheck_hours` in a background thread; returns the event that stops it, or
    None when re-checking is off.

    The first round comes a few minutes after start, not a whole period: a bot redeployed more often than
    that would otherwise never re-check. Posting once per change makes an extra round harmless.
    """
    if not settings.recheck_hours:
        return None
    stop = threading.Event()
    period_s = settings.recheck_hours * 3600

    def run() -> None:
        wait_s = min(period_s, FIRST_ROUND_AFTER_S)
        while not stop.wait(wait_s):
            recheck_once(settings, log, kb, client_for)
            wait_s = period_s

    threading.Thread(target=run, daemon=True, name="localcheck-recheck").start()
    logger.info("re-checking the logged decisions every %g hour(s)", settings.recheck_hours)
    return stop


def recheck_once(settings: Settings, log: DecisionLog, kb: KnowledgeBase, client_for: ClientFor) -> list[Posted]:
    """One scheduled round: the newest prices first when asked for, then every thread; never raises."""
    if settings.refresh_prices:
        try:
            logger.info("prices: %s", refresh_prices(settings.prices_url))
        except PricesNotRefreshed as error:
            logger.warning("%s; re-checking with %s", error, price_data_version())
    try:
        posted = recheck_threads(log, kb, client_for, threshold=settings.recheck_threshold)
    except Exception:  # a round that fails is logged and the next one tries again; the bot keeps answering
        logger.exception("the re-check of the logged decisions failed")
        return []
    logger.info("re-checked the logged decisions: %d thread(s) told of a change", len(posted))
    return posted
