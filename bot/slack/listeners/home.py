"""App Home: the workspace's recent decisions you may see, and its defaults, editable."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, App

from bot.decisions.teams import TeamDefaults, save_team_defaults, team_defaults
from bot.slack import blocks
from bot.slack.privacy import visible_decisions
from bot.slack.services import Services

NUMBER_FIELDS = {"electricity_price", "engineer_hourly_cost"}


def register(app: App, services: Services) -> None:
    def publish(client: Any, team: str, user: str) -> None:
        found = visible_decisions(services.log, client, team=team, user=user)
        defaults = team_defaults(services.log, team).model_dump(exclude={"updated_by"})
        client.views_publish(user_id=user, view=blocks.home_view(found, defaults))

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], context: Any, client: Any) -> None:
        if event.get("tab", "home") == "home":
            publish(client, context.team_id, event["user"])

    @app.action(blocks.ACTION_EDIT_DEFAULTS)
    def edit(ack: Ack, body: dict[str, Any], client: Any) -> None:
        ack()
        current = team_defaults(services.log, body["user"]["team_id"]).model_dump()
        client.views_open(trigger_id=body["trigger_id"], view=blocks.defaults_modal(current))

    @app.view(blocks.VIEW_DEFAULTS)
    def save(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        values = blocks.modal_values(view)
        errors = {f: "Please give a number." for f in NUMBER_FIELDS if values.get(f) and not _is_number(values[f])}
        try:
            defaults = TeamDefaults.model_validate({k: v or None for k, v in values.items() if k not in errors})
        except ValidationError as error:
            errors |= {str(d["loc"][0]): d["msg"] for d in error.errors(include_url=False) if d["loc"]}
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        team, user = body["user"]["team_id"], body["user"]["id"]
        save_team_defaults(services.log, team, defaults, by=user)
        publish(client, team, user)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
