"""Socket Mode against a local websocket server: the envelope is acknowledged and the mention answered."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler
from websockets.sync.server import ServerConnection, serve

from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.services import Services
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import TEAM, posted_cards, wait_until


def test_a_mention_over_socket_mode(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path) -> None:
    acks: list[dict[str, Any]] = []
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": "<@UBOT> about 2M tokens a day through gpt-4o-mini",
        "ts": "1700000100.000100",
        "channel": "C1",
        "event_ts": "1700000100.000100",
    }
    envelope = {
        "envelope_id": "env-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "payload": {
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "EvSock1",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        },
    }

    def session(connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        connection.send(json.dumps(envelope))
        for message in connection:
            acks.append(json.loads(message))

    with serve(session, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        slack.valid_tokens.add("xapp-test")
        slack.respond("apps.connections.open", {"ok": True, "url": f"ws://127.0.0.1:{port}/link"})
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=slack.url + "/api/",
            db=tmp_path / "d.db",
        )
        log = DecisionLog(settings.db)
        handler = SocketModeHandler(build_app(Services(settings, kb, log), socket_mode=True), "xapp-test")
        handler.connect()
        try:
            slack.wait_for("chat.stopStream", timeout=10)
            assert wait_until(lambda: any(ack.get("envelope_id") == "env-1" for ack in acks))
        finally:
            handler.close()
            server.shutdown()
    card = posted_cards(slack)[0].params
    assert card["channel"] == "C1" and card["thread_ts"] == "1700000100.000100"
    assert slack.calls_to("apps.connections.open")[0].token == "xapp-test"
    assert [d.source for d in log.list()] == ["mention"]
