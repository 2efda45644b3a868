"""Installing the app in many workspaces through Slack's OAuth flow, with Bolt's `OAuthSettings`.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, /slack/install hands a browser Slack's authorize
link (with a one-time state, bound to the browser by a cookie), /slack/oauth_redirect trades the
code for the workspace's bot token with `oauth.v2.access`, and every later request of that workspace
is answered with that token (Bolt's authorize puts it in the listener's `client`). Every call,
`oauth.v2.access` included, goes to SLACK_API_URL. Without them, SLACK_BOT_TOKEN serves one workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from slack_bolt import App, BoltContext
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack.clients import web_client
from bot.slack.installations import LogInstallationStore, LogOAuthStateStore
from bot.slack.services import Services

logger = logging.getLogger(__name__)
BOT_SCOPES = (
    "app_mentions:read",
    "assistant:write",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
)
"""What the bot asks a workspace for: the scopes of the methods it calls and the events it takes
(tests/slack/test_scopes.py checks them against what the app does, and the manifests against them)."""
STATE_EXPIRY_S = 600


def installs_through_oauth(settings: Settings) -> bool:
    secret = settings.slack_client_secret
    return bool(settings.slack_client_id and secret and secret.get_secret_value())


def scopes(settings: Settings) -> list[str]:
    if not settings.slack_scopes:
        return list(BOT_SCOPES)
    return [scope.strip() for scope in settings.slack_scopes.split(",") if scope.strip()]


def oauth_settings(services: Services, client: WebClient) -> OAuthSettings:
    """Bolt's OAuth settings over the decision log, every call through `client` (SLACK_API_URL)."""
    settings = services.settings
    assert settings.slack_client_id and settings.slack_client_secret  # noqa: S101 - installs_through_oauth said so
    if settings.slack_bot_token is not None:
        logger.warning("SLACK_BOT_TOKEN is not used with SLACK_CLIENT_ID: each workspace's own token answers it")
    store = LogInstallationStore(services.log)
    client_id, client_secret = settings.slack_client_id, settings.slack_client_secret.get_secret_value()
    oauth = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=scopes(settings),
        user_scopes=[],
        # The browser goes to Slack's own site, beside its Web API: slack.com/api/ -> slack.com/oauth/v2/authorize
        authorization_url=urljoin(settings.slack_api_url, "../oauth/v2/authorize"),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=LogOAuthStateStore(services.log, expiration_seconds=STATE_EXPIRY_S),
        state_expiration_seconds=STATE_EXPIRY_S,
    )
    # Bolt's own authorize would refresh rotated tokens through a client of its making, at slack.com,
    # and call auth.test before every request; a token's identity is remembered here (a reinstall
    # brings a new token, an uninstall removes the workspace before the cache is consulted).
    oauth.authorize = InstallationStoreAuthorize(
        logger=logger,
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return oauth


def register_uninstalls(app: App, *, through_oauth: bool) -> None:
    """Forget a workspace that uninstalled the app or revoked its token (Bolt's own listeners delete
    it from the store); with one token, say in the log that the token no longer works."""
    if through_oauth:
        app.enable_token_revocation_listeners()
        return

    def token_gone(event: dict[str, Any], context: BoltContext) -> None:
        logger.warning(
            "Slack says %s in workspace %s: SLACK_BOT_TOKEN no longer works there; reinstall the app for a new one",
            "the app was uninstalled" if event.get("type") == "app_uninstalled" else "tokens were revoked",
            context.team_id,
        )

    app.event("app_uninstalled")(token_gone)
    app.event("tokens_revoked")(token_gone)


def workspace_clients(services: Services, app: App) -> Callable[[str | None], WebClient | None]:
    """The client that speaks for a workspace outside a request (the scheduled re-check): the app's own
    with one token; through OAuth, one with that workspace's token, or None when it is not installed."""
    if not installs_through_oauth(services.settings):
        return lambda team: app.client
    store = LogInstallationStore(services.log)

    def client_for(team: str | None) -> WebClient | None:
        bot = store.find_bot(enterprise_id=None, team_id=team) if team else None
        if bot is None:
            return None
        return web_client(bot.bot_token, app.client.base_url)

    return client_for
