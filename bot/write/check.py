"""What a model wrote, checked against the assessment before anyone reads it.

Three checks: every cited argument is one the findings cite; the text states
the computed verdict and no other; every amount and figure it gives is one
the assessment holds (to the precision written). A model may explain and
round; it may not decide, invent a source or invent a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.parse.names import mask_names

CITATION = re.compile(r"\[([a-z0-9][a-z0-9.-]*)\]")
VERDICT_WORDS = {
    "local": r"\blocal(?:ly)?\b|\bon[- ]prem",
    "cloud": r"\bcloud\b|\bapi\b",
    "hybrid": r"\bhybrid\b",
    "need-more-info": r"\bdepends\b|\bmore\s+information\b|\bneed\s+(?:to\s+know|more)\b|\bquestion\b",
}
_ANY_VERDICT = re.compile("|".join(f"(?P<{k.replace('-', '_')}>{v})" for k, v in VERDICT_WORDS.items()), re.IGNORECASE)
_NUMBER = re.compile(
    r"(?P<money>\$\s?)?(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<unit>%|x\b|k\b|m\b|million\b|billion\b|thousand\b)?",
    re.IGNORECASE,
)
MAX_WORDS = 300


def problems(text: str, assessment: Assessment, kb: KnowledgeBase) -> list[str]:
    """Everything wrong with `text` as an explanation of `assessment`; empty when it may be shown."""
    found = [*_citation_problems(text, assessment), *_verdict_problems(text, assessment)]
    invented = dict.fromkeys(invented_figures(text, assessment, kb))
    found += [f"states {figure}, which the assessment does not" for figure in invented]
    if len(text.split()) > MAX_WORDS:
        found.append(f"is {len(text.split())} words long; keep it under {MAX_WORDS}")
    return found


def _citation_problems(text: str, assessment: Assessment) -> Iterator[str]:
    cited = CITATION.findall(text)
    if not cited:
        yield "cites no argument; cite each tradeoff like [labor-is-the-real-cost]"
    for argument in dict.fromkeys(cited):
        if argument not in assessment.cited_arguments:
            yield f"cites [{argument}], which none of the findings cites"


def _verdict_problems(text: str, assessment: Assessment) -> Iterator[str]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    stated = _first_verdict(first_line)
    if stated is None:
        yield f"does not open with the verdict ({assessment.verdict})"
    elif stated != assessment.verdict:
        yield f"opens with the verdict '{stated}' where the computed one is '{assessment.verdict}'"
    for line in text.splitlines()[1:]:
        if re.match(r"\W*verdict\b", line, re.IGNORECASE) and _first_verdict(line) not in (None, assessment.verdict):
            yield f"states another verdict later: '{line.strip()}'"


def _first_verdict(line: str) -> str | None:
    after = re.split(r"verdict\W*", line, maxsplit=1, flags=re.IGNORECASE)[-1]
    match = _ANY_VERDICT.search(after)
    return match.lastgroup.replace("_", "-") if match and match.lastgroup else None


def invented_figures(text: str, assessment: Assessment, kb: KnowledgeBase) -> list[str]:
    """Amounts and figures in `text` that no number of the assessment rounds to."""
    known = sorted(set(_numbers_in(assessment.model_dump(mode="json"))) | set(_argument_figures(assessment, kb)))
    plain = CITATION.sub(" ", mask_names(kb, text))
    invented = []
    for match in _NUMBER.finditer(plain):
        value, digits = _value(match)
        if (
            not match["money"]
            and not match["unit"]
            and (value <= 12 or 1990 <= value <= 2100)
            and "." not in match["num"]
        ):
            continue  # list numbers, counts of things, years
        if not any(_rounds_to(candidate, value, digits) for candidate in known):
            invented.append(match.group(0).strip())
    return invented


def _value(match: re.Match[str]) -> tuple[float, int]:
    """The number's value and how many significant digits it was written with."""
    raw = match["num"].replace(",", "")
    significant = len(
        raw.replace(".", "").lstrip("0").rstrip("0") if "." not in raw else raw.replace(".", "").lstrip("0")
    )
    scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "billion": 1e9}.get((match["unit"] or "").lower(), 1)
    return float(raw) * scale, max(1, significant)


def _rounds_to(known: float, value: float, digits: int) -> bool:
    for candidate in (known, known * 100):  # shares are stored as 0.95 and written as 95%
        if candidate == 0:
            if value == 0:
                return True
            continue
        magnitude = math.floor(math.log10(abs(candidate)))
        if abs(round(candidate, digits - 1 - magnitude) - value) <= abs(value) * 1e-9 + 1e-9:
            return True
        if abs(candidate - value) <= abs(candidate) * 0.005:  # a different but close rounding
            return True
    return False


def _numbers_in(data: Any) -> Iterator[float]:
    """Every number in the assessment: its fields, and the figures inside its sentences."""
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        yield float(data)
    elif isinstance(data, str):
        for match in _NUMBER.finditer(data):
            yield _value(match)[0]
    elif isinstance(data, dict):
        for value in data.values():
            yield from _numbers_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from _numbers_in(value)


def _argument_figures(assessment: Assessment, kb: KnowledgeBase) -> Iterator[float]:
    """Figures the cited arguments give (the essay's $8,549 Mac Studio, say)."""
    for argument_id in assessment.cited_arguments:
        for figure in kb.arguments[argument_id].figures:
            yield figure.value
