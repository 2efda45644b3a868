"""`localcheck serve` in production shape, as a real process: bursts, slow models, and stopping.

Slack retries anything not acknowledged within 3 s and shows the user "operation_timeout"; `docker stop`
and systemd send SIGTERM and kill 10 s later. Those are the bounds asserted here, with room for a
loaded machine; everything else is waited for, not timed.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.server import ServerConnection
from websockets.sync.server import serve as websocket_server

from bot.slack import blocks
from bot.slack.workers import BUSY, STOPPED
from tests.conftest import CliRun
from tests.fakes.ollama import FakeOllama
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import TEAM, posted_cards, send, wait_until
from tests.slack.served import Served, burst, mention, serve, signed_request, stop

SLACK_ACK_S = 3.0
STOP_S = 10.0
BURST = 500
QUESTION = "about {n}k requests a day on llama3.1:8b for ticket triage, 2 SREs run our servers"


@pytest.fixture
def hanging_model() -> Iterator[FakeOllama]:
    """An Ollama that takes every chat request and never replies (until the test ends)."""
    with FakeOllama(delay_s=3600) as fake:
        yield fake


def served_with(slack: FakeSlack, folder: Path, model: FakeOllama | None = None, **env: str) -> Served:
    if model is not None:
        env = {"OLLAMA_HOST": model.url, "LOCALCHECK_LLM_TIMEOUT": "600", **env}
    return serve(slack, folder, "--http", **env)


def told(slack: FakeSlack, text: str) -> list[dict[str, object]]:
    """The messages posted with exactly this text."""
    return [call.params for call in slack.calls_to("chat.postMessage") if call.params.get("text") == text]


def test_a_burst_of_500_mentions_is_acknowledged_in_time_and_every_one_answered(
    slack: FakeSlack, tmp_path: Path
) -> None:
    served = served_with(slack, tmp_path)
    try:
        replies = burst(served.url, [mention(QUESTION.format(n=n), f"1700000000.{n:06d}") for n in range(BURST)])
        slack.wait_for("chat.stopStream", count=BURST, timeout=300)
        logged = served.bot.log.db.execute("select count(*), count(distinct slack_event_id) from decisions").fetchone()
    finally:
        stop(served)
    assert [status for status, _ in replies] == [200] * BURST
    slowest = max(seconds for _, seconds in replies)
    assert slowest < SLACK_ACK_S, f"the slowest acknowledgement took {slowest:.1f} s"
    threads = sorted(call.params["thread_ts"] for call in posted_cards(slack))
    assert threads == [f"1700000000.{n:06d}" for n in range(BURST)], "one card in each question's thread"
    assert tuple(logged) == (BURST, BURST)


def test_slacks_url_checks_at_once_are_all_answered(slack: FakeSlack, tmp_path: Path) -> None:
    """Slack checks the Request URL from several places at once when the app is saved: none may be reset."""
    served = served_with(slack, tmp_path)
    try:
        requests = [
            signed_request({"type": "url_verification", "challenge": f"c-{n}", "token": "x"}) for n in range(50)
        ]
        replies = burst(served.url, requests)
    finally:
        stop(served)
    assert [status for status, _ in replies] == [200] * 50
    assert max(seconds for _, seconds in replies) < SLACK_ACK_S


def test_commands_and_buttons_are_acknowledged_while_answers_wait_on_a_model(
    slack: FakeSlack, hanging_model: FakeOllama, tmp_path: Path
) -> None:
    served = served_with(slack, tmp_path, hanging_model)
    try:
        waiting = 10  # more than the 8 answer workers: some wait in the queue too
        for n in range(waiting):
            assert served.bot.mention(QUESTION.format(n=n))[0].status == 200
        assert wait_until(lambda: len(hanging_model.chat_requests()) >= 8, timeout=30), "answers waiting on the model"
        timed = []
        for send in (
            lambda: served.bot.command("help"),
            lambda: served.bot.command("about 2M tokens a day through gpt-4o-mini"),
            lambda: served.bot.command("history"),
            lambda: served.bot.click(blocks.ACTION_HELPFUL, "01NOSUCHDECISION0000000000"),
            lambda: served.bot.click(blocks.ACTION_ADOPT, "01NOSUCHDECISION0000000000"),
        ):
            began = time.monotonic()
            reply = send()
            timed.append((reply.status, time.monotonic() - began, reply.body))
        assert wait_until(lambda: len(slack.calls_to("response_url")) >= 3), "history and both buttons answered"
    finally:
        stop(served)
    assert [status for status, _, _ in timed] == [200] * 5
    assert max(seconds for _, seconds, _ in timed) < SLACK_ACK_S, timed
    assert "/localcheck history" in timed[0][2] and "blocks" in json.loads(timed[1][2])
    assert posted_cards(slack) == [], "no answer got past the model"


def test_sigterm_stops_in_time_and_apologises_in_each_thread_it_could_not_answer(
    slack: FakeSlack, hanging_model: FakeOllama, tmp_path: Path
) -> None:
    served = served_with(slack, tmp_path, hanging_model)
    threads = [served.bot.mention(QUESTION.format(n=n))[1] for n in range(10)]
    assert wait_until(lambda: len(hanging_model.chat_requests()) >= 8, timeout=30)
    try:
        took = served.terminate(timeout=30)
    finally:
        stop(served)
    assert took < STOP_S, f"took {took:.1f} s to stop"
    assert served.process.returncode == 0
    apologies = told(slack, STOPPED)
    assert sorted(a["thread_ts"] for a in apologies) == sorted(threads), "one apology in each question's thread"
    assert "Traceback" not in served.stderr()


def test_an_answer_finished_before_sigterm_is_left_alone(slack: FakeSlack, tmp_path: Path) -> None:
    served = served_with(slack, tmp_path)
    try:
        served.bot.mention(QUESTION.format(n=1))
        slack.wait_for("chat.stopStream", timeout=30)
        took = served.terminate(timeout=30)
    finally:
        stop(served)
    assert took < STOP_S and served.process.returncode == 0
    assert [c.params["text"] for c in slack.calls_to("chat.postMessage") if not c.params.get("blocks")] == []


def test_a_full_answer_queue_says_busy_in_the_thread(
    slack: FakeSlack, hanging_model: FakeOllama, tmp_path: Path
) -> None:
    served = served_with(slack, tmp_path, hanging_model, LOCALCHECK_ANSWER_WORKERS="1", LOCALCHECK_ANSWER_QUEUE="2")
    try:
        first = served.bot.mention(QUESTION.format(n=1))[1]
        assert wait_until(lambda: hanging_model.chat_requests(), timeout=30)
        queued = [served.bot.mention(QUESTION.format(n=n))[1] for n in (2, 3)]
        turned_away = [served.bot.mention(QUESTION.format(n=n), channel="C2")[1] for n in (4, 5)]
        assert wait_until(lambda: len(told(slack, BUSY)) >= 2)
        busy = told(slack, BUSY)
    finally:
        stop(served)
    assert sorted((b["channel"], b["thread_ts"]) for b in busy) == [("C2", ts) for ts in sorted(turned_away)]
    assert first not in [b["thread_ts"] for b in busy] and not set(queued) & {b["thread_ts"] for b in busy}


def test_empty_values_in_dot_env_count_as_unset(slack: FakeSlack, tmp_path: Path) -> None:
    """deploy/GUIDE.md's .env leaves SLACK_APP_TOKEN empty for HTTP mode: that is HTTP mode, not Socket Mode."""
    (tmp_path / ".env").write_text("SLACK_APP_TOKEN=\nLOCALCHECK_MODEL=\nLOCALCHECK_LLM_TIMEOUT=\n")
    served = serve(slack, tmp_path, SLACK_APP_TOKEN="")
    try:
        health = send(served.url + "/health", b"", {}, method="GET").json()
        served.bot.mention(QUESTION.format(n=1))
        slack.wait_for("chat.stopStream", timeout=30)
    finally:
        stop(served)
    assert health["mode"] == "http"
    assert served.bot.log.list()[0].slack_team == TEAM


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--http", "--socket"], {}, "Choose one of --http and --socket."),
        (["--socket"], {"SLACK_BOT_TOKEN": "xoxb-test"}, "Socket Mode needs SLACK_APP_TOKEN: set SLACK_APP_TOKEN to"),
        (["--http"], {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-1"}, "HTTP mode needs SLACK_SIGNING"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": ""}, "HTTP mode needs SLACK_SIGNING_SECRET: set"),
        ([], {"SLACK_APP_TOKEN": "xapp-1"}, "Socket Mode needs SLACK_BOT_TOKEN: set SLACK_BOT_TOKEN to"),
        (["--socket"], {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xoxb-x"}, "Socket Mode needs SLACK_APP"),
    ],
)
def test_serve_says_in_one_line_what_the_mode_needs(
    cli: CliRun, args: list[str], env: dict[str, str], says: str
) -> None:
    blank = {"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": ""}
    result = cli("serve", *args, env={**blank, **env})
    assert result.exit_code in (1, 2) and result.output.startswith(says), result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_serve_names_a_bot_token_slack_refuses(cli: CliRun, slack: FakeSlack) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": slack.url + "/api/"}
    result = cli("serve", "--http", env={**env, "SLACK_APP_TOKEN": ""})
    assert result.exit_code == 1 and "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in result.output


