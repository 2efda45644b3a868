"""Answers Slack's events, commands and actions with plain module-level listeners, wired in one place.

Each module of this package holds plain module-level functions taking what Bolt injects by name
(`ack`, `body`, `client`, `context`, ...), so a test can call one directly. The bot's services reach
them through Bolt's context: one middleware puts them there for every request, and a listener reads
them with `services_of(context)`, as it reads `context.team_id`. (functools.partial would not do:
Bolt injects arguments by the names in the signature, and a bound `services` is not one it knows.)
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.slack import blocks
from bot.slack.listeners import actions, commands, conversations, home, modals
from bot.slack.services import SERVICES, Services


class ProvideServices(Middleware):
    """Puts the bot's services into every request's context, for the listeners to read."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        req.context[SERVICES] = self.services
        return next()


def register(app: App, services: Services) -> None:
    app.middleware(ProvideServices(services))
    app.event("app_mention")(conversations.on_mention)
    app.event("message")(conversations.on_message)
    app.event("assistant_thread_started")(conversations.on_thread_started)
    app.event("assistant_thread_context_changed")(conversations.on_context_changed)
    app.action(blocks.ACTION_FEEDBACK)(actions.on_feedback)
    app.action(blocks.ACTION_HELPFUL)(actions.on_helpful)
    app.action(blocks.ACTION_NOT_HELPFUL)(actions.on_not_helpful)
    app.action(blocks.ACTION_ADOPT)(actions.record_decision)
    app.action(blocks.ACTION_CHANGE)(actions.change_assumptions)
    app.action(blocks.ACTION_SHARE)(actions.share)
    app.view(blocks.VIEW_ASSUMPTIONS)(modals.resubmit)
    app.command("/localcheck")(commands.localcheck)
    app.event("app_home_opened")(home.on_home)
    app.action(blocks.ACTION_EDIT_DEFAULTS)(home.edit)
    app.view(blocks.VIEW_DEFAULTS)(home.save)
