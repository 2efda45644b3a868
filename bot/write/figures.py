"""The figures a text states, in digits or in words, against the numbers an assessment holds.

An amount must round from a number of the assessment (to the precision it is
written with), be in dollars as the assessment is, and a count of devices or
people must be one the assessment has. Small plain numbers ("three to five
tradeoffs") and years pass; numbers inside names ("RTX 4090") are not figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.parse.names import Mention, mentions

_SMALL_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen"
)
_SMALL = {word: value for value, word in enumerate(_SMALL_WORDS.split())}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {word: 10 * (i + 2) for i, word in enumerate(_TENS_WORDS.split())}
_MULTIPLIERS = {"dozen": 12, "couple": 2, "hundred": 100}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
_SEPARATOR = re.compile(r"[\s-]+(?:and[\s-]+)?|[\s-]*")

_FIGURE = re.compile(
    r"(?P<before>(?:R|C|A|NZ|HK|S|MX)\$|US\$|\$|€|£|¥|₹|₩|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|INR|SEK|NOK|DKK|PLN)\s?)?"
    r"(?<![\w.,/-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![.,]\d)"
    r"(?:\s?(?P<scale>k|thousand|m|mn|million|bn|billion|trillion)\b)?"
    r"(?:\s?(?P<unit>%|percent\b|per\s?cent\b|x\b|\u00d7|times\b|months?\b|years?\b))?"
    r"(?:\s?(?P<after>(?:USD|US\s?dollars?|dollars?|bucks|grand|EUR|euros?|GBP|pounds?|quid|CHF|francs?|JPY|yen|INR"
    r"|rupees?|CAD|AUD|SEK|NOK|DKK|kr|PLN)\b|[€£¥₹₩]))?",
    re.IGNORECASE,
)
_DOLLARS = {
    "$",
    "us$",
    "usd",
    "dollar",
    "dollars",
    "bucks",
    "grand",
    "us dollar",
    "us dollars",
    "usdollars",
    "usdollar",
}
_SCALE_VALUES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_BEFORE_THING = re.compile(
    r"\s*(?:x|\u00d7)?\s*(?:(?:more|new|extra|additional|spare|used|identical|separate|dedicated"
    r"|of(?: the| those| these)?)\s+)*",
    re.IGNORECASE,
)
_THING = re.compile(
    r"(?:gpus?|graphics cards?|cards?|boxes|box|servers?|machines?|nodes?|devices?|hosts?|replicas?|accelerators?"
    r"|instances?|workstations?|rigs?|macs?|racks?|spares?|engineers?|people|persons?|staff|sres?|admins?|hires?"
    r"|ftes?|developers?|devs?|operators?)\b",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"\[[^\]\n]*\]|<[^>\n]*>|\(\s*https?://[^)\s]*\)|\b(?:https?://|www\.)\S+|\b24/7\b")
"""Citations, Slack markup and links are checked on their own; their digits are no figures."""


@dataclass(frozen=True)
class Known:
    """What a text may state: the assessment's numbers, and the counts of things it has."""

    numbers: tuple[float, ...]
    money: tuple[float, ...]
    """Amounts only, in the answer's currency: "$500" must round from one, not from a token count or a speed."""
    counts: frozenset[int]
    currency: frozenset[str] = frozenset(_DOLLARS)
    """How the answer's currency may be written; an amount in any other is refused."""
    code: str = "USD"

    @classmethod
    def of(cls, assessment: Assessment, kb: KnowledgeBase) -> Known:
        shown = assessment.shown_in
        # Number fields stay in US dollars; the answer, and so the text, gives them in its currency.
        rate = shown.usd_per_unit if shown else 1.0
        spelled = frozenset(s.replace(" ", "") for s in shown.spellings) if shown else frozenset(_DOLLARS)
        data = assessment.model_dump(mode="json", exclude={"knowledge_version", "prices", "shown_in"})  # ids
        numbers, money = set(), set()
        for value, is_money, is_field in _numbers_in(data, spelled):
            if is_money and is_field:
                value /= rate
            numbers.add(value)
            if is_money:
                money.add(value)
        for argument in assessment.cited_arguments:
            for figure in kb.arguments[argument].figures:
                is_money = figure.unit.startswith("USD")
                numbers.add(figure.value / rate if is_money else figure.value)
                if is_money:
                    money.add(figure.value / rate)
        known = frozenset(_counts(assessment))
        return cls(tuple(sorted(numbers)), tuple(sorted(money)), known, spelled, shown.code if shown else "USD")


