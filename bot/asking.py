"""What to ask: the doubts a reading left, and for a thin question the facts that would change it most.

The checker answers what it was told; this decides, from the reading, when that answer is
still a question. A doubt with another reading ("5k a day … shows 50k/day") is asked only if
the answer differs under it; a value that cannot be is always asked about; a message that
says nothing about its workload ("is self-hosting worth it for us?") is priced at the defaults
and asks the (at most two) questions whose answers would move the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.assessment import Assessment
from bot.check.assess import DATA_QUESTION, VOLUME_QUESTION
from bot.parse.facts import Doubt
from bot.workload import VOLUMES, Provenance, Workload, other_volume

MAX_QUESTIONS = 2
UNSURE = 0.4
"""The confidence an answer keeps when it turns on something we asked about."""
STAFF_QUESTION = "Does anyone on your team already run servers or GPUs, and could they look after this?"
HARDWARE_QUESTION = "Do you already have GPUs or a machine that could run this?"


@dataclass(frozen=True)
class Probe:
    """A fact we could ask about, and the other values it might have."""

    question: str
    field: str
    values: tuple[object, ...]


THIN_VOLUMES = (100.0, 100_000.0, 10_000_000.0)
"""Requests a day a team that said nothing might have: a pilot, a busy product, a large platform."""


def thin_probes(base: Workload) -> tuple[Probe, ...]:
    """What a message that says nothing about its workload is most likely missing, most telling first."""
    return (
        Probe(VOLUME_QUESTION, "requests_per_day", THIN_VOLUMES),
        Probe(DATA_QUESTION, "data_policy", ("must-stay",)),
        Probe(STAFF_QUESTION, "ops_staff", (0.0, 3.0)),
        Probe(HARDWARE_QUESTION, "owned", ([{"hardware": "rtx-4090", "count": 2}],)),
    )


Verdict = Callable[[Workload], str]
"""The verdict the checker gives a workload (its leaning, when it needs more information)."""


def settle(
    assessment: Assessment, workload: Workload, doubts: list[Doubt], thin: bool, verdict_of: Verdict
) -> Assessment:
    """`assessment` asking what the reading leaves open, and saying `need-more-info` when that decides it."""
    questions: list[str] = []
    notes: list[str] = []
    deciding = False
    base = assessment.leaning or assessment.verdict
    for doubt in doubts:
        if doubt.alternative is None:
            questions.append(doubt.question)
        elif verdict_of(_with(workload, doubt.field, doubt.alternative)) != base:
            questions.append(doubt.question)
            deciding = True
        else:
            notes.append(f"{doubt.question.split(':')[0]}; either way the answer is the same.")
    if thin:
        moving = [
            p for p in thin_probes(workload) if any(verdict_of(_with(workload, p.field, v)) != base for v in p.values)
        ]
        questions += [p.question for p in (moving or list(thin_probes(workload)))[:MAX_QUESTIONS]]
        deciding = True
    if assessment.question and not any(_same_ask(assessment.question, q) for q in questions):
        questions.append(assessment.question)
    questions = list(dict.fromkeys(questions))[:MAX_QUESTIONS]
    update: dict[str, object] = {"notes": [*assessment.notes, *notes], "questions": questions}
    update["question"] = questions[0] if questions else None
    if deciding and assessment.verdict != "need-more-info":
        update |= {"verdict": "need-more-info", "leaning": assessment.verdict, "chosen": None}
        update["confidence"] = min(assessment.confidence, UNSURE)
    return assessment.model_copy(update=update)


def _same_ask(question: str, other: str) -> bool:
    """The checker's volume question and a reading's question about the volume ask the same thing."""
    return question == other or (question == VOLUME_QUESTION and "a day" in other)


def _with(workload: Workload, field: str, value: object) -> Workload:
    """`workload` with `field` as if stated: how the answer would go had the team said so."""
    fields = workload.model_dump(exclude={"provenance"})
    if field in VOLUMES:
        fields.pop(other_volume(field), None)  # a workload takes one way of giving volume
        fields.pop("peak_requests_per_s", None)  # read beside the other volume; the defaults' peak fits this one
    fields[field] = value
    provenance = {**workload.provenance, field: Provenance(how="stated", span="(asked)")}
    return Workload.model_validate({**fields, "provenance": provenance})
