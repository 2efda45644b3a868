"""HTTP mode or Socket Mode, and what each needs: one answer for `localcheck serve` and `localcheck doctor`."""

from __future__ import annotations

from typing import Literal

from bot.settings import Settings

Mode = Literal["http", "socket"]
NAMES: dict[Mode, str] = {"http": "HTTP mode", "socket": "Socket Mode"}
HOW_TO_GET = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the Signing Secret from the app's Basic Information page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-...) with connections:write from the app's Basic Information page",
}
OTHER_MODE: dict[Mode, str] = {
    "http": "or set SLACK_APP_TOKEN to use Socket Mode",
    "socket": "or run with --http for HTTP mode, which needs SLACK_SIGNING_SECRET instead",
}


def choose_mode(settings: Settings, asked: Mode | None = None) -> Mode:
    """The mode asked for; otherwise Socket Mode when an app token is set, HTTP mode when not."""
    if asked is not None:
        return asked
    return "socket" if settings.slack_app_token is not None else "http"


def missing(settings: Settings, mode: Mode) -> list[str]:
    """The variables `mode` needs that are not set (an app token that is not an xapp- token counts as unset)."""
    from bot.slack.oauth import installs_through_oauth

    oauth = installs_through_oauth(settings)  # each workspace brings its own bot token when it installs
    needed = {
        "SLACK_BOT_TOKEN": settings.slack_bot_token if not oauth else "",
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret if mode == "http" else "",
        "SLACK_APP_TOKEN": settings.slack_app_token if mode == "socket" else "",
    }
    absent = [name for name, value in needed.items() if value is None]
    app_token = settings.slack_app_token
    if mode == "socket" and app_token is not None and not app_token.get_secret_value().startswith("xapp-"):
        absent.append("SLACK_APP_TOKEN")
    return absent


def setup_problem(settings: Settings, mode: Mode) -> str | None:
    """What to set for `mode`, in one message, or None when nothing is missing."""
    from bot.slack.oauth import installs_through_oauth

    if mode == "socket" and installs_through_oauth(settings):
        return (
            "Socket Mode cannot take OAuth installs (Slack sends the browser back to /slack/oauth_redirect): "
            "run with --http, or unset SLACK_CLIENT_ID to serve one workspace with SLACK_BOT_TOKEN."
        )
    absent = missing(settings, mode)
    if not absent:
        return None
    return f"{NAMES[mode]} needs {' and '.join(absent)}: {fix(absent, mode)}."


def fix(absent: list[str], mode: Mode) -> str:
    sets = "; ".join(f"set {name} to {HOW_TO_GET[name]}" for name in absent)
    return f"{sets} ({OTHER_MODE[mode]})"
