"""Facts into a workload: each validated on its own, the first of a field taken, doubts kept to ask."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Doubt, Fact
from bot.parse.money import CURRENCY
from bot.parse.spend import SPEND, volume_from_spend
from bot.units import SECONDS_PER_HOUR, SECONDS_PER_MINUTE, per_second
from bot.workload import VOLUMES, Provenance, Workload, other_volume

MAX_NOTES = 12
"""Past this many, notes are summed up in one: a message repeating a bad value a thousand times gets one line."""


@dataclass
class Parsed:
    workload: Workload
    notes: list[str] = field(default_factory=list)
    """What the reader should know about the reading: text left unread, values set aside."""
    doubts: list[Doubt] = field(default_factory=list)
    """What the words leave in doubt, for the answer to ask: contradictions, values that cannot be."""
    on_topic: bool = False
    """Whether the message is about running a model at all ("is self-hosting worth it for us?"),
    however little it says about the workload: such a message is answered, not refused."""
    currency: str | None = None
    """The currency the message writes its prices in, when not the dollar: the answer is shown in it."""

    @property
    def understood(self) -> bool:
        """Whether the text said anything about a workload at all."""
        return bool(self.workload.provenance)


def build(facts: list[Fact], kb: KnowledgeBase, notes: list[str], base: dict[str, Any] | None = None) -> Parsed:
    """A workload from `base` (a previous one's fields) overlaid with `facts`.

    Each fact is validated on its own, so one nonsense value (a 300% uptime, a
    negative price, 10^30 tokens) is set aside with a note instead of losing the
    whole message; a fact with a `problem` is set aside, or stands in, with a note.
    A fact with a `doubt` is kept as a question; a value set aside leaves one when its
    field is left unread. A spend becomes a volume once the API and sizes are known.
    """
    fields: dict[str, Any] = dict(base or {})
    provenance: dict[str, Provenance] = dict(fields.pop("provenance", {}))
    reading = _Reading(fields, provenance, notes)
    spends = [fact for fact in facts if fact.field == SPEND]
    currency = next((str(fact.value) for fact in facts if fact.field == CURRENCY), None)
    for fact in facts:
        if fact.field not in (SPEND, CURRENCY):
            reading.take(fact)
    fields, taken = reading.fields, reading.taken  # the reading replaces `fields` as it takes each fact
    if spends and not taken & VOLUMES and (note := volume_from_spend(spends[0], fields, provenance, kb)):
        notes.append(note)
    _drop_peak_below_average(fields, provenance, notes)
    doubts = reading.doubts + _busier_hour_than_day(fields, provenance)
    doubts += [
        Doubt(name, f"{why}. {_ASK.get(name, _ask_for(name))}")
        for name, why in reading.set_aside.items()
        if _unread(name, fields)
    ]
    notes.extend(_stood_in(fact, fields.get(fact.field), kb) for fact in reading.stand_ins)
    workload = Workload.model_validate({**fields, "provenance": provenance})
    return Parsed(
        workload,
        _summed_up(notes),
        _first_of_each(d for d in doubts if d.field in taken or d.alternative is None),
        currency=currency,
    )


@dataclass
class _Reading:
    """What `build` gathers as it takes the facts in turn."""

    fields: dict[str, Any]
    provenance: dict[str, Provenance]
    notes: list[str]
    taken: set[str] = field(default_factory=set)
    stand_ins: list[Fact] = field(default_factory=list)
    """Facts with a problem that still stand in for what was meant, each noted once the rest is read."""
    doubts: list[Doubt] = field(default_factory=list)
    set_aside: dict[str, str] = field(default_factory=dict)
    """Why the first value of a field was set aside, to ask for it when nothing else fills it."""

    def take(self, fact: Fact) -> None:
        """The fact into the workload if it is the first of its field and valid there, else a note or a doubt."""
        if fact.doubt is not None:
            self.doubts.append(Doubt(fact.field, fact.doubt, fact.value))
            return
        if fact.problem is not None:
            if fact.value is None:
                self.notes.append(_set_aside(fact, fact.problem))
                self.set_aside.setdefault(fact.field, f"'{_short(fact.span)}' cannot be right ({fact.problem})")
                return
            self.stand_ins.append(fact)
        if fact.field in self.taken:
            return
        if fact.field in VOLUMES:
            other = other_volume(fact.field)
            if other in self.taken:
                self.notes.append(
                    f"Read the volume from '{self.provenance[other].span}' and set aside '{_short(fact.span)}'."
                )
                return
            self.fields.pop(other, None)
            self.provenance.pop(other, None)
        trial = {**self.fields, fact.field: fact.value}
        try:
            Workload.model_validate(trial)
        except ValidationError as error:
            self.notes.append(_set_aside(fact, _why_not(error)))
            self.set_aside.setdefault(fact.field, f"'{_short(fact.span)}' cannot be right ({_why_not(error)})")
            return
        self.fields = trial
        self.taken.add(fact.field)
        self.provenance[fact.field] = Provenance(how=fact.how, span=fact.span or None, reason=fact.reason)


def _first_of_each(doubts: Iterable[Doubt]) -> list[Doubt]:
    """One doubt a field, the first: a message repeating a contradiction a thousand times asks once."""
    first: dict[str, Doubt] = {}
    for doubt in doubts:
        first.setdefault(doubt.field, doubt)
    return list(first.values())


_ASK = {
    "tokens_per_day": "About how many requests (or tokens) a day will it handle?",
    "requests_per_day": "About how many requests (or tokens) a day will it handle?",
    "availability": "What uptime does it need (for example 99.9%)?",
}


def _ask_for(name: str) -> str:
    return f"What is the {name.replace('_', ' ')}?"


def _unread(name: str, fields: dict[str, Any]) -> bool:
    """Whether nothing else was read for `name` (for a volume, neither requests nor tokens)."""
    if not name:
        return False
    return not (VOLUMES & fields.keys()) if name in VOLUMES else fields.get(name) in (None, [])


def _busier_hour_than_day(fields: dict[str, Any], provenance: dict[str, Provenance]) -> list[Doubt]:
    """ "8k in the busiest hour, 2k a day": a peak hour cannot hold more than the whole day."""
    peak, per_day = fields.get("peak_requests_per_s"), fields.get("requests_per_day")
    if peak is None or per_day is None:
        return []
    hour, day = provenance["peak_requests_per_s"].span or "", provenance["requests_per_day"].span or ""
    said_per_hour = re.search(r"hour|\bhr\b|/\s*h\b", hour)
    if (
        peak * (SECONDS_PER_HOUR if said_per_hour else SECONDS_PER_MINUTE) <= per_day * 1.01
    ):  # a minute's burst is no hour's load
        return []
    question = f"The busiest hour ('{hour}') holds more than the whole day ('{day}'): about how many requests a day?"
    return [Doubt("requests_per_day", question, peak * SECONDS_PER_HOUR * 8)]


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
    if peak is not None and per_day is not None and peak < per_second(per_day):
        notes.append(f"Set aside the peak '{provenance['peak_requests_per_s'].span}': it is below the day's average.")
        fields.pop("peak_requests_per_s")
        provenance.pop("peak_requests_per_s")
