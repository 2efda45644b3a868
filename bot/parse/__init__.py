"""parse: a team's own words to a `Workload`, each fact with the words it came from.

Rules read what is plainly stated; nothing is guessed here. What the text does
not say stays unset, and the checker assumes it from the defaults, saying so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from bot.knowledge.loader import KnowledgeBase
from bot.parse.data import data_facts
from bot.parse.facts import Fact
from bot.parse.hardware import hardware_facts
from bot.parse.jobs import job_facts
from bot.parse.latency import latency_facts
from bot.parse.levers import lever_facts
from bot.parse.money import money_facts
from bot.parse.names import mask_names
from bot.parse.quality import model_facts
from bot.parse.quantities import long_numbers
from bot.parse.service import service_facts
from bot.parse.team import team_facts
from bot.parse.text import clean, truncate
from bot.parse.unknown import model_like
from bot.parse.volume import volume_facts
from bot.workload import Provenance, Workload


@dataclass
class Parsed:
    workload: Workload
    notes: list[str] = field(default_factory=list)
    """What the reader should know about the reading: text left unread, values set aside."""

    @property
    def understood(self) -> bool:
        """Whether the text said anything about a workload at all."""
        return bool(self.workload.provenance)


def parse(text: str, kb: KnowledgeBase) -> Parsed:
    """Read a description of a workload; never raises on any text."""
    read, note = truncate(text or "")
    notes = [note] if note else []
    return build(read_facts(clean(read), kb), kb, notes)


def read_facts(text: str, kb: KnowledgeBase) -> list[Fact]:
    """Every fact the rules find, in the order of the rules; the first of a field counts.

    The rules match lower-case text (case-insensitive matching is several times
    slower); each span is then given back in the writer's own case. A run of digits too long
    to be a figure is set aside first, whole, so no rule reads a part of it.
    """
    text, runs = long_numbers(text)
    low = _lower_in_place(text)
    facts = [
        *(
            Fact("", None, run, problem=f"a number of {digits:,} digits is no figure of a workload")
            for run, digits in runs
        ),
        *volume_facts(mask_names(kb, low, model_like(kb, low).spans)),
        *model_facts(kb, low),
        *data_facts(kb, low),
        *lever_facts(low),
        *service_facts(low),
        *latency_facts(low),
        *job_facts(low),
        *team_facts(low),
        *hardware_facts(kb, low),
        *money_facts(kb, low),
    ]
    return [replace(fact, span=_original_case(fact.span, text, low)) for fact in facts]


def _lower_in_place(text: str) -> str:
    """Lower case that keeps every character where it was (some lower to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _original_case(span: str, text: str, low: str) -> str:
    """`span`, found in `low`, as `text` writes it; spans joined from several places part by part."""
    for joiner in ("; ", " … "):
        if joiner in span and span not in low:
            return joiner.join(_original_case(part, text, low) for part in span.split(joiner))
    at = low.find(span)
    return text[at : at + len(span)] if at >= 0 else span


MAX_NOTES = 12
"""Past this many, notes are summed up in one: a message repeating a bad value a thousand times gets one line."""


def build(facts: list[Fact], kb: KnowledgeBase, notes: list[str], base: dict[str, Any] | None = None) -> Parsed:
    """A workload from `base` (a previous one's fields) overlaid with `facts`.

    Each fact is validated on its own, so one nonsense value (a 300% uptime, a
    negative price, 10^30 tokens) is set aside with a note instead of losing the
    whole message; a fact with a `problem` is set aside, or stands in, with a note.
    """
    fields: dict[str, Any] = dict(base or {})
    provenance: dict[str, Provenance] = dict(fields.pop("provenance", {}))
    taken: set[str] = set()
    stand_ins: list[Fact] = []
    for fact in facts:
        if fact.problem is not None:
            if fact.value is None:
                notes.append(_set_aside(fact, fact.problem))
                continue
            stand_ins.append(fact)
        if fact.field in taken:
            continue
        if fact.field in ("tokens_per_day", "requests_per_day"):
            other = "requests_per_day" if fact.field == "tokens_per_day" else "tokens_per_day"
            if other in taken:
                notes.append(f"Read the volume from '{provenance[other].span}' and set aside '{_short(fact.span)}'.")
                continue
            fields.pop(other, None)
            provenance.pop(other, None)
        trial = {**fields, fact.field: fact.value}
        try:
            Workload.model_validate(trial)
        except ValidationError as error:
            notes.append(_set_aside(fact, _why_not(error)))
            continue
        fields = trial
        taken.add(fact.field)
        provenance[fact.field] = Provenance(how=fact.how, span=fact.span or None, reason=fact.reason)
    _drop_peak_below_average(fields, provenance, notes)
    notes.extend(_stood_in(fact, fields.get(fact.field), kb) for fact in stand_ins)
    return Parsed(Workload.model_validate({**fields, "provenance": provenance}), _summed_up(notes))


def _set_aside(fact: Fact, why: str) -> str:
    what = f" for {fact.field.replace('_', ' ')}" if fact.field else ""
    return f"Set aside '{_short(fact.span)}'{what}: {why}."


def _why_not(error: ValidationError) -> str:
    """Why a value was refused, in the words of the bound it broke."""
    detail = error.errors(include_url=False)[0]
    value, limits = detail.get("input"), detail.get("ctx") or {}
    if isinstance(value, int | float) and not math.isfinite(value):
        return "far too large to be a real figure"
    if isinstance(value, int | float) and value < 0 and ("gt" in limits or "ge" in limits):
        return f"{_figure(value)} is negative"
    bounds = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most"}
    for key, words in bounds.items():
        if key in limits and isinstance(value, int | float):
            return f"{_figure(value)} is out of range (it must be {words} {_figure(limits[key])})"
    return str(detail["msg"]).lower()


def _figure(value: float) -> str:
    if abs(value) >= 1e15 or 0 < abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


def _stood_in(fact: Fact, used: Any, kb: KnowledgeBase) -> str:
    """ "I don't know the model 'x'; the closest are …; answered with Y instead." """
    if used is None:
        return f"{fact.problem}."
    tables: dict[str, dict[str, Any]] = {"model": kb.models, "api_model": kb.api_models}
    entries = tables.get(fact.field, {})
    return f"{fact.problem}; answered with {entries[used].name if used in entries else used} instead."


def _short(span: str, limit: int = 60) -> str:
    return span if len(span) <= limit else f"{span[: limit - 20]}…{span[-15:]} ({len(span):,} characters)"


def _summed_up(notes: list[str]) -> list[str]:
    if len(notes) <= MAX_NOTES:
        return notes
    return [*notes[: MAX_NOTES - 1], f"…and {len(notes) - MAX_NOTES + 1:,} more notes like these."]


def _drop_peak_below_average(fields: dict[str, Any], provenance: dict[str, Provenance], notes: list[str]) -> None:
    peak, per_day = fields.get("peak_requests_per_s"), fields.get("requests_per_day")
    if peak is not None and per_day is not None and peak < per_day / 86_400:
        notes.append(f"Set aside the peak '{provenance['peak_requests_per_s'].span}': it is below the day's average.")
        fields.pop("peak_requests_per_s")
        provenance.pop("peak_requests_per_s")
