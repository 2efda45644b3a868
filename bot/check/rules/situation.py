"""What every rule may look at, and how a rule says an amount: a month, or a one-off job whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.assessment import Finding
from bot.check.hybrids import Hybrid
from bot.check.inputs import Inputs
from bot.check.options import Choice, Frontier
from bot.check.paying import Option
from bot.check.sizing import Plan
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import usd


@dataclass(frozen=True)
class Situation:
    """Everything a rule may look at."""

    kb: KnowledgeBase
    inputs: Inputs
    plan: Plan | None
    cloud_usd: float
    hybrid: Hybrid | None
    local_unavailable: str | None
    options: list[Option]
    """The replica shapes and ways to pay the data rules allow, cheapest floor first."""
    frontier: Frontier
    """With a frontier share, `inputs`, `plan` and `cloud_usd` are about the rest of the requests."""
    choices: list[Choice]
    """Every option priced, cheapest first (see `bot.check.options`)."""


Rule = Callable[[Situation], Finding | None]


def per(s: Situation, monthly_usd: float) -> float:
    """A monthly amount in the unit the answer uses: a month, or the whole of a one-off job."""
    return monthly_usd * (s.inputs.one_off_months or 1)


def money(s: Situation, monthly_usd: float) -> str:
    """ "$1,200 a month", or for a one-off job "$1,800 for the whole job"."""
    return f"{usd(per(s, monthly_usd))} {'for the whole job' if s.inputs.one_off_months else 'a month'}"
