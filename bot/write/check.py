"""What a model wrote, checked against the assessment a unit at a time, before anyone reads it.

A unit (a sentence or a line, see `units`) is shown only when it passes in the
light of what came before: the first must open with the computed verdict; none
may recommend another (`stance`), state a figure, a count, a currency, a model
or a piece of hardware the assessment does not hold (`figures`), cite an
argument no finding cites, or carry a link, a Slack mention or injected text
(`safety`); the text may not grow past its length. At the end it must cite at
least one argument. A model may explain and round; it may not decide, invent a
source or a number, or speak to the reader on anyone else's behalf.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.parse.names import mentions
from bot.write.figures import Known, figure_problems
from bot.write.names import TABLES, named
from bot.write.safety import CITATION, citation_problems, markup_problems
from bot.write.stance import stances, stated_verdict
from bot.write.units import Units, split_units

MAX_WORDS = 300
MAX_CHARS = 3_000
MAX_UNIT_CHARS = 1_000
_MARKUP_CONTEXT = 200
"""Characters before a unit that markup split across units could begin in."""


class TextCheck:
    """The text that has passed so far, and the check of each next unit in its light."""

    def __init__(self, assessment: Assessment, kb: KnowledgeBase) -> None:
        self.assessment, self.kb = assessment, kb
        self.known = Known.of(assessment, kb)
        self.names = _names_in(assessment, kb)
        # A provider named like an address ("Vast.ai") appears in option labels: its name is no link.
        self.links = frozenset(source.url for source in kb.sources.values() if source.url) | frozenset(
            name for provider in kb.providers.values() for name in provider.spellings()
        )
        self.text = ""

    def offer(self, unit: str, *, keep_anyway: bool = False) -> list[str]:
        """The problems of `unit` after the text so far; a unit without any joins the text."""
        found = list(dict.fromkeys(self._problems(unit)))
        if not found or keep_anyway:
            self.text += unit
        return found

    def ending_problems(self) -> list[str]:
        """What only the finished text can show."""
        if not CITATION.search(self.text):
            return ["cites no argument; cite each tradeoff like [labor-is-the-real-cost]"]
        return []

    def _problems(self, unit: str) -> Iterator[str]:
        a = self.assessment
        if len(unit) > MAX_UNIT_CHARS:
            yield f"writes over {MAX_UNIT_CHARS:,} characters without ending a sentence or a line"
            return
        words, chars = len((self.text + unit).split()), len(self.text + unit)
        if words > MAX_WORDS or chars > MAX_CHARS:
            yield f"is over {MAX_WORDS} words or {MAX_CHARS:,} characters long; keep it under {MAX_WORDS} words"
        if not self.text.strip() and unit.strip():
            stated = stated_verdict(unit, self.kb)
            if stated is None:
                yield f"does not open with the verdict ({a.verdict})"
            elif stated != a.verdict:
                yield f"opens with the verdict '{stated}' where the computed one is '{a.verdict}'"
        yield from self._contrary(unit)
        yield from citation_problems(unit, a.cited_arguments)
        yield from figure_problems(unit, self.known, self.kb)
        for name in named(self.kb, unit):
            if name.entry_id not in self.names:
                yield f"names {unit[name.start : name.end]}, which the assessment does not"
        yield from markup_problems(self.text[-_MARKUP_CONTEXT:] + unit, self.links)

    def _contrary(self, unit: str) -> Iterator[str]:
        a = self.assessment
        allowed = {a.verdict, a.leaning}
        if "rent" in allowed:
            allowed.add("local")  # rented GPUs are self-hosted: naming the hardware points there too
        for stance in stances(unit, self.kb):
            if stance.side in allowed and not (stance.cue == "verdict" and stance.side == "local" != a.verdict):
                continue
            if a.verdict == "hybrid" and stance.cue != "verdict" and not stance.exclusive:
                continue  # a hybrid runs some of it locally and some by API
            yield f"recommends {stance.side} where the computed verdict is {a.verdict}"


class CheckedStream:
    """A model's text as it arrives, released one checked unit at a time; nothing after a failing unit."""

    def __init__(self, assessment: Assessment, kb: KnowledgeBase) -> None:
        self.check = TextCheck(assessment, kb)
        self.units = Units()
        self.received = ""
        self.problems: list[str] = []

    @property
    def text(self) -> str:
        """What was released: every unit that passed."""
        return self.check.text

    def feed(self, piece: str) -> list[str]:
        """The units `piece` completes that pass, up to the first that does not."""
        if self.problems:
            return []
        self.received += piece
        released = self._release(self.units.feed(piece))
        if not self.problems and len(self.units.pending) > MAX_UNIT_CHARS:
            self.problems = [f"writes over {MAX_UNIT_CHARS:,} characters without ending a sentence or a line"]
        return released

    def end(self) -> list[str]:
        """The last unit, if it passes, once the model has finished; then the checks of the whole."""
        if self.problems:
            return []
        released = self._release([self.units.rest()])
        if not self.problems:
            self.problems = self.check.ending_problems()
        return released

    def _release(self, units: list[str]) -> list[str]:
        released = []
        for unit in filter(None, units):
            self.problems = self.check.offer(unit)
            if self.problems:
                break
            released.append(unit)
        return released


def problems(text: str, assessment: Assessment, kb: KnowledgeBase) -> list[str]:
    """Everything wrong with `text` as an explanation of `assessment`; empty when it may be shown."""
    check = TextCheck(assessment, kb)
    found = [problem for unit in split_units(text) for problem in check.offer(unit, keep_anyway=True)]
    return list(dict.fromkeys([*found, *check.ending_problems()]))


def _names_in(assessment: Assessment, kb: KnowledgeBase) -> frozenset[str]:
    """The models and hardware the assessment and its cited arguments name: the only ones a text may."""
    texts = list(_strings(assessment.model_dump(mode="json")))
    for argument_id in assessment.cited_arguments:
        argument = kb.arguments[argument_id]
        texts += [argument.title, argument.claim]
    joined = "\n".join(texts)
    # Every reading of every name, overlaps and all: "Mistral Small 3 24B" also allows "Mistral Small".
    return frozenset(mention.entry_id for table in TABLES for mention in mentions(kb, table, joined))


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
