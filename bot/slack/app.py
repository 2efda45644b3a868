"""The Bolt app, every listener registered here, in one place."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack import listeners
from bot.slack.clients import web_client
from bot.slack.oauth import installs_through_oauth, oauth_settings, register_uninstalls
from bot.slack.replays import SeenRequests
from bot.slack.services import Services
from bot.slack.verify import RequestGate
from bot.slack.workers import SORRY

logger = logging.getLogger(__name__)
LISTENER_THREADS = 16
"""Bolt's threads for listeners: only acknowledgements and quick replies run there; answers have their own pool."""
MISSING_SIGNING_KEY_HELP = "HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN to use Socket Mode)."
OAUTH_NEEDS_HTTP = (
    "Installing through OAuth (SLACK_CLIENT_ID) needs HTTP mode, for Slack to send browsers back to "
    "/slack/oauth_redirect: unset SLACK_APP_TOKEN, or unset SLACK_CLIENT_ID to serve one workspace."
)
VERIFIED = "localcheck_verified"
"""Set in a request's context once Bolt's own checks (the signature among them) have passed."""


class SetupError(RuntimeError):
    """The app cannot start as configured; the message says what to set."""


def slack_client(settings: Settings, *, through_oauth: bool = False) -> WebClient:
    """A Web API client that waits out rate limits and retries transient failures.

    Through OAuth it holds no token: Bolt gives each request a copy with its workspace's.
    """
    if not through_oauth and settings.slack_bot_token is None:
        raise SetupError(
            "SLACK_BOT_TOKEN is not set: copy the app's Bot User OAuth Token (xoxb-...) into it, "
            "or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install in workspaces through OAuth."
        )
    token = None if through_oauth else settings.slack_bot_token
    return web_client(token.get_secret_value() if token else None, settings.slack_api_url)


def build_app(services: Services, *, socket_mode: bool) -> App:
    settings = services.settings
    through_oauth = installs_through_oauth(settings)
    if through_oauth and socket_mode:
        raise SetupError(OAUTH_NEEDS_HTTP)
    client = slack_client(settings, through_oauth=through_oauth)
    if not socket_mode and settings.slack_signing_secret is None:
        raise SetupError(MISSING_SIGNING_KEY_HELP)
    try:
        app = App(
            client=client,
            signing_secret=settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None,
            oauth_settings=oauth_settings(services, client) if through_oauth else None,
            process_before_response=False,  # acknowledge at once, answer in the background
            listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="localcheck-listener"),
        )
    except BoltError as error:  # Bolt checks the token with auth.test as it starts
        raise SetupError(f"Slack refused SLACK_BOT_TOKEN ({error}); check the token and SLACK_API_URL.") from error
    app.middleware(_mark_verified)  # runs after Bolt's built-in verification, so only for requests that passed it
    app.middleware(_once_per_event(services))
    app.error(_reply_sorry)
    listeners.register(app, services)
    register_uninstalls(app, through_oauth=through_oauth)
    return app


def request_gate(services: Services) -> RequestGate:
    """What stands in front of the app in HTTP mode: signature, freshness, size, shape and replays."""
    secret = services.settings.slack_signing_secret
    if secret is None:
        raise SetupError(MISSING_SIGNING_KEY_HELP)
    return RequestGate(secret.get_secret_value(), SeenRequests(services.log))


def _mark_verified(context: BoltContext, next: Any) -> None:
    context[VERIFIED] = True
    next()


def _once_per_event(services: Services) -> Any:
    """Answer each event once: a retried delivery, or one already logged, is acknowledged and dropped."""

    def middleware(body: dict[str, Any], next: Any) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and (not services.seen.first_time(event_id) or services.log.has_event(event_id)):
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def _reply_sorry(error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if not context.get(VERIFIED):
        # Nothing from a request that failed before verification may reach Slack: its body is anyone's.
        logger.warning("a request failed before it was verified; not answered: %r", error)
        return
    logger.exception("a listener failed", exc_info=error)
    event = body.get("event") or {}
    channel = event.get("channel") or (body.get("channel") or {}).get("id")
    if not channel:
        return
    thread = event.get("thread_ts") or event.get("ts") or (body.get("message") or {}).get("thread_ts")
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread, text=SORRY)
    except Exception:
        logger.exception("could not tell the user")
