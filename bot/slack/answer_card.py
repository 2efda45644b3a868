"""The answer card: verdict, options and costs, the top findings with their citations, what would
change the answer, what was read and what was assumed, and the buttons; its plain text and title."""

from __future__ import annotations

from bot.assessment import Assessment, ServingOption
from bot.currency import rate_line
from bot.numbers import human_count, money
from bot.slack.blocks import Block, answer_buttons, feedback_buttons, mrkdwn, quoted, section
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

MAX_FINDINGS = 4
MAX_FLIPS = 2
MAX_READ = 6
MAX_TITLE = 80


def card(a: Assessment, decision_id: str | None, *, buttons: bool = True) -> list[Block]:
    """The computed answer: verdict, costs, top findings with citations, what would change it, what
    was read from the message and what was assumed, and the buttons."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": HEADLINES[a.verdict][:150]}},
        {
            "type": "context",
            "elements": [
                mrkdwn(
                    f"{a.confidence_label} confidence ({a.confidence:.0%})"
                    + (f" · leans {a.leaning}" if a.leaning else "")
                )
            ],
        },
    ]
    for question in a.questions or ([a.question] if a.question else []):
        blocks.append(section(f":question: *{question}*"))
    blocks.append(section(_options(a)))
    findings = [f"• {f.summary} " + " ".join(f"`{argument}`" for argument in f.arguments) for f in a.findings]
    blocks.append(section("*Why*\n" + _at_most(findings, MAX_FINDINGS)))
    if a.flips_if:
        flips = [f"• {flip.text}" for flip in a.flips_if]
        blocks.append(section("*What would change the answer*\n" + _at_most(flips, MAX_FLIPS)))
    if a.sensitivity:
        hinge = "\n".join(f"• {line}" for line in hinges(a))
        blocks.append({"type": "context", "elements": [mrkdwn(f"*What the verdict hinges on*\n{hinge}"[:2000])]})
    if a.notes:
        blocks.append({"type": "context", "elements": [mrkdwn(quoted("\n".join(a.notes))[:2000])]})
    if read := _read(a):
        blocks.append({"type": "context", "elements": [mrkdwn(read)]})
    blocks.append({"type": "context", "elements": [mrkdwn(_assumptions(a))]})
    if buttons and decision_id:
        blocks += [feedback_buttons(decision_id), answer_buttons(decision_id)]
    return blocks


def _at_most(lines: list[str], shown: int, separator: str = "\n") -> str:
    """The first `shown` lines, and how many more there are: the card stays short, the log has them all."""
    more = len(lines) - shown
    return separator.join(lines[:shown]) + (f"{separator}_+{more} more_" if more > 0 else "")


def _read(a: Assessment) -> str:
    """What the message said, each fact with the words it was read from."""
    read = [
        f"{field_label(name)} {field_value(name, field.value, a.shown_in)} (“{quoted(field.span[:80])}”)"
        for name, field in a.workload.items()
        if field.how == "stated" and field.span
    ]
    return ("Read from your message: " + _at_most(read, MAX_READ, " · "))[:2000] if read else ""


def thread_title(a: Assessment, question: str) -> str:
    """An assistant thread's title in the history list: the verdict, then what was asked."""
    asked = " ".join(question.split())
    title = f"{HEADLINES[a.verdict]}: {asked}"
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"


def card_text(a: Assessment) -> str:
    """The plain text Slack shows in notifications and to screen readers."""
    chosen = next((o for o in a.options if o.label == a.chosen), None)
    if chosen is None:
        return HEADLINES[a.verdict]
    return f"{HEADLINES[a.verdict]}: {chosen.label}, {money(chosen.cost_usd, a.shown_in)} {_per(chosen)}"


def _options(a: Assessment) -> str:
    """Each option on a line: what, where the data goes, what it costs, whether it meets the needs."""
    lines = []
    for option in a.options:
        mark = ":white_check_mark:" if option.meets_needs else ":no_entry_sign:"
        name = f"*{option.label}*" if option.label == a.chosen else option.label
        why = f" — {option.ruled_out_by.reason}" if option.ruled_out_by else ""
        cost = money(option.cost_usd, a.shown_in)
        lines.append(f"{mark} {name} · {WHERE[option.where]} · {cost} {_per(option)}{_hosts(option)}{why}")
    if (share := frontier_line(a)) is not None:
        lines.append(share)
    if a.local is not None:
        lines.append(f"_{service_line(a.local, one_off_months(a), a.shown_in)}_")
    if a.break_even_tokens_per_day:
        lines.append(f"Break-even: ~{human_count(a.break_even_tokens_per_day)} tokens a day")
    return "*Options*\n" + "\n".join(lines)


def _hosts(option: ServingOption) -> str:
    """Machines and sites, when there is more than one of either."""
    hosts, sites = option.hosts or 1, option.sites or 1
    if hosts == 1 and sites == 1:
        return ""
    return f" · {hosts} hosts" + (f" at {sites} sites" if sites > 1 else "")


def _per(option: ServingOption) -> str:
    return "for the whole job" if option.job_usd is not None else "a month"


def _assumptions(a: Assessment) -> str:
    assumed = [
        f"{field_label(name)} {field_value(name, field.value, a.shown_in, missing='unknown')}"
        for name, field in a.workload.items()
        if field.how != "stated"
    ]
    lines = [f"Assumed: {', '.join(assumed)}." if assumed else "Everything above was read from your message."]
    lines.append('Reply in this thread to correct anything ("we have 3 SREs", "what if we double it?").')
    if rate := rate_line(a.shown_in):
        lines.append(rate)
    return "\n".join(lines)[:2000]


def shared_card(a: Assessment, decision_id: str, *, by: str, question: str) -> list[Block]:
    """A quick estimate as posted in its channel: the card, who shared it and what they asked, the buttons."""
    said = {"type": "context", "elements": [mrkdwn(f"Shared by <@{by}>: _{quoted(question[:200])}_")]}
    return [*card(a, decision_id, buttons=False), said, feedback_buttons(decision_id), answer_buttons(decision_id)]
