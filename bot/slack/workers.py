"""The answers' own bounded pool, apart from Bolt's listeners, so an acknowledgement never waits on a model.

Bolt runs listeners (and lazy listeners) on one executor, and a slash command or a button is acknowledged
only once its listener starts there: answers that hold a model call for seconds would starve them. So a
listener hands the answer to this pool and returns; a full queue is told "busy" in the thread at once, and
when the server stops, answers not finished within the grace are apologised for in their threads. Its
threads are daemons: one stuck on a model that never replies cannot keep the process from exiting.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)
SORRY = "Sorry, something went wrong answering that. It has been logged; please try again in a moment."
BUSY = "I'm answering a lot of questions right now: busy, try again in a minute."
QUIET_S = 0.02
"""An answer starts once no request has arrived for this long: in one process, answers and acknowledgements
share the interpreter, and a burst of Slack's deliveries is acknowledged first."""
MAX_HOLD_S = 2.0
"""...but waits no longer than this for the quiet, so steady traffic never stalls answers."""
STOPPED = "Sorry, I was restarted before I could finish answering this; please ask again in a minute."


@dataclass(frozen=True)
class Job:
    work: Callable[[], object]
    tell: Callable[[str], object]
    """Posts a line into the question's thread: the apology when the work fails or is cut short."""


class AnswerWorkers:
    def __init__(self, threads: int, queued: int) -> None:
        self._threads = threads
        self._queue: queue.Queue[Job] = queue.Queue(maxsize=queued)
        self._lock = threading.Condition()
        self._running: set[Job] = set()
        self._unfinished = 0
        self._last_request = 0.0
        self._started = False
        self._stopped = False

    def submit(self, work: Callable[[], object], tell: Callable[[str], object]) -> bool:
        """Queue `work`; False when the queue is full or the server is stopping (the caller says busy)."""
        with self._lock:
            if self._stopped:
                return False
            if not self._started:  # threads only once there is work: most Services never answer in Slack
                self._started = True
                for number in range(self._threads):
                    threading.Thread(target=self._serve, name=f"localcheck-answer-{number}", daemon=True).start()
            try:
                self._queue.put_nowait(Job(work, tell))
            except queue.Full:
                return False
            self._unfinished += 1
        return True

    def request_arrived(self) -> None:
        """A request came in: answers about to start hold off (QUIET_S, at most MAX_HOLD_S) to leave it the CPU."""
        self._last_request = time.monotonic()

    def hold_off(self, quiet_s: float = QUIET_S, longest_s: float = MAX_HOLD_S) -> None:
        """Wait until no request has come for `quiet_s` (at most `longest_s`): work that only shares the
        CPU lets the acknowledgements go first."""
        until = time.monotonic() + longest_s
        while (since := time.monotonic() - self._last_request) < quiet_s and time.monotonic() < until:
            time.sleep(quiet_s - since)

    def _serve(self) -> None:
        while True:
            job = self._queue.get()
            with self._lock:
                stopped = self._stopped
                self._running.add(job)
            try:
                if stopped:  # taken from the queue after the grace: not started, so handed back
                    _tell(job, STOPPED)
                else:
                    self.hold_off()
                    job.work()
            except Exception:
                logger.exception("an answer failed")
                _tell(job, SORRY)
            finally:
                with self._lock:
                    self._running.discard(job)
                    self._unfinished -= 1
                    self._lock.notify_all()

    def stop(self, grace_s: float) -> int:
        """Wait up to `grace_s` for the answers under way and queued (the server has stopped taking requests),
        then take no more and apologise in the thread of each one not finished. Returns how many."""
        with self._lock:
            self._lock.wait_for(lambda: self._unfinished == 0, max(0.0, grace_s))
            self._stopped = True
            cut_short = list(self._running)
        while True:
            try:
                cut_short.append(self._queue.get_nowait())
            except queue.Empty:
                break
        for job in cut_short:
            _tell(job, STOPPED)
        if cut_short:
            logger.warning("stopped with %d answer(s) unfinished after %.0f s; apologised for", len(cut_short), grace_s)
        return len(cut_short)


def _tell(job: Job, text: str) -> None:
    try:
        job.tell(text)
    except Exception:
        logger.exception("could not tell the user")
