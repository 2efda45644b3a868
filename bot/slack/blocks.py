"""Block Kit: the pieces every message is built of, the buttons and the ids listeners answer to, the
assumptions modal, App Home, help and history (the answer card itself is `answer_card`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.assessment import Assessment
from bot.numbers import readable
from bot.workload import Workload

Block = dict[str, Any]

ACTION_FEEDBACK = "feedback"
"""Slack's native thumbs (a `feedback_buttons` element); the value says which, and of which decision."""
ACTION_HELPFUL = "feedback_helpful"
ACTION_NOT_HELPFUL = "feedback_not_helpful"
"""The Helpful / Not helpful buttons of cards posted before the native ones; still answered."""
HELPFUL, NOT_HELPFUL = "helpful", "not-helpful"
ACTION_ADOPT = "record_decision"
ACTION_CHANGE = "change_assumptions"
ACTION_SHARE = "share_in_channel"
ACTION_EDIT_DEFAULTS = "edit_team_defaults"
VIEW_ASSUMPTIONS = "assumptions_modal"
VIEW_DEFAULTS = "team_defaults_modal"


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def quoted(text: str) -> str:
    """People's own words, shown as text: no mentions, @channel pings or links of their making."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text[:3000])}


def answer_buttons(decision_id: str) -> Block:
    def button(text: str, action: str, style: str | None = None) -> Block:
        element: Block = {
            "type": "button",
            "text": {"type": "plain_text", "text": text},
            "action_id": action,
            "value": decision_id,
        }
        if style:
            element["style"] = style
        return element

    return {
        "type": "actions",
        "block_id": f"answer:{decision_id}",
        "elements": [
            button("Record as our decision", ACTION_ADOPT, "primary"),
            button("Change assumptions", ACTION_CHANGE),
        ],
    }


def feedback_buttons(decision_id: str) -> Block:
    """Slack's thumbs up and down for an answer, as AI apps show them."""

    def vote(emoji: str, label: str, which: str) -> Block:
        return {"text": _plain(emoji), "accessibility_label": label, "value": f"{which}:{decision_id}"}

    element = {
        "type": "feedback_buttons",
        "action_id": ACTION_FEEDBACK,
        "positive_button": vote("👍", "Helpful", HELPFUL),
        "negative_button": vote("👎", "Not helpful", NOT_HELPFUL),
    }
    return {"type": "context_actions", "block_id": f"feedback:{decision_id}", "elements": [element]}


def feedback_vote(value: object) -> tuple[bool, str] | None:
    """Whether a feedback button said helpful, and the decision it names; None for any other value."""
    which, _, decision_id = value.partition(":") if isinstance(value, str) else ("", "", "")
    return (which == HELPFUL, decision_id) if which in (HELPFUL, NOT_HELPFUL) and decision_id else None


def share_button(decision_id: str) -> Block:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Share in channel"},
                "action_id": ACTION_SHARE,
                "value": decision_id,
            }
        ],
    }


MODAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("requests_per_day", "Requests a day"),
    ("input_tokens", "Prompt tokens per request"),
    ("output_tokens", "Answer tokens per request"),
    ("model", "Open model to run (e.g. llama3.1:8b)"),
    ("api_model", "API model to compare (e.g. gpt-4o-mini)"),
    ("ops_staff", "People who run servers (0 if nobody)"),
    ("availability", "Uptime needed (e.g. 0.999)"),
    ("electricity_usd_per_kwh", "Electricity, USD per kWh"),
    ("engineer_hourly_usd", "Engineer cost, USD per hour"),
)
DATA_POLICIES = (
    ("may-leave", "May go to an API"),
    ("under-contract", "Only to a provider under contract"),
    ("in-region", "Only to an API in our region"),
    ("own-cloud", "Only in our own cloud account"),
    ("must-stay", "Must not leave our premises"),
)


