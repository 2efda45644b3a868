"""Running the app: HTTP mode (Bolt's /slack/events and a /health endpoint) or Socket Mode."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Access logs are the proxy's job; errors still reach stderr."""


def wsgi_app(app: App | None, mode: str) -> Callable[..., Iterable[bytes]]:
    """Slack's requests to Bolt, /health to a liveness answer, anything else 404."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH) if app is not None else None

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"ok": True, "mode": mode}).encode()]
        if path == EVENTS_PATH and bolt is not None:
            return bolt(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return route


def start_http(app: App | None, *, host: str, port: int, mode: str = "http") -> WSGIServer:
    """Serve in a background thread; `server.server_port` is the port (useful with port 0)."""
    server = make_server(host, port, wsgi_app(app, mode), server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True, name="localcheck-http").start()
    return server


def serve_socket_mode(app: App, app_token: str, *, host: str, port: int) -> None:
    """Socket Mode for Slack, and /health on the port for the container's health check; blocks."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    start_http(None, host=host, port=port, mode="socket")
    SocketModeHandler(app, app_token).start()
