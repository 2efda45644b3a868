"""Requests an attacker would send to /slack/events, each with the status it must get.

Every body names a victim channel and thread, so a request that leaked through to the Web API
would show up as a call naming them. Shared by the tests and tests/bench/hostile_slack.py.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.slack.harness import SECRET, TEAM, Reply, signature_headers

VICTIM_CHANNEL = "CVICTIM"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Hostile:
    name: str
    body: bytes
    headers: dict[str, str]
    status: int


def victim_event() -> bytes:
    event = {"type": "app_mention", "user": "U1", "text": "<@UBOT> 2M tokens a day", "channel": VICTIM_CHANNEL}
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "event_id": f"EvHostile{time.monotonic_ns()}",
            "event": {**event, "ts": "1700000000.000100", "thread_ts": "1700000000.000100"},
        }
    ).encode()


def victim_command() -> bytes:
    form = {"command": "/localcheck", "text": "2M tokens a day", "team_id": TEAM, "user_id": "U1"}
    return urllib.parse.urlencode(
        {**form, "channel_id": VICTIM_CHANNEL, "response_url": "http://127.0.0.1:9/"}
    ).encode()


def unverified_requests(secret: str = SECRET) -> list[Hostile]:
    """Requests that must be refused before the app parses them: none may act."""
    now = int(time.time())
    event, command = victim_event(), victim_command()
    zeros = {"X-Slack-Signature": "v0=" + "0" * 64}

    def signed(body: bytes, *, at: int = now, key: str = secret) -> dict[str, str]:
        return signature_headers(body, secret=key, timestamp=at)

    return [
        Hostile("no signature at all", event, {"Content-Type": JSON}, 401),
        Hostile(
            "timestamp not a number", event, {"Content-Type": JSON, "X-Slack-Request-Timestamp": "abc", **zeros}, 401
        ),
        Hostile("timestamp empty", command, {"Content-Type": FORM, "X-Slack-Request-Timestamp": "", **zeros}, 401),
        Hostile(
            "timestamp in exponent notation",
            event,
            {"Content-Type": JSON, "X-Slack-Request-Timestamp": "1.7e9", **zeros},
            401,
        ),
        Hostile(
            "timestamp with a sign and underscores (int() would take it)",
            command,
            {"Content-Type": FORM, "X-Slack-Request-Timestamp": f"+{now:_}", **zeros},
            401,
        ),
        Hostile("signature not hex", event, {"Content-Type": JSON, **signed(event), "X-Slack-Signature": "v0=zz"}, 401),
        Hostile("signed with another secret", command, {"Content-Type": FORM, **signed(command, key="guess")}, 401),
        Hostile("stale signature (10 minutes old)", event, {"Content-Type": JSON, **signed(event, at=now - 600)}, 401),
        Hostile("signature from the future", command, {"Content-Type": FORM, **signed(command, at=now + 600)}, 401),
        Hostile("signature of another body", command, {"Content-Type": FORM, **signed(event)}, 401),
        Hostile(
            "malformed JSON, unsigned",
            b'{"type": "event_callback", "event": {',
            {"Content-Type": JSON, "X-Slack-Request-Timestamp": str(now), **zeros},
            401,
        ),
        Hostile(
            "malformed form, unsigned",
            b"payload=%7Bnot-json",
            {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(now), **zeros},
            401,
        ),
        Hostile("not UTF-8", b"\xff\xfe" + event, {"Content-Type": JSON, **signed(event)}, 400),
        Hostile("signed but malformed JSON", b'{"type": ', {"Content-Type": JSON, **signed(b'{"type": ')}, 400),
        Hostile("signed JSON that is a list", b"[1, 2]", {"Content-Type": JSON, **signed(b"[1, 2]")}, 400),
        Hostile(
            "signed form whose payload is not JSON",
            b"payload=%7Bx",
            {"Content-Type": FORM, **signed(b"payload=%7Bx")},
            400,
        ),
        Hostile(
            "oversized (2 MiB)",
            b"{" + b" " * (2 << 20) + b"}",
            {"Content-Type": JSON, "X-Slack-Request-Timestamp": str(now), **zeros},
            413,
        ),
    ]


def declare_huge_body(url: str, length: int = 100 << 20) -> Reply:
    """Send only the headers of a huge request: the answer must come without the body being read."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10) as sock:
        head = f"POST {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Type: {JSON}\r\nContent-Length: {length}\r\n\r\n"
        sock.sendall(head.encode())
        answer = sock.makefile("rb").read().decode("utf-8", "replace")
    status_line, _, rest = answer.partition("\r\n")
    return Reply(int(status_line.split()[1]), rest.partition("\r\n\r\n")[2])
