"""An assessment as plain text: verdict, costs, reasons with citations, assumptions."""

from __future__ import annotations

from bot.assessment import Assessment
from bot.numbers import human_count, readable, usd

HEADLINES = {
    "local": "Run it locally",
    "cloud": "Use the cloud API",
    "hybrid": "Go hybrid: local for the base load, the API for the peaks",
    "need-more-info": "It depends on something we don't know yet",
}


def render_text(assessment: Assessment) -> str:
    a = assessment
    headline = HEADLINES[a.verdict]
    if a.verdict == "hybrid" and a.cloud.frontier_share:
        headline = "Go hybrid: local for most requests, a frontier API for the hard ones"
    lines = [f"{headline} ({a.confidence_label} confidence, {a.confidence:.0%})"]
    if a.leaning:
        lines.append(f"Under our assumptions it leans {a.leaning}.")
    if a.question:
        lines.append(f"Question: {a.question}")
    lines += ["", *_costs(a), "", "Why:"]
    for finding in a.findings:
        cites = " ".join(f"[{argument}]" for argument in finding.arguments)
        marker = "!" if finding.decisive else "-"
        lines.append(f" {marker} {finding.summary} {cites}  ({finding.favours})")
    if a.flips_if:
        lines += ["", "What would change the answer:"]
        lines += [f" - {flip.text}" for flip in a.flips_if]
    read = [(name, field) for name, field in a.workload.items() if field.how == "stated" and field.span]
    if read:
        lines += ["", "Read from your message:"]
        lines += [f' - {name.replace("_", " ")}: {readable(field.value)} ("{field.span}")' for name, field in read]
    if a.notes:
        lines += ["", *a.notes]
    lines += ["", "Assumptions (correct any that are wrong):"]
    for name, field in a.workload.items():
        if field.how != "stated":
            lines.append(f" - {name.replace('_', ' ')}: {readable(field.value)} ({field.how}: {field.reason})")
    lines += [
        "",
        f"Knowledge base {a.knowledge_version}; prices from {a.prices}. "
        "`localcheck knowledge show ID` explains a [citation].",
    ]
    return "\n".join(lines)


def _costs(a: Assessment) -> list[str]:
    rows = [("option", "per month", "what")]
    if a.local:
        local = a.local
        devices = f"{local.count} x {local.hardware_name}" if local.count > 1 else local.hardware_name
        extras = []
        if local.spare:
            extras.append(f"{local.spare} spare")
        if local.owned_devices:
            extras.append(f"{local.owned_devices} already owned")
        if local.rented:
            extras.append("the rest rented" if local.owned_devices else "rented")
        detail = f"{local.model_name} ({local.quant}) on {devices}" + (f" ({', '.join(extras)})" if extras else "")
        label = f"local ({1 - a.cloud.frontier_share:.0%})" if a.cloud.frontier_share else "local"
        rows.append((label, usd(local.monthly_usd), detail))
        b = local.breakdown
        parts = [
            ("hardware", b.hardware_usd),
            ("rental", b.rental_usd),
            ("power", b.power_usd),
            ("setup labour", b.setup_labour_usd),
            ("ops labour", b.ops_labour_usd),
        ]
        rows.append(("", "", ", ".join(f"{name} {usd(value)}" for name, value in parts if value)))
        rows.append(("", "", f"busy {local.utilisation:.0%}; {local.speeds.decode_tokens_per_s:g} tokens/s a stream"))
    elif a.local_unavailable:
        rows.append(("local", "-", a.local_unavailable))
    cloud = f"{a.cloud.api_model} ({a.cloud.provider})"
    if a.cloud.frontier_share:
        cloud += f", {a.cloud.frontier_api_model} for the {a.cloud.frontier_share:.0%} that need frontier quality"
    rows.append(("cloud", usd(a.cloud.monthly_usd), cloud))
    if a.hybrid:
        rows.append(("hybrid", usd(a.hybrid.monthly_usd), f"{a.hybrid.local_share:.0%} of requests local"))
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)).rstrip() for row in rows]
    if a.break_even_tokens_per_day:
        text.append(f"Break-even: about {human_count(a.break_even_tokens_per_day)} tokens a day.")
    if a.payback_months:
        text.append(f"Payback of the hardware and setup: {a.payback_months:.1f} months.")
    return text
