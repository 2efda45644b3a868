"""Only Slack's signed requests reach the app: checked at the boundary, before anything is parsed.

`RequestGate.check` takes the raw body and headers, so any server can use it (the stdlib WSGI
server here, an ASGI or gunicorn deployment later); `gated` puts it in front of a WSGI app. Bolt
verifies the signature again behind it, and the app's error handler never answers a request Bolt
did not verify (bot/slack/app.py).
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import Clock, SignatureVerifier

from bot.slack.replays import REPLAY_WINDOW_S, SeenRequests

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 1 << 20
"""Slack's largest payloads (a modal's whole state, a message's blocks) are a fraction of this."""
DISCARD_FACTOR = 8
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take "١٢", " 12" or "1_2"
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class Refusal:
    """A request not to pass on, and the status to answer: 4xx, or an empty 200 for a replay
    (the original was answered; Slack must not retry)."""

    status: int
    reason: str


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class RequestGate:
    def __init__(
        self,
        signing_secret: str,
        seen: SeenRequests,
        *,
        max_body: int = MAX_BODY_BYTES,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.max_body = max_body
        self._seen = seen
        self._now = now
        self._verifier = SignatureVerifier(signing_secret, clock=_Clock(now))

    def check(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        """None for a request Slack signed, fresh, well-formed and not seen before; otherwise why not.

        `headers` are keyed in lower case.
        """
        if len(body) > self.max_body:
            return Refusal(413, f"a body of {len(body):,} bytes, over {self.max_body:,}")
        timestamp = headers.get("x-slack-request-timestamp") or ""
        signature = headers.get("x-slack-signature") or ""
        if not (_TIMESTAMP.fullmatch(timestamp) and _SIGNATURE.fullmatch(signature)):
            return Refusal(401, "unsigned: no well-formed X-Slack-Request-Timestamp and X-Slack-Signature")
        age = self._now() - int(timestamp)
        if abs(age) > REPLAY_WINDOW_S:
            when = f"{age:,.0f} s ago" if age > 0 else f"{-age:,.0f} s in the future"
            return Refusal(401, f"stale: signed {when}, outside Slack's {REPLAY_WINDOW_S} s")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "a body that is not UTF-8")
        if not self._verifier.is_valid(text, timestamp, signature):
            return Refusal(401, "a signature that does not match the body")
        content_type = (headers.get("content-type") or "").split(";")[0].strip() or None
        try:
            parsed = parse_body(text, content_type)
        except ValueError as error:
            return Refusal(400, f"a signed body that is not well-formed ({error.__class__.__name__})")
        if not isinstance(parsed, dict):
            return Refusal(400, "a signed body that is not an object")
        # Events are answered once through their event id in the decision log; only the others need
        # their signature remembered there.
        across_restarts = parsed.get("type") != "event_callback"
        if not self._seen.first_time(signature, int(timestamp), remember_across_restarts=across_restarts):
            return Refusal(200, "a replay of a request already answered")
        return None


def gated(app: WsgiApp, gate: RequestGate) -> WsgiApp:
    """`app` behind `gate`: a request is read (at most `gate.max_body` bytes) and checked before
    `app` sees it; a refused one gets its status and one log line."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body, refusal = _read_body(environ, gate.max_body)
        if refusal is None:
            refusal = gate.check(body, _headers(environ))
        if refusal is None:
            return app({**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}, start_response)
        client = environ.get("REMOTE_ADDR", "?")
        if refusal.status >= 400:
            logger.warning("refused a request from %s: %d, %s", client, refusal.status, refusal.reason)
        else:
            logger.info("dropped a request from %s: %s", client, refusal.reason)
        start_response(f"{refusal.status} {_REASONS.get(refusal.status, 'OK')}", [("Content-Type", "text/plain")])
        return [b"" if refusal.status < 400 else refusal.reason.encode()]

    return guarded


_REASONS = {400: "Bad Request", 401: "Unauthorized", 405: "Method Not Allowed", 408: "Request Timeout"}
_REASONS |= {411: "Length Required", 413: "Content Too Large"}


def _read_body(environ: dict[str, Any], limit: int) -> tuple[bytes, Refusal | None]:
    if environ.get("REQUEST_METHOD") != "POST":
        return b"", Refusal(405, "not a POST")
    declared = environ.get("CONTENT_LENGTH") or ""
    if not declared:
        return b"", Refusal(411, "no Content-Length")
    if not declared.isascii() or not declared.isdigit():
        return b"", Refusal(400, "a Content-Length that is not a number")
    try:
        if int(declared) > limit:
            _discard(environ["wsgi.input"], int(declared), limit)
            return b"", Refusal(413, f"a body of {int(declared):,} bytes, over {limit:,}")
        body = environ["wsgi.input"].read(int(declared))
    except TimeoutError:
        return b"", Refusal(408, "a body that did not arrive in time")
    except OSError as error:
        return b"", Refusal(400, f"a body that could not be read ({error.__class__.__name__})")
    if len(body) != int(declared):
        return b"", Refusal(400, "a body shorter than its Content-Length")
    return body, None


def _discard(stream: Any, length: int, limit: int) -> None:
    """Read a moderately oversized body away so its sender gets the 413 rather than a broken pipe;
    a far larger one is not read at all (the connection closes under it)."""
    if length > DISCARD_FACTOR * limit:
        return
    while length > 0 and (chunk := stream.read(min(length, 1 << 16))):
        length -= len(chunk)


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {k[5:].lower().replace("_", "-"): str(v) for k, v in environ.items() if k.startswith("HTTP_")}
    headers["content-type"] = str(environ.get("CONTENT_TYPE") or "")
    return headers
