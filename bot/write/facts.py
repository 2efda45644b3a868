"""What a model is told: the assessment's facts and the texts of the arguments its findings cite. Nothing else."""

from __future__ import annotations

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.numbers import money
from bot.wording import frontier_line
from bot.write.template import PER, key_numbers, tradeoffs

MAX_OPTIONS = 5
MAX_HINGES = 3
"""The assumptions the verdict is nearest to turning on: the prompt stays near its size."""


def prompt_facts(assessment: Assessment, kb: KnowledgeBase) -> str:
    a = assessment
    lines = [f"Verdict: {a.verdict} (confidence {a.confidence:.0%}, {a.confidence_label})"]
    if a.leaning:
        lines.append(f"Under the assumptions made it leans {a.leaning}.")
    if a.question:
        lines.append(f"The one question that would settle it: {a.question}")
    lines.append(key_numbers(a))
    lines.append("Options, cheapest first (the chosen one marked):")
    for option in a.options[:MAX_OPTIONS]:
        why = option.ruled_out_by
        needs = f"ruled out: {why.reason}" if why else "meets the needs"
        mark = "* " if option.label == a.chosen else ""
        cost = money(option.cost_usd, a.shown_in, places=2)
        lines.append(f"- {mark}{option.label}: {cost} {PER[option.job_usd is not None]}, {needs}")
    if (share := frontier_line(a)) is not None:
        lines.append(share)
    if a.local:
        b = a.local.breakdown
        parts = {"hardware": b.hardware_usd, "rental": b.rental_usd, "power": b.power_usd}
        parts |= {"setup labour": b.setup_labour_usd, "ops labour": b.ops_labour_usd}
        costs = ", ".join(f"{name} {money(value, a.shown_in, places=2)}" for name, value in parts.items())
        lines.append(
            f"Self-hosted: {a.local.model_name} ({a.local.quant}) on {a.local.count} x {a.local.hardware_name}; "
            f"per month {costs}; busy {a.local.utilisation:.0%}."
        )
    elif a.local_unavailable:
        lines.append(f"Self-hosted: none. {a.local_unavailable}")
    lines.append("Findings, most important first:")
    chosen = tradeoffs(a)
    for finding in chosen:
        cites = " ".join(f"[{x}]" for x in finding.arguments)
        lines.append(
            f"- {finding.summary} {cites} (favours {finding.favours}{', decisive' if finding.decisive else ''})"
        )
    if a.flips_if:
        lines.append("What would change the answer: " + "; ".join(flip.text for flip in a.flips_if) + ".")
    if turning := [row.text for row in a.sensitivity if row.below or row.above][:MAX_HINGES]:
        lines.append("What the verdict hinges on: " + "; ".join(turning) + ".")
    lines.append("Arguments cited:")
    for argument_id in dict.fromkeys(x for finding in chosen for x in finding.arguments):
        argument = kb.arguments[argument_id]
        lines.append(f"[{argument_id}] {argument.title}: {argument.claim}")
    return "\n".join(lines)


def approx_tokens(text: str) -> int:
    """A token is about four characters of English; good enough to keep prompts small."""
    return round(len(text) / 4)
