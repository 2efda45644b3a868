"""App Home: the workspace's recent decisions you may see, and its defaults, editable."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.decisions.teams import check_team_defaults, save_team_defaults, team_defaults
from bot.slack import blocks
from bot.slack.privacy import visible_decisions
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    def publish(client: Any, team: str, user: str) -> None:
        found = visible_decisions(services.log, client, team=team, user=user)
        defaults = team_defaults(services.log, team, services.kb)
        client.views_publish(
            user_id=user, view=blocks.home_view(found, defaults.model_dump(exclude={"updated_by"}), defaults.set_aside)
        )

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], context: Any, client: Any) -> None:
        if event.get("tab", "home") == "home":
            publish(client, context.team_id, event["user"])

    @app.action(blocks.ACTION_EDIT_DEFAULTS)
    def edit(ack: Ack, body: dict[str, Any], client: Any) -> None:
        ack()
        current = team_defaults(services.log, body["user"]["team_id"], services.kb).model_dump()
        client.views_open(
            trigger_id=body["trigger_id"], view=blocks.defaults_modal(current, list(services.kb.currencies))
        )

    @app.view(blocks.VIEW_DEFAULTS)
    def save(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        defaults, errors = check_team_defaults(blocks.modal_values(view), services.kb)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        team, user = body["user"]["team_id"], body["user"]["id"]
        save_team_defaults(services.log, team, defaults, by=user)
        publish(client, team, user)