def figure_problems(text: str, known: Known, kb: KnowledgeBase) -> Iterator[str]:
    """What is wrong with each figure of `text`, one problem a figure."""
    visible = _HIDDEN.sub(lambda m: " " * len(m.group(0)), digitise(text))
    plain = _blank_names(kb, visible)  # the same length: positions agree
    hardware = mentions(kb, "hardware", visible)
    for match in _FIGURE.finditer(plain):
        figure = match.group(0).strip()
        currency = _currency(match)
        if currency and currency not in known.currency:
            yield f"gives an amount in another currency ({figure}); the answer is in {known.code}"
            continue
        value, digits = _value(match)
        plain_number = not (currency or match["scale"] or match["unit"])
        thing = _counted_thing(visible, match, hardware) if plain_number else None
        if thing:
            if int(value) != value or int(value) not in known.counts:
                yield f"counts {figure} {thing}, a number the assessment does not have"
            continue
        if plain_number and "." not in match["num"] and (value <= 12 or 1990 <= value <= 2100):
            continue  # list numbers, "one question", years
        candidates = known.money if currency else known.numbers
        if not any(_rounds_to(candidate, value, digits) for candidate in candidates):
            yield f"states {figure}, which the assessment does not"


def _blank_names(kb: KnowledgeBase, text: str) -> str:
    """`text` with model and hardware names turned into as many spaces, so "RTX 4090" or "Llama 3.1 8B"
    is no figure and a position in it is the same position in `text` (parse's `mask_names` collapses
    each name to one space, which would shift every figure after it onto other words)."""
    chars = list(text)
    for table in ("models", "api_models", "hardware"):
        for name in mentions(kb, table, text):
            chars[name.start : name.end] = " " * (name.end - name.start)
    return "".join(chars)


def digitise(text: str) -> str:
    """`text` with numbers written in words as digits: "twelve thousand dollars" -> "12000 dollars"."""
    out, last = [], 0
    for start, end, value in _word_numbers(text):
        out += [text[last:start], f"{value:g}" if value != int(value) else str(int(value))]
        last = end
    return "".join([*out, text[last:]])


def _word_numbers(text: str) -> Iterator[tuple[int, int, float]]:
    """Runs of number words, with a leading "a", "an" or "half a" where one belongs: (start, end, value)."""
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        run_start, factor = i, 1.0
        if words[i][2] == "half" and i + 1 < len(words) and words[i + 1][2] in ("a", "an"):
            factor, i = 0.5, i + 1
        if words[i][2] in ("a", "an") and i + 1 < len(words) and words[i + 1][2] in (*_MULTIPLIERS, *_SCALES):
            i += 1
        run: list[tuple[int, int, str]] = []
        j = i
        while j < len(words):
            if words[j][2] == "and" and run and j + 1 < len(words) and _continues(text, run[-1], words[j + 1]):
                j += 1  # "two hundred and ten"
            if not (_is_number_word(words[j][2]) and (not run or _continues(text, run[-1], words[j]))):
                break
            run.append(words[j])
            j += 1
        if not run or _scales_a_figure(text, words[run_start][0], run):
            i = run_start + 1
            continue
        yield words[run_start][0], run[-1][1], factor * _words_value([w[2] for w in run])
        i = j


