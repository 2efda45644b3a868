"""The plain writer: the same structure a model is asked for, from the assessment alone.

Used for --no-llm, and whenever a model is unreachable, slow, missing, or
wrote something that did not check out. It never says anything the
assessment does not.
"""

from __future__ import annotations

from bot.assessment import Assessment, Finding
from bot.numbers import human_count, money

VERDICT_LINES = {
    "local": "Verdict: run it locally",
    "rent": "Verdict: rent GPUs by the hour and run it yourself",
    "cloud": "Verdict: use the cloud API",
    "hybrid": "Verdict: hybrid, local for the base load and the API for the rest",
    "need-more-info": "Verdict: it depends on something we don't know yet",
}
MAX_TRADEOFFS = 4
PER = {False: "a month", True: "for the whole job"}


def template_text(assessment: Assessment) -> str:
    a = assessment
    lines = [f"{VERDICT_LINES[a.verdict]} ({a.confidence_label} confidence)."]
    if a.leaning:
        lines[0] += f" Under our assumptions it leans {a.leaning}."
    lines += ["", "Tradeoffs:"]
    lines += [f"- {finding.summary} {_cite(finding)}" for finding in tradeoffs(a)]
    lines += ["", key_numbers(a), "", next_step(a)]
    return "\n".join(lines)


def tradeoffs(a: Assessment) -> list[Finding]:
    """The findings worth reading: decisive ones, then the rest in order, with one from the other side."""
    chosen = a.findings[:MAX_TRADEOFFS]
    favoured = {a.verdict, a.leaning}
    if all(f.favours in favoured for f in chosen):
        other = next((f for f in a.findings[MAX_TRADEOFFS:] if f.favours not in favoured), None)
        if other is not None:
            chosen = [*chosen[: MAX_TRADEOFFS - 1], other]
    return chosen


def _cite(finding: Finding) -> str:
    return " ".join(f"[{argument}]" for argument in finding.arguments)


def key_numbers(a: Assessment) -> str:
    """The chosen option and the best of each other kind that meets the needs, each at its price."""
    shown = [o for o in a.options if o.label == a.chosen]
    for option in a.options:
        if option.meets_needs and all(option.verdict != other.verdict for other in shown):
            shown.append(option)
    if not shown:  # nothing meets the needs: what each side would cost
        shown = a.options[:2]
    parts = [f"{o.label} {money(o.cost_usd, a.shown_in)} {PER[o.job_usd is not None]}" for o in shown[:3]]
    text = "Key numbers: " + "; ".join(parts) + "."
    if a.break_even_tokens_per_day:
        text += f" Break-even at about {human_count(a.break_even_tokens_per_day)} tokens a day."
    return text


def next_step(a: Assessment) -> str:
    if a.question:
        return f"Next step: answer one question to settle it. {a.question}"
    local = a.local
    if a.verdict == "local" and local is not None:
        if local.owned_devices:
            return (
                f"Next step: serve {local.model_name} on the {local.hardware_name} you already have for a week "
                "and compare its cost and speed with the numbers above."
            )
        return (
            f"Next step: rent one {local.hardware_name} for a few days and load-test {local.model_name} at your "
            "peak before buying anything."
        )
    if a.verdict == "rent" and local is not None:
        return (
            f"Next step: rent {local.count} x {local.hardware_name} for a week, serve {local.model_name} on it under "
            "real traffic, and compare its cost and speed with the numbers above."
        )
    if a.verdict == "hybrid" and local is not None:
        return (
            f"Next step: run {local.model_name} on {local.hardware_name} for the base load and route the rest to "
            f"{a.cloud.api_model}."
        )
    named = a.named_api
    if named is not None and named.label != a.cloud.api_model:
        return (
            f"Next step: try {a.cloud.api_model} on a sample of your requests; if its answers hold up, it does the "
            f"job of {named.label} for less."
        )
    return (
        f"Next step: stay on {a.cloud.api_model} and run `localcheck decisions revisit` when volume or prices change."
    )
