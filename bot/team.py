"""A team's profile: its electricity price, engineer cost, hardware owned and currency, as every
surface gives it to the answer path (Slack from App Home; the CLI has none).

Checked when saved with the limits of a workload, after conversion to USD, and hardware must be
hardware we know; `apply_team_defaults` fills a workload from it. Where it is stored is the
decision log's business (bot/decisions/teams.py).
"""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.currency import to_usd
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.resolve import UnknownName, find_hardware
from bot.workload import OwnedHardware, Provenance, Workload

logger = logging.getLogger(__name__)
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 code; one knowledge/currencies.yaml has a rate for (see `problems`)."""
PRICES = {  # a default's field: the workload field it fills, and its unit there
    "electricity_price": ("electricity_usd_per_kwh", "a kWh"),
    "engineer_hourly_cost": ("engineer_hourly_usd", "an hour"),
}
LABELS = {
    "electricity_price": "electricity price",
    "engineer_hourly_cost": "engineer cost",
    "owned_hardware": "hardware owned",
    "currency": "currency",
}
UNKNOWN_CURRENCY = "its currency is not one we know."
_SEPARATORS = re.compile(r"\s*(?:,|;|\+|&|\band\b|\bplus\b)\s*", re.IGNORECASE)
_COUNT = re.compile(r"^\s*\d+\s*(?:x|\u00d7)?\s*", re.IGNORECASE)


class TeamDefaults(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    electricity_price: float | None = Field(None, ge=0)
    """In `currency` a kWh; its upper limit is the workload's, in USD (see `problems`)."""
    engineer_hourly_cost: float | None = Field(None, ge=0)
    owned_hardware: str | None = None
    """As the team typed it, e.g. "2 x RTX 4090"; read with the parser's rules."""
    currency: Currency = "USD"
    updated_by: str | None = None
    set_aside: list[str] = Field(default_factory=list, exclude=True)
    """Stored values that did not hold, in words for the answer; they are not used."""


def check_team_defaults(values: dict[str, str], kb: KnowledgeBase) -> tuple[TeamDefaults, dict[str, str]]:
    """The App Home form's values as defaults, and what is wrong with them by field, in words."""
    errors = {f: "Please give a number." for f in PRICES if values.get(f) and not _is_number(values[f])}
    fields = {k: v or None for k, v in values.items() if k in LABELS and k not in errors}
    try:
        defaults = TeamDefaults.model_validate(fields)
    except ValidationError as error:
        errors |= {str(d["loc"][0]): in_words(d) for d in error.errors(include_url=False) if d["loc"]}
        defaults = TeamDefaults()
    return defaults, problems(defaults, kb) | errors


def problems(defaults: TeamDefaults, kb: KnowledgeBase) -> dict[str, str]:
    """By field, why a default cannot be used: over a workload's limits in USD, or hardware we do not know."""
    found: dict[str, str] = {}
    if defaults.currency not in kb.currencies:
        found["currency"] = f"Not a currency we have a rate for; we know {', '.join(kb.currencies)}."
        found |= {field: UNKNOWN_CURRENCY for field in PRICES if getattr(defaults, field) is not None}
        return found | _hardware_problems(defaults, kb)
    rate = to_usd(kb, defaults.currency)
    for field, (workload_field, unit) in PRICES.items():
        value = getattr(defaults, field)
        if value is None:
            continue
        try:
            Workload.model_validate({workload_field: value * rate})
        except ValidationError as error:
            found[field] = _limit_message(error, value, rate, defaults.currency, unit)
    return found | _hardware_problems(defaults, kb)


def _hardware_problems(defaults: TeamDefaults, kb: KnowledgeBase) -> dict[str, str]:
    if defaults.owned_hardware and (problem := _hardware_problem(defaults.owned_hardware, kb)):
        return {"owned_hardware": problem}
    return {}


def apply_team_defaults(workload: Workload, defaults: TeamDefaults, kb: KnowledgeBase) -> tuple[Workload, list[str]]:
    """`workload` with the team's defaults where the question said nothing, marked as such, and notes
    on any default that was set aside. The result is validated, so it can always be logged and read back."""
    rate = to_usd(kb, defaults.currency)
    by = f" (set by {defaults.updated_by})" if defaults.updated_by else ""
    changes: dict[str, object] = {}
    provenance = dict(workload.provenance)

    def fill(field: str, value: object, what: str) -> None:
        if value is not None and getattr(workload, field) in (None, []):
            changes[field] = value
            provenance[field] = Provenance(how="assumed", reason=f"your team's default {what}{by}, from App Home")

    for field, (workload_field, _) in PRICES.items():
        if (value := getattr(defaults, field)) is not None:
            fill(workload_field, value * rate, f"{LABELS[field]} ({defaults.currency})")
    if defaults.owned_hardware:
        fill("owned", owned_hardware(defaults.owned_hardware, kb) or None, "owned hardware")
    notes = list(defaults.set_aside)
    if not changes:
        return workload, notes
    try:
        return Workload.model_validate({**workload.model_dump(), **changes, "provenance": provenance}), notes
    except ValidationError as error:  # `problems` keeps this from happening; if it does, answer without them
        logger.warning("team defaults did not fit the workload, set aside: %s", error)
        return workload, [*notes, "Your team's defaults from App Home were set aside: they did not fit."]


def owned_hardware(text: str, kb: KnowledgeBase) -> list[OwnedHardware]:
    from bot.parse import parse

    return parse(f"we have {text}", kb).workload.owned


def _limit_message(error: ValidationError, value: float, rate: float, currency: str, unit: str) -> str:
    said = in_words(error.errors(include_url=False)[0], f" USD {unit}").removesuffix(".")
    return said + (f"; {value:g} {currency} is {value * rate:,.2f} USD." if currency != "USD" else ".")


def in_words(detail: Any, unit: str = "") -> str:
    """A pydantic error as a short sentence for beside a field: "At most 5 USD a kWh."."""
    limits = detail.get("ctx") or {}
    if "le" in limits:
        return f"At most {limits['le']:g}{unit}."
    if "ge" in limits:
        return f"At least {limits['ge']:g}{unit}."
    return str(detail["msg"]).rstrip(".") + "."


def _hardware_problem(text: str, kb: KnowledgeBase) -> str | None:
    """Which part of `text` is not hardware we know, with the closest names."""
    for part in filter(None, _SEPARATORS.split(text)):
        if owned_hardware(part, kb):
            continue
        name = _COUNT.sub("", part).strip() or part
        try:
            known = find_hardware(kb, name)
        except UnknownName as unknown:
            hint = f" Did you mean {' or '.join(unknown.suggestions)}?" if unknown.suggestions else ""
            return f"Unknown hardware '{name}'.{hint}"
        return f"Could not read '{part}': say how many, e.g. '2 x {known.name}'."
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
