"""`localcheck serve`: run the Slack app."""

from __future__ import annotations

import logging
import threading

import typer

from bot.cli.common import fail, open_knowledge
from bot.cli.settings import load_settings


def serve_command(
    port: int = typer.Option(3000, "--port", min=1, max=65535, help="HTTP port (/slack/events, /health)."),
    host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on."),  # noqa: S104 - a server's job
) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, HTTP mode otherwise."""
    from bot.decisions.store import DecisionLog
    from bot.settings import redact_logs
    from bot.slack.app import SetupError, build_app, request_gate
    from bot.slack.server import serve_socket_mode, start_http
    from bot.slack.services import Services

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    redact_logs(settings)
    socket_mode = settings.slack_app_token is not None
    services = Services(settings, open_knowledge(), DecisionLog.from_settings(settings))
    try:
        app = build_app(services, socket_mode=socket_mode)
        gate = None if socket_mode else request_gate(services)
    except SetupError as error:
        fail(str(error), code=1)
    from bot.slack.aging import start_rechecks

    start_rechecks(settings, services.log, services.kb, lambda team: app.client)  # one bot token: the app's client
    if socket_mode:
        typer.echo(f"localcheck: Socket Mode; /health on http://{host}:{port}")
        serve_socket_mode(app, settings.slack_app_token.get_secret_value(), host=host, port=port)  # type: ignore[union-attr]
    else:
        start_http(app, host=host, port=port, gate=gate)
        typer.echo(f"localcheck: HTTP mode on http://{host}:{port}/slack/events (health: /health)")
        threading.Event().wait()
