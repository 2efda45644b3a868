"""write: the recommendation people read, explained by a local model and checked, or by the template.

    assessment ─▶ facts + cited arguments ─▶ model (streamed) ─▶ check ─▶ shown
                                               │ unreachable, slow,      ▲
                                               └─ missing, or wrong ─▶ template

`write_events` yields the text as it arrives, then either the finished,
checked text or a `Reset` that tells the reader to discard what was shown and
take the replacement; `write` returns only the final result.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.resources import data_dir
from bot.settings import Settings
from bot.write.check import problems
from bot.write.facts import prompt_facts
from bot.write.template import template_text

TEMPLATE = "template"


@dataclass(frozen=True)
class Written:
    text: str
    writer: str
    """`ollama:<model>`, `openai:<model>` or `template`."""
    fallback_reason: str | None = None


@dataclass(frozen=True)
class Delta:
    text: str


@dataclass(frozen=True)
class Reset:
    """Discard the text shown so far: it did not check out, a replacement follows."""

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
    if not use_model:
        text = template_text(assessment)
        yield Delta(text)
        yield Done(Written(text, TEMPLATE))
        return
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
    reason = ""
    try:
        model = chat_model(settings)
        for attempt in range(2):  # the first try, and one retry told what was wrong
            text = ""
            for piece in stream_reply(model, messages, deadline):
                text += piece
                shown = True
                yield Delta(piece)
            found = problems(text, assessment, kb)
            if not found:
                yield Done(Written(text, name))
                return
            reason = f"{name}'s text " + "; ".join(found)
            if attempt == 0:
                yield Reset(reason)
                shown = False
                messages += [AIMessage(text), HumanMessage(retry.format(problems="; ".join(found)))]
    except Exception as error:  # noqa: BLE001 - whatever the model did, the reader gets the template
        reason = f"{name} unavailable: {why_unavailable(error, settings)}"
    if shown:
        yield Reset(reason)
    text = template_text(assessment)
    yield Delta(text)
    yield Done(Written(text, TEMPLATE, reason))


def _prompt(name: str) -> str:
    return (data_dir("prompts") / name).read_text()
