"""The fake Slack Web API works with the real slack_sdk client and slack-bolt, not only with raw HTTP."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.fakes.slack_api import Call, FakeSlack

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Run it locally.*"}}, {"type": "divider"}]


def client(fake: FakeSlack, token: str = "xoxb-test", **kwargs: Any) -> WebClient:
    return WebClient(token=token, base_url=fake.url + "/api/", **kwargs)


def test_auth_test_answers_for_a_valid_token(fake_slack: FakeSlack) -> None:
    answer = client(fake_slack).auth_test()
    assert answer["ok"] is True
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == ("UBOT", "B1", "T1")
    assert fake_slack.calls == [Call("auth.test", "xoxb-test", {}, "POST")]


def test_an_invalid_or_missing_token_is_refused(fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as err:
        client(fake_slack, token="xoxb-wrong").auth_test()
    assert err.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=fake_slack.url + "/api/").chat_postMessage(channel="C1", text="hi")
    fake_slack.valid_tokens.add("xoxb-other")
    assert client(fake_slack, token="xoxb-other").auth_test()["ok"] is True


def test_post_message_records_channel_text_and_blocks(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    first = web.chat_postMessage(channel="C1", text="Local or cloud?", blocks=BLOCKS, thread_ts="1699.000001")
    second = web.chat_postMessage(channel="C1", text="again")
    assert first["channel"] == "C1" and first["message"]["blocks"] == BLOCKS
    assert first["ts"] == "1700000000.000100" and float(second["ts"]) > float(first["ts"])
    (call, _) = fake_slack.calls_to("chat.postMessage")
    assert call.params == {"channel": "C1", "text": "Local or cloud?", "blocks": BLOCKS, "thread_ts": "1699.000001"}


def test_blocks_in_a_form_post_are_parsed_back_into_lists(fake_slack: FakeSlack) -> None:
    # slack_sdk form-encodes most methods, with JSON parameters as JSON strings.
    client(fake_slack).api_call("chat.postMessage", params={"channel": "C2", "text": "x", "blocks": json.dumps(BLOCKS)})
    (call,) = fake_slack.calls_to("chat.postMessage")
    assert call.params["blocks"] == BLOCKS


def test_get_with_a_query_string_and_a_token_parameter_work_too(fake_slack: FakeSlack) -> None:
    with urllib.request.urlopen(f"{fake_slack.url}/api/conversations.info?channel=D9&token=xoxb-test", timeout=5) as r:
        assert json.loads(r.read())["channel"]["is_im"] is True
    assert fake_slack.calls == [Call("conversations.info", "xoxb-test", {"channel": "D9"}, "GET")]


def test_the_methods_the_bot_uses_answer_ok(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Estimate"}, "blocks": BLOCKS}
    assert web.chat_update(channel="C1", ts="1.0", text="edited")["message"]["text"] == "edited"
    assert web.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    assert web.views_open(trigger_id="t1", view=view)["view"]["blocks"] == BLOCKS
    assert web.views_publish(user_id="U1", view={"type": "home", "blocks": []})["view"]["type"] == "home"
    assert web.views_update(view_id="V1", view=view)["view"]["id"] == "V1"
    assert web.reactions_add(channel="C1", timestamp="1.0", name="eyes")["ok"] is True
    assert web.assistant_threads_setStatus(channel_id="D1", thread_ts="1.0", status="thinking...")["ok"] is True
    prompts = [{"title": "Local?", "message": "Should we run it locally?"}]
    assert web.assistant_threads_setSuggestedPrompts(channel_id="D1", thread_ts="1.0", prompts=prompts)["ok"] is True
    assert web.conversations_info(channel="C1")["channel"]["id"] == "C1"
    assert "UBOT" in web.conversations_members(channel="C1")["members"]
    assert web.users_info(user="U1")["user"]["id"] == "U1"
    assert fake_slack.calls_to("views.open")[0].params["view"] == view
    assert fake_slack.calls_to("assistant.threads.setSuggestedPrompts")[0].params["prompts"] == prompts


def test_chat_stream_methods_build_one_message(fake_slack: FakeSlack) -> None:
    stream = client(fake_slack).chat_stream(
        channel="C1", thread_ts="1.0", recipient_team_id="T1", recipient_user_id="U1", buffer_size=5
    )
    stream.append(markdown_text="Run it ")
    stream.append(markdown_text="locally.")
    start_ts = stream.ts
    final = stream.stop()
    assert [c.method for c in fake_slack.calls] == ["chat.startStream", "chat.appendStream", "chat.stopStream"]
    (start,) = fake_slack.calls_to("chat.startStream")
    assert start.params["recipient_user_id"] == "U1" and start.params["chunks"][0]["type"] == "markdown_text"
    assert final["ts"] == stream.ts == start_ts and final["message"]["text"] == "Run it locally."
    assert fake_slack.stream_text() == fake_slack.stream_text(final["ts"]) == "Run it locally."


def test_bolt_say_stream_works_against_the_fake(fake_slack: FakeSlack) -> None:
    app = App(client=client(fake_slack), signing_secret="s", request_verification_enabled=False)

    @app.event("app_mention")
    def answer(say_stream: Any) -> None:
        stream = say_stream()
        stream.append(markdown_text="Local wins.")
        stream.stop()

    event = {"type": "app_mention", "user": "U1", "text": "<@UBOT> local?", "ts": "1.5", "channel": "C1"}
    body = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": "Ev1",
        "event_time": 1,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        "event": event,
    }
    response = app.dispatch(BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]}))
    assert response.status == 200  # acked at once; the listener runs on in Bolt's thread pool
    (stop,) = fake_slack.wait_for("chat.stopStream")
    assert fake_slack.calls_to("chat.startStream")[0].params["thread_ts"] == "1.5"
    assert fake_slack.stream_text(stop.params["ts"]) == "Local wins."


def test_unknown_methods_are_refused(fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as err:
        client(fake_slack).api_call("chat.teleport")
    assert err.value.response["error"] == "unknown_method"


def test_respond_overrides_a_method_with_a_payload_or_a_callable(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    fake_slack.respond("chat.postMessage", {"ok": False, "error": "channel_not_found"})
    with pytest.raises(SlackApiError, match="channel_not_found"):
        web.chat_postMessage(channel="C404", text="hi")
    fake_slack.respond("chat.postMessage", lambda call: {"ok": True, "echo": call.params["text"]})
    assert web.chat_postMessage(channel="C1", text="hi")["echo"] == "hi"
    fake_slack.respond("chat.teleport", {"ok": True})  # an unknown method becomes known
    assert web.api_call("chat.teleport")["ok"] is True


def test_rate_limit_answers_429_with_retry_after(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client(fake_slack).chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 429 and err.value.response["error"] == "ratelimited"
    assert err.value.response.headers["Retry-After"] == "7"
    assert client(fake_slack).chat_postMessage(channel="C1", text="hi")["ok"] is True  # only `times` calls


def test_the_rate_limit_retry_handler_gets_through(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=0)  # the handler still adds up to 1s
    web = client(fake_slack)
    web.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    assert web.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


def test_wait_for_blocks_until_calls_arrive_from_another_thread(fake_slack: FakeSlack) -> None:
    def later() -> None:
        time.sleep(0.2)
        for text in ("one", "two"):
            client(fake_slack).chat_postMessage(channel="C1", text=text)

    threading.Thread(target=later, daemon=True).start()
    calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=5)
    assert [c.params["text"] for c in calls] == ["one", "two"]
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"reactions\.add"):
        fake_slack.wait_for("reactions.add", timeout=0.2)
    assert time.monotonic() - started < 1


def test_fixture_points_the_bot_settings_at_the_fake(fake_slack: FakeSlack) -> None:
    assert os.environ["SLACK_API_URL"] == fake_slack.url + "/api/"
    assert os.environ["SLACK_BOT_TOKEN"] in fake_slack.valid_tokens


def test_context_manager_binds_a_free_local_port_and_stops() -> None:
    with FakeSlack() as one, FakeSlack() as two:
        assert one.url.startswith("http://127.0.0.1:") and one.url != two.url
        assert client(one).auth_test()["ok"] is True
        assert two.calls == []
    with pytest.raises(OSError):  # urllib's URLError is an OSError
        urllib.request.urlopen(f"{one.url}/api/auth.test", timeout=1)
