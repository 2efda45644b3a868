"""A team's profile: its electricity price, engineer cost, hardware owned and currency, as every
surface gives it to the answer path (Slack from App Home; the CLI has none).

Checked when saved with the limits of a workload, after conversion to USD; the hardware typed in
the form is read once, then, into knowledge ids and counts (`read_owned_hardware`), so an answer
never re-reads it and a typo is refused with suggestions instead of saved. `apply_team_defaults`
fills a workload from it. Where it is stored is the decision log's business (bot/decisions/teams.py).
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
    owned_hardware: list[OwnedHardware] = Field(default_factory=list)
    """Knowledge hardware ids and counts, read from what the team typed ("2 x RTX 4090")."""
    currency: Currency = "USD"
    updated_by: str | None = None
    set_aside: list[str] = Field(default_factory=list, exclude=True)
    """Stored values that did not hold, in words for the answer; they are not used."""


def check_team_defaults(values: dict[str, str], kb: KnowledgeBase) -> tuple[TeamDefaults, dict[str, str]]:
    """The App Home form's values as defaults, and what is wrong with them by field, in words."""
    errors = {f: "Please give a number." for f in PRICES if values.get(f) and not _is_number(values[f])}
    fields: dict[str, object] = {k: v or None for k, v in values.items() if k in LABELS and k not in errors}
    owned, problem = read_owned_hardware(values.get("owned_hardware") or "", kb)
    fields["owned_hardware"] = owned
    if problem:
        errors["owned_hardware"] = problem
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
    gone = [owned.hardware for owned in defaults.owned_hardware if owned.hardware not in kb.hardware]
    if gone:
        return {"owned_hardware": f"No longer in the knowledge base: {', '.join(gone)}; please choose again."}
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
        fill("owned", list(defaults.owned_hardware), "owned hardware")
    notes = list(defaults.set_aside)
    if not changes:
        return workload, notes
    try:
        return Workload.model_validate({**workload.model_dump(), **changes, "provenance": provenance}), notes
    except ValidationError as error:  # `problems` keeps this from happening; if it does, answer without them
        logger.warning("team defaults did not fit the workload, set aside: %s", error)
        return workload, [*notes, "Your team's defaults from App Home were set aside: they did not fit."]


def read_owned_hardware(text: str, kb: KnowledgeBase) -> tuple[list[OwnedHardware], str | None]:
    """What the team typed ("2 x RTX 4090 and a Mac Studio M2 Ultra") as knowledge ids and counts,
    with the parser's rules; or, when any part is not hardware we know, why, in words."""
    if not text.strip():
        return [], None
    problem = _hardware_problem(text, kb)
    return ([], problem) if problem else (_owned(text, kb), None)


def owned_in_words(owned: list[OwnedHardware], kb: KnowledgeBase) -> str:
    """Hardware owned as the form shows it and `read_owned_hardware` reads it back: "2 x NVIDIA GeForce
    RTX 4090, 1 x Apple Mac Studio M2 Ultra"."""
    return ", ".join(f"{o.count} x {_readable_name(o.hardware, kb)}" for o in owned)


def _readable_name(hardware_id: str, kb: KnowledgeBase) -> str:
    """The hardware's name, without the details in brackets, if it reads back as this hardware (a name
    with a comma or a plus would be read as two); else its id, which always does."""
    hardware = kb.hardware.get(hardware_id)
    if hardware is None:
        return hardware_id
    for name in (hardware.name.split(" (")[0], hardware.name):
        if read_owned_hardware(f"1 x {name}", kb)[0] == [OwnedHardware(hardware=hardware_id)]:
            return name
    return hardware_id


def shown(defaults: TeamDefaults, kb: KnowledgeBase) -> dict[str, str]:
    """The defaults set, by field, as a person reads and types them."""
    values = {field: getattr(defaults, field) for field in PRICES if getattr(defaults, field) is not None}
    words = {field: f"{value:g}" for field, value in values.items()}
    if defaults.owned_hardware:
        words["owned_hardware"] = owned_in_words(defaults.owned_hardware, kb)
    return words | {"currency": defaults.currency}


def _owned(text: str, kb: KnowledgeBase) -> list[OwnedHardware]:
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
        if _owned(part, kb):
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
