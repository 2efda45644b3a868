"""Signed requests already handled, so a replay within Slack's five-minute window is answered once."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.decisions.connection import writing
from bot.decisions.store import DecisionLog

logger = logging.getLogger(__name__)
REPLAY_WINDOW_S = 5 * 60
"""Slack's window: a request whose timestamp is further off than this is refused as stale, so older
signatures need not be remembered."""


class SeenRequests:
    """Signatures of the signed requests handled lately.

    A signature is an HMAC of one timestamp and one body that only Slack (holding the signing
    secret) can make, so the same signature twice is the same request twice. Memory catches a
    replay that races the original on another thread; the decision log's `slack_requests` table
    catches one sent after a restart.
    """

    def __init__(self, log: DecisionLog | None, now: Callable[[], float] = time.time) -> None:
        self._log = log
        self._now = now
        self._recent: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, signature: str, timestamp: int, *, remember_across_restarts: bool = True) -> bool:
        """True the first time a signature is seen; every later call with it returns False."""
        oldest = int(self._now()) - REPLAY_WINDOW_S
        with self._lock:
            while self._recent and next(iter(self._recent.values())) < oldest:
                self._recent.popitem(last=False)
            if signature in self._recent:
                return False
            self._recent[signature] = timestamp
        if self._log is None or not remember_across_restarts:
            return True
        return self._first_in_log(signature, timestamp, oldest)

    def _first_in_log(self, signature: str, timestamp: int, oldest: int) -> bool:
        db = self._log.db  # type: ignore[union-attr]
        try:
            with writing(db):
                added = db.execute(
                    "insert or ignore into slack_requests (signature, timestamp) values (?, ?)", [signature, timestamp]
                ).rowcount
                db.execute("delete from slack_requests where timestamp < ?", [oldest])
        except sqlite3.Error as error:
            # Memory still catches replays in this process; a log that cannot be written must not stop answers.
            logger.warning("could not remember a Slack request across restarts: %s", error)
            return True
        return bool(added)
