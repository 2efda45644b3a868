"""Answering in a thread: the computed card within a second, then the recommendation streamed in.

The same flow serves mentions, DMs, the Messages tab, thread follow-ups and
the assumptions modal: the answer path (`bot.answer`: read or refine, with the model's
help and the team's defaults, then check), then log, post the card, stream the words.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.answer import Question
from bot.answer import answer as answer_question
from bot.decisions.measurements import measured_speeds
from bot.decisions.problems import NotLogged
from bot.decisions.records import AskedVia, LoggedDecision, SlackOrigin
from bot.decisions.teams import team_defaults
from bot.slack import answer_card
from bot.slack.services import Services
from bot.slack.visibility import channel_public
from bot.slack.workers import BUSY
from bot.workload import Workload
from bot.write import Delta, Done, Event, Reset, write_events

logger = logging.getLogger(__name__)
NOT_UNDERSTOOD = (
    "I could not find a workload in that. Tell me how much (requests or tokens a day), which model or API, whether "
    'the data may leave, and who runs servers, e.g. _"2M tokens a day through gpt-4o-mini, the data has PII, '
    'nobody here runs servers"_.'
)


@dataclass(frozen=True)
class Where:
    client: WebClient
    team: str | None
    channel: str
    thread_ts: str
    user: str | None
    event_id: str | None = None
    public: bool | None = None
    """Whether the channel is public (see `bot.slack.visibility`); None counts as private."""


def in_background(services: Services, where: Where, work: Callable[[], object]) -> None:
    """Run `work` on the answer pool, off Bolt's listener threads; a full pool says busy in the thread."""

    def tell(text: str) -> None:
        where.client.chat_postMessage(channel=where.channel, thread_ts=where.thread_ts, text=text)

    if not services.answers.submit(work, tell):
        logger.warning("the answer queue is full; told %s to try again", where.channel)
        tell(BUSY)


def answer_later(services: Services, where: Where, **how: Any) -> None:
    """`answer` on the answer pool: the listener returns at once, so Bolt's threads stay free for acks."""
    in_background(services, where, lambda: answer(services, where, **how))


def answer(
    services: Services,
    where: Where,
    *,
    source: AskedVia,
    text: str = "",
    parent: LoggedDecision | None = None,
    workload: Workload | None = None,
    set_status: Any = None,
    say_stream: Any = None,
    set_title: Any = None,
) -> str | None:
    """Answer in `where`'s thread; returns the decision id (None when nothing was understood or logged).

    `set_title` is Bolt's, in an assistant thread: its first answer names the thread.
    """
    started = time.perf_counter()
    _status(set_status, "is checking the numbers…")
    if where.public is None:  # asked here, on the answer's worker, not while Slack's deliveries are acknowledged
        where = dataclasses.replace(where, public=channel_public(where.client, where.channel))
    question = Question(text, previous=parent.workload if parent and workload is None else None, workload=workload)
    profile = team_defaults(services.log, where.team, services.kb) if where.team else None
    measured = measured_speeds(services.log, where.team) if where.team else None
    result = answer_question(
        question, services.kb, services.settings, profile=profile, measured=measured, with_sensitivity=True
    )
    if result.assessment is None:
        where.client.chat_postMessage(channel=where.channel, thread_ts=where.thread_ts, text=NOT_UNDERSTOOD)
        return None
    assessment, shown = result.assessment, result.shown or result.assessment
    decision_id = _log(services, where, source, text, result.workload, assessment, parent, started)
    where.client.chat_postMessage(
        channel=where.channel,
        thread_ts=where.thread_ts,
        text=answer_card.card_text(shown),
        blocks=answer_card.card(shown, decision_id),
    )
    if set_title is not None and parent is None:
        _quietly(set_title, answer_card.thread_title(assessment, text))
    _status(set_status, "is writing it up…")
    written = stream_recommendation(services, where, shown, say_stream, events=result.events)
    if decision_id:
        # A log that cannot take it has said so in the server's log; the user already has the answer.
        with contextlib.suppress(NotLogged):
            services.log.set_written(
                decision_id, recommendation=written.text, writer=written.writer, fallback_reason=written.fallback_reason
            )
    if not services.charts.submit(lambda: upload_charts(services, where, result.workload, assessment, shown)):
        _note(where, "too many answers are being drawn at once")
    return decision_id


