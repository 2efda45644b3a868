"""The app's routes (Slack's /slack/events behind the request gate, the OAuth install pages, /health), the
standard library's server for /health beside Socket Mode and for tests, and Socket Mode itself. HTTP mode in
production: production.py."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.production import ANSWER_GRACE_S
from bot.slack.services import Services
from bot.slack.verify import RequestGate, gated

logger = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"
SOCKET_TIMEOUT_S = 10  # a client that stalls mid-request loses its connection, not a thread forever


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """The standard library's server: for /health beside Socket Mode and for tests; HTTP mode in production
    runs gunicorn (bot/slack/production.py)."""

    daemon_threads = True
    request_queue_size = 1024  # the default of 5 resets a burst of connections

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line for a connection that broke or stalled, not the stdlib's traceback."""
        logger.warning("dropped a connection from %s: %r", client_address[0], sys.exc_info()[1])


class _QuietHandler(WSGIRequestHandler):
    timeout = SOCKET_TIMEOUT_S

    def log_message(self, format: str, *args: Any) -> None:
        """Access logs are the proxy's job; refused requests are logged by the gate."""


def wsgi_app(app: App | None, mode: str, gate: RequestGate | None = None) -> Callable[..., Iterable[bytes]]:
    """Slack's requests, through `gate`, to Bolt; /health to a liveness answer; anything else 404."""
    if app is not None and gate is None:
        raise ValueError("Slack's requests need a RequestGate in front of the app")
    bolt = gated(SlackRequestHandler(app, path=EVENTS_PATH), gate) if app is not None and gate else None
    # OAuth installs are a browser's GETs, unsigned: Bolt checks them against the state it handed out.
    flow = app.oauth_flow if app is not None else None
    install = SlackRequestHandler(app) if app is not None and flow is not None else None
    install_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"ok": True, "mode": mode}).encode()]
        if path == EVENTS_PATH and bolt is not None:
            return bolt(environ, start_response)
        if path in install_paths and install is not None:
            return install(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return route


def start_http(
    app: App | None, *, host: str, port: int, gate: RequestGate | None = None, mode: str = "http"
) -> WSGIServer:
    """Serve in a background thread; `server.server_port` is the port (useful with port 0)."""
    server = make_server(
        host, port, wsgi_app(app, mode, gate), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True, name="localcheck-http").start()
    return server


def serve_socket_mode(app: App, services: Services, *, host: str, port: int) -> None:
    """Socket Mode for Slack, and /health on the port for the container's health check; blocks until
    SIGTERM or Ctrl-C, then gives answers under way ANSWER_GRACE_S and apologises for the rest."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    health = start_http(None, host=host, port=port, mode="socket")
    handler = SocketModeHandler(app, services.settings.slack_app_token.get_secret_value())  # type: ignore[union-attr]
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    handler.connect()
    stopping.wait()
    logger.info("stopping: no new events; answers under way have %.0f s", ANSWER_GRACE_S)
    handler.close()
    services.stop(ANSWER_GRACE_S)
    health.shutdown()
