"""`localcheck serve`: run the Slack app, in HTTP mode (gunicorn) or Socket Mode."""

from __future__ import annotations

import logging

import typer

from bot.cli.common import fail, open_knowledge
from bot.cli.settings import load_settings
from bot.settings import Settings


def serve_command(
    port: int = typer.Option(3000, "--port", min=1, max=65535, help="HTTP port (/slack/events, /health)."),
    host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on."),  # noqa: S104 - a server's job
    http: bool = typer.Option(False, "--http", help="HTTP mode: Slack sends requests to /slack/events."),
    socket: bool = typer.Option(False, "--socket", help="Socket Mode: the bot connects out to Slack."),
) -> None:
    """Run the bot. Without --http or --socket: Socket Mode when SLACK_APP_TOKEN is set, HTTP mode otherwise."""
    from bot.settings import redact_logs
    from bot.slack.modes import NAMES, choose_mode, setup_problem
    from bot.slack.production import LOG_FORMAT

    if http and socket:
        fail("Choose one of --http and --socket.")
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    settings = load_settings()
    redact_logs(settings)
    mode = choose_mode(settings, "http" if http else "socket" if socket else None)
    if problem := setup_problem(settings, mode):
        fail(problem, code=1)
    open_knowledge()  # a damaged knowledge base is named here, not in a server's traceback
    if mode == "http":
        from bot.slack.oauth import installs_through_oauth

        if not installs_through_oauth(settings):  # through OAuth each workspace's token is checked as it installs
            _check_bot_token(settings)
        typer.echo(f"localcheck: {NAMES[mode]} on http://{host}:{port}/slack/events (health: /health)")
        from bot.slack.production import serve_http

        serve_http(host, port)
    else:
        _serve_socket_mode(host, port)


def _check_bot_token(settings: Settings) -> None:
    """Ask Slack before gunicorn starts, so a refused token is one line here, not a worker that fails to boot."""
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import slack_client

    try:
        slack_client(settings).auth_test()
    except SlackApiError as error:
        fail(f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}); check the token.", code=1)
    except Exception as error:  # noqa: BLE001 - the network, a wrong URL
        fail(f"Could not reach Slack at {settings.slack_api_url} ({error}); check SLACK_API_URL.", code=1)


def _serve_socket_mode(host: str, port: int) -> None:
    from bot.decisions.store import DecisionLog
    from bot.slack.app import SetupError, build_app
    from bot.slack.server import serve_socket_mode
    from bot.slack.services import Services

    settings = load_settings()
    services = Services(settings, open_knowledge(), DecisionLog.from_settings(settings))
    try:
        app = build_app(services, socket_mode=True)
    except SetupError as error:
        fail(str(error), code=1)
    from bot.slack.aging import start_rechecks
    from bot.slack.oauth import workspace_clients

    start_rechecks(settings, services.log, services.kb, workspace_clients(services, app))
    typer.echo(f"localcheck: Socket Mode; /health on http://{host}:{port}")
    serve_socket_mode(app, services, host=host, port=port)
