"""Questions stored without their free text: the words each fact was read from, nothing else."""

from __future__ import annotations

from bot.workload import Workload

REDACTED = "[redacted]"


def redact(question: str, workload: Workload) -> str:
    """The spans the parser read facts from, in their order in the question, the rest dropped.

    "we push about 2M tokens a day through gpt-4o-mini for the Acme renewal"
    becomes "[redacted] about 2M tokens a day [redacted] gpt-4o-mini [redacted]":
    the numbers and structure a review needs stay, names and prose go.
    """
    spans = sorted(
        {(question.find(p.span), p.span) for p in workload.provenance.values() if p.span and p.span in question}
    )
    parts: list[str] = []
    end = 0
    for start, span in spans:
        if start < end:
            continue  # inside a span already kept
        if start > end:
            parts.append(REDACTED)
        parts.append(span)
        end = start + len(span)
    if end < len(question):
        parts.append(REDACTED)
    return " ".join(parts) or REDACTED
