"""App Home: the workspace's recent decisions you may see, and its defaults, editable."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.decisions.teams import save_team_defaults, team_defaults
from bot.slack import blocks
from bot.slack.privacy import visible_decisions
from bot.slack.services import Services, services_of
from bot.team import check_team_defaults, shown


def on_home(event: dict[str, Any], context: BoltContext, client: Any) -> None:
    if event.get("tab", "home") == "home":
        _publish(services_of(context), client, context.team_id or "", event["user"])


def edit(ack: Ack, body: dict[str, Any], client: Any, context: BoltContext) -> None:
    ack()
    services = services_of(context)
    current = shown(team_defaults(services.log, body["user"]["team_id"], services.kb), services.kb)
    client.views_open(trigger_id=body["trigger_id"], view=blocks.defaults_modal(current, list(services.kb.currencies)))


def save(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any, context: BoltContext) -> None:
    services = services_of(context)
    defaults, errors = check_team_defaults(blocks.modal_values(view), services.kb)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    team, user = body["user"]["team_id"], body["user"]["id"]
    save_team_defaults(services.log, team, defaults, by=user)
    _publish(services, client, team, user)


def _publish(services: Services, client: Any, team: str, user: str) -> None:
    found = visible_decisions(services.log, client, team=team, user=user)
    defaults = team_defaults(services.log, team, services.kb)
    client.views_publish(user_id=user, view=blocks.home_view(found, shown(defaults, services.kb), defaults.set_aside))