CHART_TITLES = {"costs.png": "What each way of serving it costs", "costs-tornado.png": "Where the verdict holds"}


def upload_charts(services: Services, where: Where, workload: Workload, assessment: Any, shown: Any) -> None:
    """The cost chart and the tornado into the thread, once the answer is there (run apart from the
    answers, so they delay none); charts that cannot be drawn or uploaded cost a note, never the answer."""
    from slack_sdk.errors import SlackApiError

    try:
        from bot.charts import chart_files

        files = chart_files(workload, assessment, services.kb, shown.shown_in)
    except Exception as error:  # noqa: BLE001 - the answer stands without its charts
        _note(where, f"they could not be drawn ({type(error).__name__})")
        return
    try:
        where.client.files_upload_v2(
            file_uploads=[{"content": png, "filename": name, "title": CHART_TITLES.get(name)} for name, png in files],
            channel=where.channel,
            thread_ts=where.thread_ts,
        )
    except SlackApiError as error:
        code = str(error.response.get("error", "error"))
        _note(
            where,
            f"Slack refused the upload ({code}{': the app needs the files:write scope' * (code == 'missing_scope')})",
        )
    except Exception as error:  # noqa: BLE001 - Slack unreachable: the answer is there already
        _note(where, f"they could not be uploaded ({type(error).__name__})")


def _note(where: Where, why: str) -> None:
    """Why an answer's thread has no charts: said there, and in the server's log."""
    logger.warning("no charts for the answer in %s/%s: %s", where.channel, where.thread_ts, why)
    with contextlib.suppress(Exception):
        where.client.chat_postMessage(
            channel=where.channel, thread_ts=where.thread_ts, text=f"_(No cost chart this time: {why}.)_"
        )


def _log(
    services: Services,
    where: Where,
    source: AskedVia,
    text: str,
    workload: Workload,
    assessment: Any,
    parent: LoggedDecision | None,
    started: float,
) -> str | None:
    """Log the answer; a log that fails costs the buttons, never the answer."""
    try:
        return services.log.record(
            question=text or "(changed in the form)",
            workload=workload,
            assessment=assessment,
            source=source,
            slack=SlackOrigin(
                team=where.team,
                channel=where.channel,
                thread=where.thread_ts,
                user=where.user,
                event_id=where.event_id,
                public=where.public,
            ),
            parent_id=parent.id if parent else None,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
    except Exception:
        logger.exception("could not log a decision")
        return None


def stream_recommendation(
    services: Services, where: Where, assessment: Any, say_stream: Any = None, events: Iterator[Event] | None = None
) -> Any:
    """Stream the words into the thread: only units that passed the check are appended.

    A `Reset` (the text so far is to be replaced) withdraws the message if any
    of it reached the thread, and drops it unsent if it is all still in the
    stream's buffer. Listeners pass Bolt's `say_stream`; the modal, which has
    none, streams with the client. `events` are the answer's written events (`bot.answer`);
    without them the recommendation is written here.
    """

    def open_stream() -> Any:
        if say_stream is not None:
            return say_stream(buffer_size=128)
        return where.client.chat_stream(
            channel=where.channel,
            thread_ts=where.thread_ts,
            buffer_size=128,
            recipient_team_id=where.team,
            recipient_user_id=where.user,
        )

    stream = open_stream()
    for event in events if events is not None else write_events(assessment, services.kb, services.settings):
        if isinstance(event, Delta):
            stream.append(markdown_text=event.text)
        elif isinstance(event, Reset):
            if stream.ts is not None:  # something reached the thread: withdraw it
                stopped = stream.stop()
                where.client.chat_update(
                    channel=where.channel, ts=stopped["ts"], text="_(withdrawn: it did not check out)_"
                )
            stream = open_stream()
        elif isinstance(event, Done):
            stream.stop()
            return event.written
    raise AssertionError("write_events always ends with Done")


def _status(set_status: Any, text: str) -> None:
    if set_status is not None:
        _quietly(set_status, text)


def _quietly(assistant_utility: Any, text: str) -> None:
    """A thread's status or title is a nicety: failing to set it never stops the answer."""
    try:
        assistant_utility(text)
    except Exception:
        logger.debug("could not set an assistant thread's status or title", exc_info=True)
