"""An assessment as the command line's plain text: verdict, costs, reasons with citations, assumptions."""

from __future__ import annotations

from bot.assessment import Assessment
from bot.cli.common import columns
from bot.currency import rate_line
from bot.hints import command
from bot.numbers import human_count, money
from bot.wording import (
    HEADLINES,
    WHERE,
    field_label,
    field_value,
    frontier_line,
    hinges,
    one_off_months,
    service_line,
)


def render_text(assessment: Assessment) -> str:
    a = assessment
    headline = HEADLINES[a.verdict]
    if a.verdict == "hybrid" and a.cloud.frontier_share:
        headline = "Go hybrid: local for most requests, a frontier API for the hard ones"
    lines = [f"{headline} ({a.confidence_label} confidence, {a.confidence:.0%})"]
    if a.leaning:
        lines.append(f"Under our assumptions it leans {a.leaning}.")
    lines += [f"Question: {question}" for question in a.questions or ([a.question] if a.question else [])]
    lines += ["", *_costs(a), "", "Why:"]
    for finding in a.findings:
        cites = " ".join(f"[{argument}]" for argument in finding.arguments)
        marker = "!" if finding.decisive else "-"
        lines.append(f" {marker} {finding.summary} {cites}  ({finding.favours})")
    if a.flips_if:
        lines += ["", "What would change the answer:"]
        lines += [f" - {flip.text}" for flip in a.flips_if]
    if a.sensitivity:
        lines += ["", "What the verdict hinges on:"]
        lines += [f" - {line}" for line in hinges(a)]
    read = [(name, field) for name, field in a.workload.items() if field.how == "stated" and field.span]
    if read:
        lines += ["", "Read from your message:"]
        lines += [
            f' - {field_label(name)}: {field_value(name, field.value, a.shown_in)} ("{field.span}"'
            + (f"; {field.reason})" if field.reason else ")")
            for name, field in read
        ]
    if a.notes:
        lines += ["", *a.notes]
    lines += ["", "Assumptions (correct any that are wrong):"]
    for name, field in a.workload.items():
        if field.how != "stated":
            value = field_value(name, field.value, a.shown_in)
            lines.append(f" - {field_label(name)}: {value} ({field.how}: {field.reason})")
    lines += [
        "",
        f"Knowledge base {a.knowledge_version}; prices from {a.prices}. "
        f"`{command('knowledge show ID')}` explains a [citation].",
    ]
    if rate := rate_line(a.shown_in):
        lines.append(rate)
    return "\n".join(lines)


def _costs(a: Assessment) -> list[str]:
    """The options, cheapest first, then what the best self-hosted one is made of."""
    one_off = bool(a.options) and a.options[0].job_usd is not None
    rows = [("option", "data goes to", "whole job" if one_off else "per month", "meets your needs")]
    for option in a.options:
        needs = "yes" if option.meets_needs else f"no: {option.ruled_out_by.reason}" if option.ruled_out_by else "no"
        marker = "> " if option.label == a.chosen else "  "
        rows.append((marker + option.label, WHERE[option.where], money(option.cost_usd, a.shown_in), needs))
    text = columns(rows)
    if (share := frontier_line(a)) is not None:
        text.append(share)
    if a.local:
        local, b = a.local, a.local.breakdown
        parts = [
            ("hardware", b.hardware_usd),
            ("rental", b.rental_usd),
            ("power", b.power_usd),
            ("setup labour", b.setup_labour_usd),
            ("ops labour", b.ops_labour_usd),
            ("on-call", b.on_call_usd),
        ]
        devices = f"{local.count} x {local.hardware_name}" if local.count > 1 else local.hardware_name
        extras = [f"{local.owned_devices} already owned"] if local.owned_devices else []
        months = one_off_months(a)
        costs = ", ".join(f"{name} {money(value * (months or 1), a.shown_in)}" for name, value in parts if value)
        text.append(
            f"Self-hosted: {local.model_name} ({local.quant}) on {devices}"
            + (f" ({', '.join(extras)})" if extras else "")
            + f"; {'for the whole job' if months else 'a month'}: {costs}; "
            f"busy {local.utilisation:.0%}; {local.speeds.decode_tokens_per_s:g} tokens/s a stream "
            f"({_speed_source(local.speeds.source)}){_on_engine(local.engine)}."
        )
        text.append(service_line(local, months, a.shown_in))
    elif a.local_unavailable:
        text.append(f"Self-hosted: none. {a.local_unavailable}")
    if a.cloud.priced_with:
        text.append(f"{a.cloud.api_model} is priced with {'; '.join(a.cloud.priced_with)}.")
    if a.break_even_tokens_per_day:
        text.append(f"Break-even: about {human_count(a.break_even_tokens_per_day)} tokens a day.")
    if a.payback_months:
        text.append(f"Payback of the hardware and setup: {a.payback_months:.1f} months.")
    return text


def _speed_source(source: str) -> str:
    return "measured on your hardware" if source == "measured" else "estimated"


def _on_engine(engine: str | None) -> str:
    return {"vllm": ", served by a vLLM-style engine", "llama.cpp": ", served by llama.cpp/Ollama"}.get(
        engine or "", ""
    )