def _scales_a_figure(text: str, start: int, run: list[tuple[int, int, str]]) -> bool:
    """A scale word after digits ("884.1 million") is part of that figure, not a number of its own."""
    return all(word in _SCALES for _, _, word in run) and bool(re.search(r"\d\s?$", text[:start]))


def _is_number_word(word: str) -> bool:
    return word in _SMALL or word in _TENS or word in _MULTIPLIERS or word in _SCALES


def _continues(text: str, previous: tuple[int, int, str], word: tuple[int, int, str]) -> bool:
    """Whether `word` goes on the number `previous` is part of ("twenty-five", "two hundred and ten")."""
    between = text[previous[1] : word[0]]
    if not _SEPARATOR.fullmatch(between) or not _is_number_word(word[2]):
        return False
    if "and" in between and previous[2] not in (*_MULTIPLIERS, *_SCALES):
        return False
    units = (*_SMALL, *_TENS)
    return not (previous[2] in units and word[2] in units and not (previous[2] in _TENS and word[2] in _SMALL))


def _words_value(words: list[str]) -> float:
    total, current = 0.0, 0.0
    for word in words:
        if word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
        elif word in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[word]
        else:
            total, current = total + (current or 1) * _SCALES[word], 0.0
    return total + current


def _counted_thing(text: str, match: re.Match[str], hardware: tuple[Mention, ...]) -> str | None:
    """What a plain number counts, if devices or people: "8 H100", "a dozen GPUs", "H100 x 8", "2 SREs"."""
    before_thing = _BEFORE_THING.match(text, match.end())
    at = before_thing.end() if before_thing else match.end()
    named = next((m for m in hardware if m.start == at), None)
    if named is not None:
        return text[named.start : named.end]
    thing = _THING.match(text, at)
    if thing:
        return thing.group(0)
    times = re.search(r"(?:x|\u00d7)\s*$", text[: match.start()], re.IGNORECASE)
    named = next((m for m in hardware if times and text[m.end : times.start()].strip() == ""), None)
    return text[named.start : named.end] if named else None


def _currency(match: re.Match[str]) -> str:
    return re.sub(r"\s", "", match["before"] or match["after"] or "").lower()


def _value(match: re.Match[str]) -> tuple[float, int]:
    """The number's value and how many significant digits it was written with."""
    raw = match["num"].replace(",", "")
    significant = len(
        raw.replace(".", "").lstrip("0").rstrip("0") if "." not in raw else raw.replace(".", "").lstrip("0")
    )
    scale = _SCALE_VALUES.get((match["scale"] or "").lower(), 1) * (
        1e3 if (match["after"] or "").lower() == "grand" else 1
    )
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


def _numbers_in(data: Any, currency: frozenset[str], key: str = "") -> Iterator[tuple[float, bool, bool]]:
    """Every number in the assessment, whether it is money, and whether it is a field's (in US dollars)
    rather than a sentence's (in the answer's `currency`)."""
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        yield float(data), "usd" in key, True
    elif isinstance(data, str):
        for match in _FIGURE.finditer(digitise(data)):
            yield _value(match)[0], _currency(match) in currency, False
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _numbers_in(value, currency, f"{key}.{name}")
    elif isinstance(data, list):
        for value in data:
            yield from _numbers_in(value, currency, key)


def _counts(a: Assessment) -> Iterable[int]:
    """Every count of devices or people the assessment has; "one" of anything is always fair."""
    yield 1
    if a.local:
        local = a.local
        yield from (local.count, local.devices_per_replica, local.replicas, local.spare, local.owned_devices)
        yield from (local.hosts, local.sites)
        yield local.count - local.owned_devices
    if a.hybrid:
        yield a.hybrid.count
    for name in ("owned", "ops_staff"):
        field = a.workload.get(name)
        values = field.value if field and isinstance(field.value, list) else [field.value if field else None]
        for value in values:
            count = value.get("count") if isinstance(value, dict) else value
            if isinstance(count, int | float) and not isinstance(count, bool) and count == int(count):
                yield int(count)
