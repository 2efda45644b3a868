"""What a verdict hinges on: for each assumption that moves costs, the range over which the verdict
holds and the value at which it flips.

Each flip is found by re-running the checker's ruling (`ruling_for`, the step `assess` turns on)
on the workload with one value changed: outward from today's value in geometric steps to a bound,
then halving the interval between the last value that held and the first that did not. The value
reported is one that was tried and flipped, so applying it flips the verdict. It costs up to about
150 decisions (some ten milliseconds), so it is computed for answers people read (`bot.answer`), never
inside `assess`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.assessment import Flip, Sensitivity
from bot.check.assess import ruling_for
from bot.check.capacity import Measured
from bot.check.inputs import AS_THEY_ARE, InvalidWorkload, WhatIf
from bot.check.resolving import resolve_inputs
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import human_count, usd
from bot.workload import Workload, given_volume

STEPS = 4
"""Values tried on each side of today's, geometrically spaced to the bound."""
HALVINGS = 7
"""Bisections of the interval where the verdict turned: the flip to within about 1% of the range."""
VERDICT_WORDS = {
    "local": "run it locally",
    "rent": "rent GPUs",
    "cloud": "use the cloud API",
    "hybrid": "go hybrid",
    "need-more-info": "nothing meets the needs",
}

RELATIVE = frozenset({"hardware_price", "api_price"})
"""Levers given as a share of today's prices, which have no value of their own to show."""

Change = Callable[[float], tuple[Workload, WhatIf]]


@dataclass(frozen=True)
class Lever:
    what: str
    label: str
    today: float
    low: float
    high: float
    change: Change
    said: Callable[[float], str]
    """A value in words, as the answer shows it (amounts in dollars, for `in_currency` to convert)."""


def sensitivity(
    workload: Workload,
    kb: KnowledgeBase,
    measured: Mapping[tuple[str, str], Measured] | None = None,
) -> list[Sensitivity]:
    """For each assumption that moves costs: where the verdict holds and where it flips, narrowest first."""
    base = ruling_for(workload, kb, measured).verdict
    found = []
    for lever in levers(workload, kb):

        def verdict_at(value: float, lever: Lever = lever) -> str | None:
            changed, what_if = lever.change(value)
            try:
                return ruling_for(changed, kb, measured, what_if).verdict
            except (InvalidWorkload, LookupError, ValueError):  # a value the workload cannot take
                return None

        below = _flip(verdict_at, base, lever.today, min(lever.low, lever.today))
        above = _flip(verdict_at, base, lever.today, max(lever.high, lever.today))
        low = below.held if below else min(lever.low, lever.today)
        high = above.held if above else max(lever.high, lever.today)
        flips = [flip for flip in (_said(lever, below, "below"), _said(lever, above, "above")) if flip]
        text = f"{lever.label}: holds from {lever.said(low)}{'' if below else ' or less'} to {lever.said(high)}"
        text += "" if above else " or more"
        text += "" if lever.what in RELATIVE else f" (today {lever.said(lever.today)})"
        text += "".join(f"; {flip.text.removeprefix(lever.label + ' ')}" for flip in flips)
        found.append(
            Sensitivity(
                what=lever.what,
                label=lever.label,
                today=_round(lever.today),
                holds_from=_round(low),
                holds_to=_round(high),
                text=text,
                below=flips[0] if below else None,
                above=flips[-1] if above else None,
            )
        )
    return sorted(found, key=_room)


