"""/localcheck: a quick estimate only you see, history, and help, all acknowledged within Slack's three seconds."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.answer import Question, answer
from bot.decisions.measurements import measured_speeds
from bot.decisions.records import SlackOrigin
from bot.decisions.teams import team_defaults
from bot.slack import answer_card, blocks
from bot.slack.answering import NOT_UNDERSTOOD
from bot.slack.privacy import visible_decisions
from bot.slack.services import Services, services_of
from bot.slack.visibility import channel_public


def localcheck(ack: Ack, command: dict[str, Any], client: Any, respond: Any, context: BoltContext) -> None:
    services = services_of(context)
    text = (command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    if not text or word.lower() == "help":
        ack(blocks=blocks.help_blocks(), text="How to use /localcheck")
    elif word.lower() == "history":
        # Which decisions the user may see takes Slack's word on channel membership, more calls than
        # three seconds allow: acknowledge first, then answer through the command's response_url.
        ack(text=LOOKING)
        found = visible_decisions(
            services.log, client, team=command["team_id"], user=command["user_id"], search=rest.strip() or None
        )
        shown = blocks.history_blocks(found, rest.strip() or None)
        respond(blocks=shown, text="Recent decisions", response_type="ephemeral", replace_original=True)
    else:
        public = channel_public(client, command.get("channel_id"), command.get("channel_name"))
        ack(**quick_estimate(services, command, text, public=public))


LOOKING = "Looking through the decisions you may see…"
NO_MODEL_READ = "A quick estimate: no model helped read this, so that it could answer within Slack's three seconds."


def quick_estimate(
    services: Services, command: dict[str, Any], text: str, *, public: bool | None = None
) -> dict[str, Any]:
    """Numbers and verdict without a model, fast enough to be the acknowledgement itself."""
    profile = team_defaults(services.log, command["team_id"], services.kb)
    result = answer(
        Question(text),
        services.kb,
        services.settings,
        profile=profile,
        measured=measured_speeds(services.log, command["team_id"]),
        read_with_model=False,
        write_with_model=False,
        with_sensitivity=True,
    )
    if result.assessment is None:
        return {"text": NOT_UNDERSTOOD}
    assessment = result.assessment.model_copy(update={"notes": [*result.assessment.notes, NO_MODEL_READ]})
    decision_id = services.log.record(
        question=text,
        workload=result.workload,
        assessment=assessment,
        source="slash",
        slack=SlackOrigin(
            team=command["team_id"], channel=command.get("channel_id"), user=command["user_id"], public=public
        ),
    )
    seen = result.shown or result.assessment
    in_currency = seen.model_copy(update={"notes": [*seen.notes, NO_MODEL_READ]})
    shown = [*answer_card.card(in_currency, decision_id, buttons=False), blocks.share_button(decision_id)]
    return {"text": answer_card.card_text(in_currency), "blocks": shown}
