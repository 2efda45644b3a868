"""What the listeners share: settings, knowledge, the log, the events already being handled, the answer pool."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.slack.workers import AnswerWorkers

REMEMBERED_EVENTS = 10_000


@dataclass
class SeenEvents:
    """Event ids this process has started on, so a retried delivery is not answered twice.

    The decision log's unique event id catches retries across restarts; this
    catches the retry that arrives while the first delivery is still working.
    """

    _ids: OrderedDict[str, None] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def first_time(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > REMEMBERED_EVENTS:
                self._ids.popitem(last=False)
            return True


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    log: DecisionLog
    seen: SeenEvents = field(default_factory=SeenEvents)
    answers: AnswerWorkers = field(init=False)

    def __post_init__(self) -> None:
        self.answers = AnswerWorkers(self.settings.answer_workers, self.settings.answer_queue)