def levers(workload: Workload, kb: KnowledgeBase) -> list[Lever]:
    """The assumptions that move costs, each with today's value, its bounds and how to change it."""
    today = resolve_inputs(kb, workload)  # the values the answer used, unrounded
    requests = today.requests_per_day
    tokens = today.tokens_per_day
    average = today.average_requests_per_s
    peaking = today.peak_requests_per_s / average
    hourly = today.engineer_hourly_usd
    power = today.electricity_usd_per_kwh
    life = kb.defaults.amortisation_months.value

    def volume(value: float) -> tuple[Workload, WhatIf]:
        return at_volume(workload, requests, value / tokens), AS_THEY_ARE

    def stated(name: str) -> Change:
        return lambda value: (workload.model_copy(update={name: value}), AS_THEY_ARE)

    def priced(name: str) -> Change:
        return lambda value: (workload, WhatIf(**{name: value}))

    def peak(value: float) -> tuple[Workload, WhatIf]:
        return workload.model_copy(update={"peak_requests_per_s": average * value}), AS_THEY_ARE

    share = "{:.0%} of today's".format
    return [
        Lever("volume", "volume", tokens, tokens / 10, tokens * 10, volume, lambda v: f"{human_count(v)} tokens a day"),
        Lever(
            "engineer_cost",
            "engineer cost",
            hourly,
            hourly / 10,
            min(5_000, hourly * 10),
            stated("engineer_hourly_usd"),
            lambda v: f"{usd(v)} an hour",
        ),
        Lever(
            "electricity",
            "electricity",
            power,
            power / 10,
            min(5.0, power * 10),
            stated("electricity_usd_per_kwh"),
            lambda v: f"{usd(v)} a kWh",
        ),
        Lever("hardware_price", "hardware prices", 1.0, 0.1, 10.0, priced("hardware_price"), share),
        Lever(
            "hardware_life", "hardware life", life, 6.0, 120.0, priced("hardware_life_months"), "{:.0f} months".format
        ),
        Lever(
            "utilisation",
            "busiest hour over the average",
            peaking,
            1.0,
            min(10 * peaking, 1e6 / average),
            peak,
            "{:.1f}x".format,
        ),
        Lever("api_price", "API prices", 1.0, 0.1, 10.0, priced("api_price"), share),
    ]


def at_volume(workload: Workload, requests_per_day: float, factor: float) -> Workload:
    """The same workload at `factor` times `requests_per_day`, the volume its answer used (a stated
    peak scales with it)."""
    changes = given_volume("requests_per_day", requests_per_day * factor)
    if workload.peak_requests_per_s is not None:
        changes["peak_requests_per_s"] = workload.peak_requests_per_s * factor
    return workload.model_copy(update=changes)


@dataclass(frozen=True)
class Turn:
    held: float
    """The last value tried at which the verdict held."""
    value: float
    """The first value tried at which it did not."""
    verdict: str


def _flip(verdict_at: Callable[[float], str | None], base: str, today: float, bound: float) -> Turn | None:
    """Where the verdict stops being `base`, from `today` towards `bound`; None if it holds all the way."""
    if bound <= 0 or today <= 0 or math.isclose(bound, today):
        return None
    held = today
    for step in range(1, STEPS + 1):
        value = today * (bound / today) ** (step / STEPS)
        verdict = verdict_at(value)
        if verdict is None:
            return None
        if verdict != base:
            turn = Turn(held, value, verdict)
            for _ in range(HALVINGS):
                middle = math.sqrt(turn.held * turn.value)
                at_middle = verdict_at(middle)
                if at_middle is None or at_middle == base:
                    turn = Turn(middle, turn.value, turn.verdict)
                else:
                    turn = Turn(turn.held, middle, at_middle)
            return turn
        held = value
    return None


def _said(lever: Lever, turn: Turn | None, side: str) -> Flip | None:
    if turn is None:
        return None
    words = VERDICT_WORDS[turn.verdict]
    return Flip(what=lever.what, value=turn.value, text=f"{lever.label} {side} {lever.said(turn.value)}: {words}")


def _room(row: Sensitivity) -> float:
    """How far a value may move before the verdict turns, as a factor: the least room matters most."""
    down = row.today / row.holds_from if row.below and row.holds_from else math.inf
    up = row.holds_to / row.today if row.above and row.today else math.inf
    return min(down, up)


def _round(value: float) -> float:
    return float(f"{value:.4g}")
