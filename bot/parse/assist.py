"""A local model fills what the rules did not read: only missing fields, validated, marked inferred.

Optional: the rules answer on their own, and a model that is absent, slow or
wrong costs a note, never the answer. A refused connection fails at once; a
slow model (one that blocks, or trickles its reply) is cut off after
`LOCALCHECK_LLM_TIMEOUT` seconds in all.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.resolve import UnknownName, find_api_model, find_model
from bot.parse import Parsed, build
from bot.parse.facts import Fact
from bot.resources import data_dir
from bot.settings import Settings
from bot.workload import VOLUMES


class Hints(BaseModel):
    """What the model may fill in; every field optional, described for the model."""

    requests_per_day: float | None = Field(None, description="requests, calls or messages per day")
    tokens_per_day: float | None = Field(None, description="tokens per day, input and output together")
    input_tokens: int | None = Field(None, description="average prompt length in tokens")
    output_tokens: int | None = Field(None, description="average answer length in tokens")
    api_model: str | None = Field(None, description="the hosted API model they use, e.g. gpt-4o-mini")
    model: str | None = Field(None, description="an open-weight model they want to run, e.g. llama3.1:8b")
    data_policy: str | None = Field(
        None, description="'must-stay', 'own-cloud', 'under-contract', 'in-region' or 'may-leave'"
    )
    ops_staff: float | None = Field(None, description="people who already run servers; 0 if nobody does")
    batch: bool | None = Field(None, description="true if the work can wait (nightly, batch), false if people wait")


def assist(
    parsed: Parsed, text: str, kb: KnowledgeBase, settings: Settings, *, deadline: float | None = None
) -> Parsed:
    """`parsed` with the fields it lacks filled in by the model where the text supports them.

    The model gets until `deadline` (a `time.monotonic()` value), and never more than the
    settings' model timeout; what the rules left in doubt stays in doubt.
    """
    missing = [name for name in Hints.model_fields if name not in parsed.workload.provenance]
    if parsed.workload.volume_field is not None:
        missing = [name for name in missing if name not in VOLUMES]
    if not missing:
        return parsed
    notes = list(parsed.notes)
    try:
        hints = _ask(text, missing, settings, deadline)
    except Exception as error:  # noqa: BLE001 - an optional helper: any failure is noted, the rules answer
        from bot.llm import why_unavailable

        notes.append(f"The model did not help read this ({why_unavailable(error, settings)}); read by rules only.")
        return Parsed(parsed.workload, notes, parsed.doubts, parsed.on_topic, parsed.currency)
    from bot.llm import writer_name

    facts = list(_facts(hints, missing, kb, writer_name(settings).split(":", 1)[1], notes))
    base: dict[str, Any] = parsed.workload.model_dump(exclude_defaults=True, exclude={"provenance"})
    base["provenance"] = dict(parsed.workload.provenance)
    helped = build(facts, kb, notes, base)
    helped.doubts, helped.on_topic = [*parsed.doubts, *helped.doubts], parsed.on_topic
    helped.currency = parsed.currency
    return helped


def _ask(text: str, fields: list[str], settings: Settings, deadline: float | None) -> Hints:
    from langchain_core.prompts import ChatPromptTemplate

    from bot.llm import call_before, chat_model

    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", (data_dir("prompts") / "read_system.txt").read_text()),
            ("user", (data_dir("prompts") / "read_user.txt").read_text()),
        ]
    )
    reading = prompt | chat_model(settings, temperature=0).with_structured_output(Hints)
    latest = time.monotonic() + settings.llm_timeout_s
    reply = call_before(
        min(deadline, latest) if deadline is not None else latest,
        lambda: reading.invoke({"fields": ", ".join(fields), "text": text}),
    )
    return Hints.model_validate(reply)


def _facts(hints: Hints, missing: list[str], kb: KnowledgeBase, model: str, notes: list[str]) -> list[Fact]:
    facts = []
    for name in missing:
        value = getattr(hints, name)
        if value is None:
            continue
        try:
            if name == "api_model":
                known = find_api_model(kb, str(value))
                if known is None:
                    raise UnknownName("API model", str(value), [], name)
                value = known.id
            elif name == "model":
                value = find_model(kb, str(value)).id
        except UnknownName:
            notes.append(f"Set aside the model's reading of {name.replace('_', ' ')}: '{value}' is not one we know.")
            continue
        facts.append(Fact(name, value, "", f"read by {model}", how="inferred"))
    return facts
