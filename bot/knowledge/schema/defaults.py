"""defaults.yaml: the assumptions behind every answer, each with its reason."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from bot.knowledge.schema.base import LARGEST_FIGURE, Entry, Text
from bot.knowledge.schema.models import ApiQualityTier
from bot.units import HOURS_PER_MONTH


class Default(Entry):
    """One assumption used when a team has not said otherwise."""

    value: Annotated[float, Field(le=LARGEST_FIGURE)]
    unit: Text
    reason: Text


class QualityDefault(Entry):
    value: ApiQualityTier
    reason: Text


class Defaults(Entry):
    """The assumptions behind every answer. Each one carries its reason."""

    electricity_usd_per_kwh: Default
    pue: Default
    engineer_hourly_usd: Default
    setup_hours: Default
    setup_hours_business_hours: Default
    setup_hours_round_the_clock: Default
    rented_setup_share: Default
    ops_hours_per_month: Default
    ops_hours_business_hours: Default
    ops_hours_round_the_clock: Default
    on_call_hours_per_month: Default
    on_call_response_minutes: Default
    on_call_rotation_people: Default
    setup_hours_per_extra_site: Default
    ops_hours_per_extra_site: Default
    host_availability: Default
    site_availability: Default
    implied_availability: Default
    amortisation_months: Default
    hours_per_month: Default
    runtime_overhead_gb: Default
    split_penalty_per_device: Default
    requests_per_day: Default
    input_tokens: Default
    output_tokens: Default
    peak_to_average: Default
    interactive_tokens_per_s: Default
    interactive_first_token_s: Default
    no_ops_staff_factor: Default
    low_utilisation: Default
    cost_tie_margin: Default
    ops_hours_per_extra_server: Default
    rate_limit_tokens_per_minute: Default
    labour_share_high: Default
    bursty_peak_to_average: Default
    tiny_api_bill_usd: Default
    contender_cost_ratio: Default
    engineer_hours_per_year: Default
    reasoning_output_multiplier: Default
    quality_tier: QualityDefault

    @model_validator(mode="after")
    def _in_range(self) -> Defaults:
        for name, default in self:
            if isinstance(default, Default) and default.value < 0:
                raise ValueError(f"{name}: a default may not be negative")
            if name in _MORE_THAN_ZERO and isinstance(default, Default) and default.value == 0:
                raise ValueError(f"{name}: must be more than 0 (answers count in it or divide by it)")
        if self.pue.value < 1:
            raise ValueError("pue: power usage effectiveness is 1.0 or more")
        if self.hours_per_month.value != HOURS_PER_MONTH:  # volumes are read "a month" in this length too
            raise ValueError(f"hours_per_month: a month is {HOURS_PER_MONTH:g} hours, a twelfth of a 365-day year")
        for name in _FRACTIONS:
            if not 0 < getattr(self, name).value < 1:
                raise ValueError(f"{name}: a fraction between 0 and 1")
        return self


_FRACTIONS = ("host_availability", "site_availability", "implied_availability", "rented_setup_share")
"""Defaults that are shares or uptimes: 0 and 1 are never meant (an answer divides by their complement)."""


_MORE_THAN_ZERO = frozenset(
    {
        "amortisation_months",
        "hours_per_month",
        "on_call_response_minutes",
        "on_call_rotation_people",
        "requests_per_day",
        "input_tokens",
        "output_tokens",
        "peak_to_average",
        "interactive_tokens_per_s",
        "interactive_first_token_s",
        "no_ops_staff_factor",
        "engineer_hours_per_year",
        "reasoning_output_multiplier",
    }
)
"""Defaults that are counts, rates or divisors: zero is never meant."""
