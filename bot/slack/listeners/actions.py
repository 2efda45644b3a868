"""The buttons on every answer, and sharing a quick estimate."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.decisions.store import NotFound
from bot.slack import blocks
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    def feedback(helpful: bool):  # type: ignore[no-untyped-def]
        def handler(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any) -> None:
            ack()
            services.log.add_feedback(action["value"], helpful=helpful, user=body["user"]["id"])
            client.chat_postEphemeral(
                channel=body["channel"]["id"],
                user=body["user"]["id"],
                text="Thanks, noted."
                if helpful
                else "Thanks, noted. Reply in the thread with what was wrong and I'll have another look.",
            )

        return handler

    app.action(blocks.ACTION_HELPFUL)(feedback(True))
    app.action(blocks.ACTION_NOT_HELPFUL)(feedback(False))

    @app.action(blocks.ACTION_ADOPT)
    def record_decision(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        ack()
        user = body["user"]["id"]
        decision = services.log.set_status(action["value"], "adopted", by=user)
        thread = (body.get("message") or {}).get("thread_ts") or (body.get("container") or {}).get("message_ts")
        client.chat_postMessage(
            channel=body["channel"]["id"],
            thread_ts=thread,
            text=f"<@{user}> recorded this as the team's decision ({decision.verdict}).",
        )

    @app.action(blocks.ACTION_CHANGE)
    def change_assumptions(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        ack()
        decision = services.log.get(action["value"])
        thread = (body.get("message") or {}).get("thread_ts") or (body.get("container") or {}).get("message_ts")
        metadata = {"decision": decision.id, "channel": body["channel"]["id"], "thread": thread or ""}
        client.views_open(
            trigger_id=body["trigger_id"],
            view=blocks.assumptions_modal(decision.assessment, decision.workload, metadata),  # type: ignore[arg-type]
        )

    @app.action(blocks.ACTION_SHARE)
    def share(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, respond: Any) -> None:
        ack()
        try:
            decision = services.log.get(action["value"])
        except NotFound:
            respond(text="That estimate is no longer in the log.", response_type="ephemeral", replace_original=False)
            return
        assert decision.assessment is not None  # noqa: S101 - get() always loads the assessment
        client.chat_postMessage(
            channel=body["channel"]["id"],
            text=blocks.card_text(decision.assessment),
            blocks=[
                *blocks.card(decision.assessment, decision.id)[:-1],
                {
                    "type": "context",
                    "elements": [
                        {"type": "mrkdwn", "text": f"Shared by <@{body['user']['id']}>: _{decision.question[:200]}_"}
                    ],
                },
                blocks.answer_buttons(decision.id),
            ],
        )
