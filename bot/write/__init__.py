"""Writes the recommendation people read, explained by a local model and checked, or by the template.

    assessment ─▶ facts + cited arguments ─▶ model (streamed) ─▶ checked unit by unit ─▶ shown
                                               │ unreachable, slow,             ▲
                                               └─ missing, or wrong ─▶ template ┘

`write_events` yields only text that passed the check, a unit (sentence or
line) at a time, as the model writes it. When a unit fails, nothing of it is
shown and the model is stopped; if anything was shown already, a `Reset` tells
the reader to discard it (it passed, but a replacement follows). The model is
retried once, told what was wrong, then the template answers. Both tries
together get `LOCALCHECK_LLM_TIMEOUT` seconds. `write` returns only the result.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.resources import data_dir
from bot.settings import Settings
from bot.write.check import CheckedStream, TextCheck
from bot.write.facts import prompt_facts
from bot.write.template import template_text
from bot.write.units import split_units

TEMPLATE = "template"


@dataclass(frozen=True)
class Written:
    text: str
    writer: str
    """`ollama:<model>`, `openai:<model>` or `template`."""
    fallback_reason: str | None = None


@dataclass(frozen=True)
class Delta:
    """A unit of text that passed the check: it may be shown at once."""

    text: str


@dataclass(frozen=True)
class Reset:
    """Discard the text shown so far: a replacement follows (what was shown had passed)."""

    reason: str


@dataclass(frozen=True)
class Done:
    written: Written


Event = Delta | Reset | Done


def write(assessment: Assessment, kb: KnowledgeBase, settings: Settings, *, use_model: bool = True) -> Written:
    """The final recommendation, without the streaming."""
    for event in write_events(assessment, kb, settings, use_model=use_model):
        if isinstance(event, Done):
            return event.written
    raise AssertionError("write_events always ends with Done")


def write_events(
    assessment: Assessment, kb: KnowledgeBase, settings: Settings, *, use_model: bool = True
) -> Iterator[Event]:
    reason = None
    if use_model:
        reason = yield from _model_events(assessment, kb, settings)
        if reason is None:
            return
    text = checked_template(assessment, kb)
    yield Delta(text)
    yield Done(Written(text, TEMPLATE, reason))


def _model_events(assessment: Assessment, kb: KnowledgeBase, settings: Settings) -> Generator[Event, None, str | None]:
    """The model's checked text and Done; or, returned, why the template must answer instead."""
    from langchain_core.messages import AIMessage, HumanMessage
    from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

    from bot.llm import chat_model, stream_reply, why_unavailable, writer_name

    name = writer_name(settings)
    prompt = ChatPromptTemplate.from_messages(
        [("system", _prompt("write_system.txt")), ("user", _prompt("write_user.txt"))]
    )
    messages = prompt.format_messages(facts=prompt_facts(assessment, kb))
    retry = PromptTemplate.from_template(_prompt("write_retry.txt"))
    deadline = time.monotonic() + settings.llm_timeout_s
    shown = False
    try:
        model = chat_model(settings)
        for attempt in range(2):  # the first try, and one retry told what was wrong
            stream = CheckedStream(assessment, kb)
            with closing(stream_reply(model, messages, deadline)) as pieces:
                for piece in pieces:
                    for unit in stream.feed(piece):
                        shown = True
                        yield Delta(unit)
                    if stream.problems:
                        break  # closing the reply stops the model
            for unit in stream.end():
                shown = True
                yield Delta(unit)
            if not stream.problems:
                yield Done(Written(stream.text, name))
                return None
            reason = f"{name}'s text " + "; ".join(stream.problems)
            if attempt == 0:
                if shown:
                    yield Reset(reason)
                    shown = False
                messages += [
                    AIMessage(stream.received),
                    HumanMessage(retry.format(problems="; ".join(stream.problems))),
                ]
    except Exception as error:  # noqa: BLE001 - whatever the model did, the reader gets the template
        reason = f"{name} unavailable: {why_unavailable(error, settings)}"
    if shown:
        yield Reset(reason)
    return reason


def checked_template(assessment: Assessment, kb: KnowledgeBase) -> str:
    """The template's text, through the same check as a model's: a unit that failed would be left out.

    None does for the assessments the rules make (the tests hold it to that); the
    check stands guard over names and reasons a team typed in themselves.
    """
    check = TextCheck(assessment, kb)
    return "".join(unit for unit in split_units(template_text(assessment)) if not check.offer(unit))


def _prompt(name: str) -> str:
    return (data_dir("prompts") / name).read_text()
