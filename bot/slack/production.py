"""HTTP mode in production: the Bolt app behind the request gate, served by gunicorn (bot/slack/gunicorn_config.py).

`create_app()` is the WSGI factory gunicorn loads in its worker; `serve_http` is what `localcheck serve`
runs: gunicorn with that configuration, bound to the host and port given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from bot.slack.services import Services

ANSWER_GRACE_S = 6.0
"""On a stop, how long answers under way (and queued) may take before they are apologised for."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ServedApp:
    """The WSGI app gunicorn serves, and what stopping it does to the answers under way."""

    def __init__(self, services: Services, wsgi: Callable[..., Iterable[bytes]]) -> None:
        self.services = services
        self._wsgi = wsgi

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.services.answers.request_arrived()
        return self._wsgi(environ, start_response)

    def stop(self) -> None:
        self.services.stop(ANSWER_GRACE_S)


def create_app() -> ServedApp:
    """The app from the environment and `.env`, as `localcheck serve` checked them before starting gunicorn."""
    from bot.decisions.store import DecisionLog
    from bot.knowledge.loader import load_knowledge
    from bot.settings import Settings, redact_logs
    from bot.slack.aging import start_rechecks
    from bot.slack.app import build_app, request_gate
    from bot.slack.oauth import workspace_clients
    from bot.slack.server import wsgi_app

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    settings = Settings()
    redact_logs(settings)
    services = Services(settings, load_knowledge(settings.knowledge_dir), DecisionLog.from_settings(settings))
    app = build_app(services, socket_mode=False)
    start_rechecks(settings, services.log, services.kb, workspace_clients(services, app))
    return ServedApp(services, wsgi_app(app, "http", request_gate(services)))


def serve_http(host: str, port: int) -> None:
    """Run gunicorn with bot/slack/gunicorn_config.py on host:port until it is stopped (SIGTERM, Ctrl-C)."""
    from gunicorn.app.base import BaseApplication

    from bot.slack import gunicorn_config

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for name, value in vars(gunicorn_config).items():
                if name in self.cfg.settings:
                    self.cfg.set(name, value)
            self.cfg.set("bind", [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"])

        def load(self) -> ServedApp:
            return create_app()

    Gunicorn().run()
