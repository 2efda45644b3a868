"""What the listeners share: settings, knowledge, the log, the events already being handled, the answer pool
and the chart queue."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

from slack_bolt import BoltContext

from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.slack.workers import AnswerWorkers

REMEMBERED_EVENTS = 10_000
MAX_CHARTS_WAITING = 8
CHART_QUIET_S = 0.5
CHART_HOLD_S = 30.0
"""Past this many answers' charts waiting to be drawn, a burst's later answers go without (with a note)."""


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
class ChartQueue:
    """Answers' charts, drawn and uploaded one at a time apart from the answers: drawing takes a
    tenth of a second or more, which a burst of answers should not wait behind."""

    _worker: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")
    )
    before: Callable[[], None] = lambda: None
    """Run before each chart: the answer pool's hold-off, so drawing yields to a burst's acknowledgements."""
    _waiting: int = 0
    _stopped: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, job: Callable[[], None]) -> bool:
        """Queue `job`; False, doing nothing, when too many are waiting already. Once the bot is stopping
        the job is dropped quietly: the answer it would illustrate is already there."""
        with self._lock:
            if self._stopped:
                return True
            if self._waiting >= MAX_CHARTS_WAITING:
                return False
            self._waiting += 1
            self._worker.submit(self._run, job)
        return True

    def stop(self, *, finish: bool = False) -> None:
        """Take no more charts; `finish` waits for those queued, else they are dropped (on a stop the
        answers' grace goes to their words, not pictures)."""
        with self._lock:
            self._stopped = True
        self._worker.shutdown(wait=finish, cancel_futures=not finish)

    def _run(self, job: Callable[[], None]) -> None:
        try:
            self.before()
            job()
        finally:
            with self._lock:
                self._waiting -= 1


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    log: DecisionLog
    seen: SeenEvents = field(default_factory=SeenEvents)
    charts: ChartQueue = field(default_factory=ChartQueue)
    answers: AnswerWorkers = field(init=False)

    def __post_init__(self) -> None:
        self.answers = AnswerWorkers(self.settings.answer_workers, self.settings.answer_queue)
        # A chart is a picture beside an answer already given: it waits for a lull of its own, a longer one
        # than an answer does, since drawing holds the interpreter for a tenth of a second at a time.
        self.charts.before = lambda: self.answers.hold_off(CHART_QUIET_S, CHART_HOLD_S)

    def stop(self, grace_s: float) -> None:
        """On SIGTERM: answers under way get `grace_s` to finish (or an apology); charts not drawn are dropped."""
        self.charts.stop()
        self.answers.stop(grace_s)


SERVICES = "localcheck_services"
"""Where each request's context carries the services (bot.slack.listeners.register puts them there)."""


def services_of(context: BoltContext) -> Services:
    """The bot's services, as a listener reaches them: through Bolt's context, like `client` or `team_id`."""
    return cast(Services, context[SERVICES])
