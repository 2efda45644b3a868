"""The answer to a question, the same on every surface: the CLI, each Slack entry, and revisits.

    question (words, a follow-up to a workload, or a workload) + the team's profile
      ─▶ read: rules, then a model for what they missed (validated, marked inferred)
      ─▶ the team's defaults where the question said nothing
      ─▶ check (`bot.check.assess`) ─▶ ask what the reading left open (`bot.asking`)
      ─▶ Answer: the workload, the assessment with its notes, the written answer's events

Adapters log the answer and show it; nothing here talks to Slack, a terminal or the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.parse import Parsed, parse
from bot.settings import Settings
from bot.workload import Workload

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.check.capacity import Measured
    from bot.team import TeamDefaults
    from bot.write import Event


@dataclass(frozen=True)
class Question:
    """What is asked: words, words that change an earlier workload, or a workload as it stands."""

    text: str = ""
    previous: Workload | None = None
    """With `text`, a follow-up: "what if we double it?" changes this workload."""
    workload: Workload | None = None
    """Given whole (the assumptions form, a workload file, a stored decision): nothing to read."""


@dataclass
class Answer:
    workload: Workload
    assessment: Assessment | None
    """None when the words said nothing about running a model at all ("hello!"). In US dollars, as logged."""
    notes: list[str] = field(default_factory=list)
    events: Iterator[Event] = field(default_factory=lambda: iter(()))
    """The written answer, a checked unit at a time, ending with `Done` (see `bot.write`)."""
    shown: Assessment | None = None
    """The assessment as the team reads it: in its currency (`bot.currency.localised`), which the
    written answer uses too."""

    @property
    def understood(self) -> bool:
        return self.assessment is not None


def answer(
    question: Question,
    kb: KnowledgeBase,
    settings: Settings | None,
    *,
    profile: TeamDefaults | None = None,
    measured: Mapping[tuple[str, str], Measured] | None = None,
    read_with_model: bool = True,
    write_with_model: bool = True,
    deadline: float | None = None,
    currency: str | None = None,
    with_sensitivity: bool = False,
) -> Answer:
    """Read, check and explain `question` for a team with `profile` (none: the defaults alone) and the
    speeds it `measured` on its own hardware with `localcheck calibrate` (none: estimated).

    Amounts are shown in `currency` if given, else the one the question writes its prices in, else
    the profile's (US dollars without any); an unknown `currency` raises `UnknownCurrency`.
    `with_sensitivity` adds what the verdict hinges on (some ten milliseconds more: for answers people read).

    `settings` None, or `read_with_model`/`write_with_model` False, keep the model out; reading
    with it stops at `deadline` (a `time.monotonic()` value) or the settings' model timeout.
    Raises what `assess` raises for a workload given whole that cannot be (an unknown model).
    """
    from bot.check.assess import assess
    from bot.currency import localised, shown_in

    shown_as = shown_in(kb, currency) if currency else None
    reading = _read(question, kb, settings if read_with_model else None, deadline)
    if question.workload is None and not (reading.understood or reading.on_topic or reading.doubts):
        return Answer(reading.workload, None, reading.notes)
    workload, notes = reading.workload, list(reading.notes)
    if profile is not None:
        from bot.team import apply_team_defaults

        workload, set_aside = apply_team_defaults(workload, profile, kb)
        notes += set_aside
    checked = assess(workload, kb, measured).model_copy(update={"notes": notes})
    checked = _asked(checked, workload, reading, kb, measured, question_is_words=question.workload is None)
    if with_sensitivity:
        checked = _with_sensitivity(checked, workload, kb, measured)
    said_in = reading.currency or (profile.currency if profile is not None else None)
    shown = localised(checked, shown_as or (shown_in(kb, said_in) if said_in else None))
    events = written(shown, kb, settings, use_model=write_with_model)
    return Answer(workload, checked, checked.notes, events, shown)


def _with_sensitivity(
    assessment: Assessment, workload: Workload, kb: KnowledgeBase, measured: Mapping[tuple[str, str], Measured] | None
) -> Assessment:
    """The assessment with what its verdict hinges on; a search that fails costs that list, never the answer."""
    from bot.check.sensitivity import sensitivity

    try:
        found = sensitivity(workload, kb, measured)
    except Exception:  # whatever went wrong, the answer stands without the list
        logger.warning("could not work out what the verdict hinges on", exc_info=True)
        return assessment
    return assessment.model_copy(update={"sensitivity": found})


def _read(question: Question, kb: KnowledgeBase, settings: Settings | None, deadline: float | None) -> Parsed:
    """The question's workload: given, changed by a follow-up, or read; a model fills what the rules missed."""
    if question.workload is not None:
        return Parsed(question.workload)
    if question.previous is not None:
        from bot.parse.refine import refine

        read = refine(question.previous, question.text, kb)
        read.on_topic = True  # a reply in an answer's thread is about that workload
    else:
        read = parse(question.text, kb)
    if settings is not None and question.text.strip() and (read.understood or read.on_topic):
        from bot.parse.assist import assist

        read = assist(read, question.text, kb, settings, deadline=deadline or time.monotonic() + settings.llm_timeout_s)
    return read


def _asked(
    assessment: Assessment,
    workload: Workload,
    reading: Parsed,
    kb: KnowledgeBase,
    measured: Mapping[tuple[str, str], Measured] | None,
    *,
    question_is_words: bool,
) -> Assessment:
    from bot.asking import settle
    from bot.check.assess import assess

    def verdict_of(changed: Workload) -> str:
        try:
            other = assess(changed, kb, measured)
        except (LookupError, ValueError):  # the other reading cannot be: it is worth asking about
            return "?"
        return other.leaning or other.verdict

    # Thin: the team stated nothing (what a model guessed does not count), yet asked about running a model.
    said = any(fact.how == "stated" for fact in reading.workload.provenance.values())
    thin = question_is_words and not said and (reading.on_topic or bool(reading.doubts))
    if not reading.doubts and not thin:
        return assessment.model_copy(update={"questions": [assessment.question] if assessment.question else []})
    return settle(assessment, workload, reading.doubts, thin, verdict_of)


def written(
    assessment: Assessment, kb: KnowledgeBase, settings: Settings | None, *, use_model: bool = True
) -> Iterator[Event]:
    """The recommendation's events for an assessment, written only when someone reads them (an answer's
    own, or one given again: a quick estimate shared in its channel is written up then)."""
    from bot.write import write_events

    yield from write_events(assessment, kb, settings or Settings(), use_model=use_model and settings is not None)
