"""Finds what bears on the verdict: each rule reads the facts and the priced options, and cites its arguments.

A rule returns a finding or nothing. Decisive findings rule an option out
(data that may not leave, an offline site, a need only frontier APIs meet, a
model no local server holds); the rest lean one way and decide close calls.
The rules live by subject: `constraints`, `money` and `service`; this lists
them in the order an answer reads them.
"""

from __future__ import annotations

from bot.assessment import Finding
from bot.check.rules.constraints import (
    data_must_stay,
    data_terms,
    frontier_quality,
    frontier_share,
    no_local_fit,
    offline,
    round_the_clock,
)
from bot.check.rules.money import (
    cheaper_same_tier,
    cost,
    hosted_open_weights,
    hybrid_cheapest,
    labour_share,
    no_ops_staff,
    one_off,
    price_levers,
    prices_fall,
    rent_or_buy,
    retired_api,
    retiring_api,
    tiny_volume,
)
from bot.check.rules.service import (
    availability,
    bursty,
    first_token,
    geforce_licence,
    low_utilisation,
    no_lock_in,
    on_call,
    ops_staff_available,
    owned_hardware,
    rate_limits,
    stable_latency,
)
from bot.check.rules.situation import Rule, Situation

__all__ = ["RULES", "Situation", "findings"]

RULES: tuple[Rule, ...] = (
    data_must_stay,
    offline,
    frontier_quality,
    round_the_clock,
    no_local_fit,
    frontier_share,
    cost,
    retired_api,
    hybrid_cheapest,
    cheaper_same_tier,
    retiring_api,
    hosted_open_weights,
    rent_or_buy,
    data_terms,
    price_levers,
    geforce_licence,
    no_ops_staff,
    labour_share,
    owned_hardware,
    one_off,
    availability,
    on_call,
    first_token,
    low_utilisation,
    bursty,
    rate_limits,
    stable_latency,
    ops_staff_available,
    tiny_volume,
    prices_fall,
    no_lock_in,
)


def findings(situation: Situation) -> list[Finding]:
    """Every finding that applies: decisive first, then in the order of RULES."""
    found = [f for f in (rule(situation) for rule in RULES) if f is not None]
    return sorted(found, key=lambda f: not f.decisive)