def assumptions_modal(a: Assessment, workload: Workload, metadata: dict[str, str]) -> Block:
    """A form pre-filled with every value the answer used, stated or assumed."""
    blocks: list[Block] = []
    for field, label in MODAL_FIELDS:
        value = a.workload[field].value if field in a.workload else getattr(workload, field, None)
        shown = None if value is None else readable(value, missing="unknown").replace(",", "")
        blocks.append(_text_input(field, label, shown))
    policy = str(a.workload["data_policy"].value) if "data_policy" in a.workload else "may-leave"
    blocks.append(_select("data_policy", "The data", DATA_POLICIES, policy))
    return {
        "type": "modal",
        "callback_id": VIEW_ASSUMPTIONS,
        "private_metadata": json.dumps(metadata),
        "title": _plain("Change assumptions"),
        "submit": _plain("Re-assess"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def notice_modal(text: str) -> Block:
    """What a form shows instead when its submission cannot be acted on."""
    return {"type": "modal", "title": _plain("localcheck"), "close": _plain("Close"), "blocks": [section(text)]}


def _plain(text: str) -> Block:
    return {"type": "plain_text", "text": text[:75]}


def help_blocks() -> list[Block]:
    return [
        section(
            "*Ask me whether to run an LLM workload locally or on a cloud API.*\n"
            "Mention me in a channel, DM me, or use the command:\n"
            "• `/localcheck we push 2M tokens a day through gpt-4o-mini; the data contains PII` — a quick estimate, "
            "only you see it\n"
            "• `/localcheck history [search]` — this workspace's recent decisions you may see\n"
            "• `/localcheck help` — this message\n"
            "Say how much (requests or tokens a day), which model or API, whether the data may leave, and who runs "
            'servers. Reply in the thread of an answer to change it: "what if we double the volume?"'
        ),
    ]


def history_blocks(decisions: list[Any], search: str | None) -> list[Block]:
    if not decisions:
        return [section("No decisions you can see" + (f" match *{quoted(search)}*." if search else " yet."))]
    lines = [
        f"• `{d.id[:10]}` {d.created[:10]} *{d.verdict}* ({d.status}) — {quoted(d.question[:90])}" for d in decisions
    ]
    title = f"*Decisions matching {quoted(search)}*" if search else "*Recent decisions*"
    return [section(title + "\n" + "\n".join(lines))]


def home_view(decisions: list[Any], defaults: dict[str, str], set_aside: list[str]) -> Block:
    """`defaults`: the team's, by field, in words (bot.team.shown)."""
    settings = (
        ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in defaults.items()) or "none yet: the bot's own are used"
    )
    settings += "".join(f"\n:warning: {note}" for note in set_aside)
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": _plain("localcheck")},
            section("Should this LLM workload run locally or on a cloud API? Mention me, DM me, or use `/localcheck`."),
            {"type": "divider"},
            *history_blocks(decisions, None),
            {"type": "divider"},
            section(f"*Team defaults* — used in every answer here unless a question says otherwise\n{settings}"),
            {
                "type": "actions",
                "elements": [{"type": "button", "text": _plain("Edit defaults"), "action_id": ACTION_EDIT_DEFAULTS}],
            },
        ],
    }


DEFAULT_FIELDS = (
    ("electricity_price", "Electricity price per kWh"),
    ("engineer_hourly_cost", "Engineer cost per hour"),
    ("owned_hardware", "Hardware you own (e.g. 2 x RTX 4090)"),
)
CURRENCIES = ("USD", "EUR", "GBP")


def defaults_modal(defaults: dict[str, str], currencies: Sequence[str] = CURRENCIES) -> Block:
    """The team's defaults (by field, in words: bot.team.shown), editable; `currencies`: the codes
    knowledge/currencies.yaml has rates for."""
    blocks = [_text_input(field, label, defaults.get(field) or None) for field, label in DEFAULT_FIELDS]
    current = defaults.get("currency") or "USD"
    blocks.append(_select("currency", "Currency of these prices", [(c, c) for c in currencies], current))
    return {
        "type": "modal",
        "callback_id": VIEW_DEFAULTS,
        "title": _plain("Team defaults"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def modal_values(view: dict[str, Any]) -> dict[str, str]:
    """The submitted form's values by block id ('' where left empty)."""
    values: dict[str, str] = {}
    for block_id, actions in view["state"]["values"].items():
        element = actions["value"]
        if element.get("type") == "static_select":
            values[block_id] = (element.get("selected_option") or {}).get("value", "")
        else:
            values[block_id] = (element.get("value") or "").strip()
    return values


def _text_input(block_id: str, label: str, initial: str | None) -> Block:
    """An optional one-line field of a form, `initial` in it to begin with; `modal_values` reads it back."""
    element: Block = {"type": "plain_text_input", "action_id": "value"}
    if initial is not None:
        element["initial_value"] = initial
    return {"type": "input", "block_id": block_id, "optional": True, "label": _plain(label), "element": element}


def _select(block_id: str, label: str, choices: Sequence[tuple[str, str]], chosen: str) -> Block:
    """A pick of one of `choices` (value, label) in a form, `chosen` picked to begin with."""
    options = [{"text": _plain(text), "value": value} for value, text in choices]
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": {
            "type": "static_select",
            "action_id": "value",
            "options": options,
            "initial_option": next(o for o in options if o["value"] == chosen),
        },
    }
