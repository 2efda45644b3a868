"""Slack Web API clients: every one the app makes, for a request or outside one, rides out Slack's
rate limits and transient failures the same way."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)


def web_client(token: str | None, base_url: str) -> WebClient:
    """A client for `token` at `base_url` that waits out rate limits (three times at most) and retries
    dropped connections and Slack's server errors; without a token, Bolt gives each request a copy with
    its workspace's."""
    return WebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectionErrorRetryHandler(),
            ServerErrorRetryHandler(),
        ],
    )
