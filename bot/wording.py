"""How an answer is said, shared by every surface (the Slack card and the command line's text):
the headline of each verdict, where the data goes, the service line, what the verdict hinges on."""

from __future__ import annotations

from bot.assessment import Assessment, LocalOption, ShownIn
from bot.numbers import money, readable

HEADLINES = {
    "local": "Run it locally",
    "rent": "Rent GPUs and run it yourself",
    "cloud": "Use the cloud API",
    "hybrid": "Go hybrid: local for the base load, the API for the peaks",
    "need-more-info": "It depends on something we don't know yet",
}

WHERE = {"premises": "your premises", "own-cloud": "your cloud account", "provider": "a provider"}


def hinges(a: Assessment) -> list[str]:
    """What the verdict hinges on, compactly: each assumption at which it turns, then those it holds across."""
    turning = [row.text for row in a.sensitivity if row.below or row.above]
    steady = [row.label for row in a.sensitivity if not (row.below or row.above)]
    if steady:
        listed = ", ".join(steady[:-1]) + (" and " if len(steady) > 1 else "") + steady[-1]
        turning.append(f"it holds over every value tried (about a tenth to ten times today's) of the {listed}")
    return turning


def field_label(name: str) -> str:
    """A workload field's name in words; its amounts are shown in the team's currency, so no "usd"."""
    return name.replace("_usd", "").replace("usd_", "").replace("_", " ")


def field_value(name: str, value: object, shown_in: ShownIn | None, missing: str = "not said") -> str:
    """A workload field's value in words, an amount in the team's currency."""
    if "usd" in name and isinstance(value, int | float) and not isinstance(value, bool):
        return money(value, shown_in)
    return readable(value, missing)


def service_line(local: LocalOption, months: float | None = None, shown_in: ShownIn | None = None) -> str:
    """How the self-hosted option is run: its hosts and sites, what the redundancy and the on-call
    cost, and the people's time, at the service level it needs."""
    per = "for the whole job" if months else "a month"
    where = f"{local.hosts} host{'s' * (local.hosts > 1)}" + (f" at {local.sites} sites" if local.sites > 1 else "")
    spares = f"{local.spare} spare host{'s' * (local.spare > 1)}" if local.spare else ""
    extra = " and ".join(x for x in ("a second site" if local.sites > 1 else "", spares) if x)
    paid = [f"{extra} {money(local.redundancy_usd * (months or 1), shown_in)}"] if extra else []
    if local.breakdown.on_call_usd:
        paid.append(f"on-call pay {money(local.breakdown.on_call_usd * (months or 1), shown_in)}")
    level = f"{local.service_level}; " if local.service_level else ""
    return (
        f"Service: {level}{where}; "
        + (f"{', '.join(paid)} {per}; " if paid else "")
        + f"{local.labour_hours_per_month:g} engineer-hours a month."
    )


def one_off_months(a: Assessment) -> float | None:
    """For a one-off job, how long it runs: its costs are said for the whole job."""
    field = a.workload.get("one_off_months")
    return float(field.value) if field is not None and field.value else None


def frontier_line(a: Assessment) -> str | None:
    """A frontier share goes to the same API whatever serves the rest: said once, beside the options."""
    cloud = a.cloud
    if not cloud.frontier_share or cloud.frontier_monthly_usd is None:
        return None
    return (
        f"Every option sends the {cloud.frontier_share:.0%} that need frontier quality to {cloud.frontier_api_model} "
        f"({money(cloud.frontier_monthly_usd, a.shown_in)} a month, included above)."
    )
