"""/localcheck: a quick estimate only you see, history, and help, all within Slack's three seconds."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.check.assess import assess
from bot.decisions.store import SlackOrigin
from bot.decisions.teams import apply_team_defaults, team_defaults
from bot.parse import parse
from bot.slack import blocks
from bot.slack.answering import NOT_UNDERSTOOD
from bot.slack.privacy import visible_decisions
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    @app.command("/localcheck")
    def localcheck(ack: Ack, command: dict[str, Any], client: Any) -> None:
        text = (command.get("text") or "").strip()
        word, _, rest = text.partition(" ")
        if not text or word.lower() == "help":
            ack(blocks=blocks.help_blocks(), text="How to use /localcheck")
        elif word.lower() == "history":
            found = visible_decisions(
                services.log, client, team=command["team_id"], user=command["user_id"], search=rest.strip() or None
            )
            ack(blocks=blocks.history_blocks(found, rest.strip() or None), text="Recent decisions")
        else:
            ack(**quick_estimate(services, command, text))


def quick_estimate(services: Services, command: dict[str, Any], text: str) -> dict[str, Any]:
    """Numbers and verdict without a model, fast enough to be the acknowledgement itself."""
    read = parse(text, services.kb)
    if not read.understood:
        return {"text": NOT_UNDERSTOOD}
    defaults = team_defaults(services.log, command["team_id"], services.kb)
    workload, set_aside = apply_team_defaults(read.workload, defaults, services.kb)
    assessment = assess(workload, services.kb).model_copy(update={"notes": [*read.notes, *set_aside]})
    decision_id = services.log.record(
        question=text,
        workload=workload,
        assessment=assessment,
        source="slash",
        slack=SlackOrigin(team=command["team_id"], channel=command.get("channel_id"), user=command["user_id"]),
    )
    shown = [*blocks.card(assessment, decision_id, buttons=False), blocks.share_button(decision_id)]
    return {"text": blocks.card_text(assessment), "blocks": shown}