def test_socket_mode_stops_on_sigterm_and_apologises_for_the_answer_under_way(
    slack: FakeSlack, hanging_model: FakeOllama, tmp_path: Path
) -> None:
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
            "event": {
                "type": "app_mention",
                "user": "U1",
                "text": "<@UBOT> " + QUESTION.format(n=1),
                "ts": "1700000100.000100",
                "channel": "C1",
                "event_ts": "1700000100.000100",
            },
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        },
    }

    def session(connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        connection.send(json.dumps(envelope))
        for _ in connection:
            pass

    with websocket_server(session, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        slack.valid_tokens.add("xapp-test")
        slack.respond("apps.connections.open", {"ok": True, "url": f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"})
        env = {"OLLAMA_HOST": hanging_model.url, "LOCALCHECK_LLM_TIMEOUT": "600", "SLACK_APP_TOKEN": "xapp-test"}
        served = serve(slack, tmp_path, "--socket", **env)
        try:
            assert wait_until(hanging_model.chat_requests, timeout=30), "the answer waits on the model"
            took = served.terminate(timeout=30)
        finally:
            stop(served)
            server.shutdown()
    assert took < STOP_S and served.process.returncode == 0, served.stderr()
    assert [a["thread_ts"] for a in told(slack, STOPPED)] == ["1700000100.000100"]
