"""gunicorn's settings for localcheck in HTTP mode: what `localcheck serve` runs, and what

    gunicorn -c python:bot.slack.gunicorn_config 'bot.slack.production:create_app()'

runs for those who start gunicorn themselves (add `--bind 0.0.0.0:3000`).

One process with threads, not several processes: the answer pool, Bolt's listener threads and the
memory of requests and events already seen (a retry arriving while its first delivery is answered)
live in the process, and the model is the bottleneck, not Python. Requests are short (verify,
acknowledge, hand the answer over), so threads serve them well; the SQLite decision log would take
several processes too (its migrations are locked), but nothing here needs them.
"""

from __future__ import annotations

from typing import Any

from bot.slack.production import ANSWER_GRACE_S

workers = 1
worker_class = "gthread"
threads = 32
"""Request threads: each holds a request only while it is checked and acknowledged."""
backlog = 2048
"""Connections the kernel holds before gunicorn accepts them: a burst of Slack's deliveries waits, not reset."""
worker_connections = 2048
keepalive = 5
timeout = 30
graceful_timeout = int(ANSWER_GRACE_S) + 3
"""On SIGTERM: the worker stops accepting, finishes its requests, gives answers ANSWER_GRACE_S and apologises
for the rest; past this gunicorn kills it."""
accesslog = None  # the proxy's job; refused requests are logged by the request gate
proc_name = "localcheck"
control_socket_disable = True  # stopped by signals; a control socket would go into the service user's home


def worker_exit(server: Any, worker: Any) -> None:
    """The worker is stopping: let answers under way finish, within the grace, and apologise for the rest."""
    stop = getattr(worker.wsgi, "stop", None)
    if stop is not None:
        stop()
