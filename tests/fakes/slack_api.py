"""A fake of Slack's Web API (https://slack.com/api/METHOD) speaking real HTTP, for tests.

The bot talks to Slack through `slack_sdk.WebClient` (and slack-bolt on top of it); pointing
the client's `base_url` here exercises that real stack, retries and error handling included:

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url + "/api/")
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.calls_to("chat.postMessage")[0].params["text"] == "hi"

slack_sdk sends every method as a POST (form-encoded, or JSON for the methods that carry
blocks), the token in "Authorization: Bearer"; other clients may use GET and a query string,
or a `token` parameter. All of those are accepted. Multipart bodies (file uploads) are not parsed.
Posts to `url + "/response"` (give it as an interaction's response_url) are recorded as calls to
"response_url". File uploads go the way `files_upload_v2` sends them: files.getUploadURLExternal
hands out an upload URL here, the bytes posted to it are kept (`uploaded`) and recorded as a call to
"upload", and files.completeUploadExternal shares the file in its channel and thread.

Many workspaces: `install_code(team_id)` gives the code Slack would send a browser back with after
an OAuth install; `oauth.v2.access` (client id and secret as slack_sdk sends them, HTTP Basic) trades
it once for a new bot token of that workspace, which `auth.test` then answers for; `uninstall(team_id)`
revokes the workspace's tokens, as uninstalling the app does.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import itertools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.fakes.http import FakeHandler, ThreadedHTTPFake, keep_traffic_local

# Parameters that carry JSON; form posts send them as JSON-encoded strings, parsed back here.
JSON_PARAMS = frozenset({"blocks", "attachments", "view", "chunks", "metadata", "prompts", "user_auth_blocks", "files"})
BOT = {"team_id": "T1", "user_id": "UBOT", "bot_id": "B1"}
RESPONSE_PATH = "/response"
RESPONSE_METHOD = "response_url"  # how posts to an interaction's response_url appear among the calls
UPLOAD_PATH = "/upload/"
UPLOAD_METHOD = "upload"  # how the bytes posted to an upload URL appear among the calls
NO_TOKEN_METHODS = frozenset({"oauth.v2.access"})  # authenticated by the app's client id and secret instead
CLIENT_ID, CLIENT_SECRET = "1111.2222", "fake-client-secret"


@dataclass(frozen=True)
class Call:
    method: str  # the API method, e.g. "chat.postMessage"
    token: str | None
    params: dict[str, Any]  # form, JSON body and query string together, JSON_PARAMS decoded
    http_method: str = "POST"


Answer = dict[str, Any] | Callable[[Call], dict[str, Any]]
Handler = Callable[["FakeSlack", Call], dict[str, Any]]


def _params(query: str, body: str, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body.lstrip().startswith("{"):  # sniffed: slack_sdk labels even bodiless calls application/json
        with contextlib.suppress(ValueError):
            params.update(json.loads(body))
    elif content_type != "multipart/form-data":
        params.update(parse_qsl(body, keep_blank_values=True))
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str) and params[key][:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


class _Handler(FakeHandler):
    owner: FakeSlack

    def _handle(self) -> None:
        raw = self.read_body()
        url = urlsplit(self.path)
        if url.path == RESPONSE_PATH:  # an interaction's response_url: what only the clicking user sees
            params = _params(url.query, raw.decode("utf-8", "replace"), self.headers.get_content_type())
            self.owner._record(Call(RESPONSE_METHOD, None, params, self.command))
            self.send_bytes(200, b"ok", "text/plain")
            return
        if url.path.startswith(UPLOAD_PATH):  # the URL files.getUploadURLExternal handed out
            file_id = url.path.removeprefix(UPLOAD_PATH)
            self.owner._keep_upload(Call(UPLOAD_METHOD, None, {"file_id": file_id, "length": len(raw)}), raw)
            self.send_bytes(200, f"OK - {len(raw)}".encode(), "text/plain")
            return
        if not url.path.startswith("/api/") or url.path == "/api/":
            self.send_bytes(404, b"404 Not Found", "text/plain")
            return
        params = _params(url.query, raw.decode("utf-8", "replace"), self.headers.get_content_type())
        auth = self.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else params.pop("token", None)
        if auth.startswith("Basic "):  # an app's client id and secret, as slack_sdk sends them to oauth.v2.access
            with contextlib.suppress(ValueError):
                client_id, _, secret = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
                params |= {"client_id": client_id, "client_secret": secret}
        status, body, headers = self.owner._answer(Call(url.path.removeprefix("/api/"), token, params, self.command))
        try:
            self.send_json(status, body, headers)
        except OSError:
            self.close_connection = True  # the client gave up

    do_GET = do_POST = _handle


class FakeSlack(ThreadedHTTPFake):
    """A background ThreadingHTTPServer on ("127.0.0.1", free port); see module doc.

    Every method checks the token as Slack does (`not_authed` without one, `invalid_auth`
    if it is not in `valid_tokens`) before its handler runs; `respond()` replaces handlers.
    """

    handler_class = _Handler

    def __init__(self, *, valid_tokens: Iterable[str] = ("xoxb-test",)) -> None:
        super().__init__()
        self.valid_tokens: set[str] = set(valid_tokens)
        self.identities: dict[str, dict[str, str]] = {}  # token -> its workspace and bot user; BOT if absent
        self._codes: dict[str, tuple[str, str]] = {}  # OAuth code -> the workspace it installs in, and its name
        self._installs = itertools.count(1)
        self._calls: list[Call] = []
        self._arrived = threading.Condition(self._lock)  # wait_for() sleeps on it
        self._handlers: dict[str, Handler] = dict(_DEFAULTS)
        self._rate_limits: dict[str, tuple[int, int]] = {}  # method -> (calls left to refuse, retry_after)
        self._ts = 1_700_000_000_000_000  # microseconds; ts values are unique and increasing
        self._streams: dict[str, str] = {}  # ts -> markdown streamed so far
        self.uploaded: dict[str, bytes] = {}  # file id -> the bytes posted to its upload URL

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every call received so far, in arrival order (rate-limited ones too)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Blocks until `count` calls to `method` arrived, then returns all calls to it so far.

        Bolt runs listeners in a thread pool after acking, so a test cannot otherwise
        know when a handler has finished talking to Slack.
        """

        def arrived() -> list[Call]:
            return [c for c in self._calls if c.method == method]

        with self._arrived:
            if not self._arrived.wait_for(lambda: len(arrived()) >= count, timeout):
                seen = [c.method for c in self._calls]
                raise TimeoutError(f"waited {timeout}s for {count} call(s) to {method}; calls so far: {seen}")
            return arrived()

    def respond(self, method: str, answer: Answer) -> None:
        """Answer `method` with this payload, or with what `answer(call)` returns, from now on."""

        def handler(fake: FakeSlack, call: Call) -> dict[str, Any]:
            return answer(call) if callable(answer) else copy.deepcopy(answer)

        with self._lock:
            self._handlers[method] = handler

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls to `method` get HTTP 429 with a Retry-After header, as Slack sends."""
        with self._lock:
            self._rate_limits[method] = (times, retry_after)

    def install_code(self, team_id: str, team_name: str | None = None) -> str:
        """The code Slack sends a browser back with once someone installs the app in `team_id`."""
        with self._lock:
            code = f"code-{team_id}-{next(self._installs)}"
            self._codes[code] = (team_id, team_name or f"Team {team_id}")
            return code

    def uninstall(self, team_id: str) -> None:
        """The workspace's tokens stop working, as when the app is uninstalled there."""
        with self._lock:
            gone = {token for token, who in self.identities.items() if who["team_id"] == team_id}
            self.valid_tokens -= gone

    def identity(self, token: str | None) -> dict[str, str]:
        """The workspace and bot user a token belongs to."""
        with self._lock:
            return dict(self.identities.get(token or "", {"team": "Test", **BOT}))

    def _exchange(self, code: str) -> dict[str, str] | None:
        """A new bot token for the workspace `code` installs in; each code works once."""
        with self._lock:
            if code not in self._codes:
                return None
            team_id, name = self._codes.pop(code)
            token = f"xoxb-{team_id}-{next(self._installs)}"
            self.identities[token] = {
                "team_id": team_id,
                "team": name,
                "user_id": f"UBOT{team_id}",
                "bot_id": f"B{team_id}",
            }
            self.valid_tokens.add(token)
            return {"token": token, **self.identities[token]}

    def stream_text(self, ts: str | None = None) -> str:
        """The markdown streamed with chat.startStream/appendStream/stopStream (the latest stream by default)."""
        with self._lock:
            return self._streams.get(ts, "") if ts else next(reversed(self._streams.values()), "")

    def next_ts(self) -> str:
        with self._lock:
            self._ts += 100
            return f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"

    def _keep_upload(self, call: Call, data: bytes) -> None:
        with self._lock:
            self.uploaded[call.params["file_id"]] = data
        self._record(call)

    def _record(self, call: Call) -> None:
        with self._arrived:
            self._calls.append(call)
            self._arrived.notify_all()

    def _answer(self, call: Call) -> tuple[int, dict[str, Any], dict[str, str]]:
        self._record(call)
        with self._arrived:
            times, retry_after = self._rate_limits.get(call.method, (0, 0))
            if times > 0:
                self._rate_limits[call.method] = (times - 1, retry_after)
            handler = self._handlers.get(call.method)
            valid = call.token in self.valid_tokens or call.method in NO_TOKEN_METHODS
        if times > 0:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method", "req_method": call.method}, {}
        if not valid:
            return 200, {"ok": False, "error": "invalid_auth" if call.token else "not_authed"}, {}
        try:
            body = handler(self, call)
        except Exception as exc:  # a test's callable failed: say so, don't hang up
            return 500, {"ok": False, "error": "fake_handler_raised", "detail": repr(exc)}, {}
        return 200, body, {}

    def _stream(self, call: Call, ts: str) -> str:
        """Adds a stream call's markdown (markdown_text and markdown_text chunks) to its message."""
        chunks = call.params.get("chunks") if isinstance(call.params.get("chunks"), list) else []
        text = str(call.params.get("markdown_text") or "") + "".join(
            str(c.get("text") or "") for c in chunks if isinstance(c, dict) and c.get("type") == "markdown_text"
        )
        with self._lock:
            self._streams[ts] = self._streams.get(ts, "") + text
            return self._streams[ts]


def _message(call: Call, ts: str, text: str) -> dict[str, Any]:
    message = {
        "type": "message",
        "user": BOT["user_id"],
        "bot_id": BOT["bot_id"],
        "team": BOT["team_id"],
        "text": text,
        "ts": ts,
    }
    return message | {k: call.params[k] for k in ("blocks", "attachments", "thread_ts", "metadata") if k in call.params}


def _post(fake: FakeSlack, call: Call) -> dict[str, Any]:
    if not call.params.get("channel"):
        return {"ok": False, "error": "channel_not_found"}
    ts = fake.next_ts()
    return {
        "ok": True,
        "channel": call.params["channel"],
        "ts": ts,
        "message": _message(call, ts, str(call.params.get("text") or "")),
    }


def _update(fake: FakeSlack, call: Call) -> dict[str, Any]:
    ts, text = str(call.params.get("ts") or ""), str(call.params.get("text") or "")
    return {
        "ok": True,
        "channel": call.params.get("channel"),
        "ts": ts,
        "text": text,
        "message": _message(call, ts, text),
    }


def _view(fake: FakeSlack, call: Call) -> dict[str, Any]:
    view = call.params.get("view") if isinstance(call.params.get("view"), dict) else {}
    view_id = call.params.get("view_id") or "V" + fake.next_ts().replace(".", "")
    default_type = "home" if call.method == "views.publish" else "modal"
    return {
        "ok": True,
        "view": {
            "type": default_type,
            **view,
            "id": view_id,
            "team_id": BOT["team_id"],
            "state": {"values": {}},
            "hash": "fake-hash",
            "app_id": "A1",
            "bot_id": BOT["bot_id"],
        },
    }


def _channel(fake: FakeSlack, call: Call) -> dict[str, Any]:
    cid = str(call.params.get("channel") or "C1")
    return {
        "ok": True,
        "channel": {
            "id": cid,
            "name": cid.lower(),
            "is_channel": cid[0] == "C",
            "is_im": cid[0] == "D",
            "is_private": False,
            "is_archived": False,
            "is_member": True,
        },
    }


def _user(fake: FakeSlack, call: Call) -> dict[str, Any]:
    uid = str(call.params.get("user") or "U1")
    name = "localcheck" if uid == BOT["user_id"] else f"user-{uid.lower()}"
    return {
        "ok": True,
        "user": {
            "id": uid,
            "team_id": BOT["team_id"],
            "name": name,
            "real_name": name,
            "is_bot": uid == BOT["user_id"],
            "deleted": False,
            "tz": "Etc/UTC",
            "tz_offset": 0,
            "profile": {"real_name": name, "display_name": name},
        },
    }


def _stream_call(fake: FakeSlack, call: Call) -> dict[str, Any]:
    """chat.startStream opens a message (a new ts); appendStream and stopStream add to it."""
    ts = fake.next_ts() if call.method == "chat.startStream" else str(call.params.get("ts") or "")
    text = fake._stream(call, ts)
    answer: dict[str, Any] = {"ok": True, "channel": call.params.get("channel"), "ts": ts}
    if call.method == "chat.stopStream":
        answer["message"] = _message(call, ts, text) | {"streaming_state": "completed"}
    return answer


def _upload_url(fake: FakeSlack, call: Call) -> dict[str, Any]:
    if not call.params.get("filename") or not str(call.params.get("length") or "").isdigit():
        return {"ok": False, "error": "invalid_arguments"}
    file_id = "F" + fake.next_ts().replace(".", "")
    return {"ok": True, "upload_url": f"{fake.url}{UPLOAD_PATH}{file_id}", "file_id": file_id}


def _complete_upload(fake: FakeSlack, call: Call) -> dict[str, Any]:
    files = call.params.get("files")
    if not isinstance(files, list) or not files or any(f.get("id") not in fake.uploaded for f in files):
        return {"ok": False, "error": "file_not_found"}
    return {"ok": True, "files": [{"id": f["id"], "title": f.get("title"), "mimetype": "image/png"} for f in files]}


def _auth_test(fake: FakeSlack, call: Call) -> dict[str, Any]:
    return {"ok": True, "url": "https://test.slack.com/", "user": "localcheck", "is_enterprise_install": False} | (
        fake.identity(call.token)
    )


def _oauth_access(fake: FakeSlack, call: Call) -> dict[str, Any]:
    """Slack's answer to a bot-only install: https://docs.slack.dev/reference/methods/oauth.v2.access"""
    if (call.params.get("client_id"), call.params.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
        return {"ok": False, "error": "invalid_client_id"}
    installed = fake._exchange(str(call.params.get("code") or ""))
    if installed is None:
        return {"ok": False, "error": "invalid_code"}
    return {
        "ok": True,
        "access_token": installed["token"],
        "token_type": "bot",
        "scope": "app_mentions:read,chat:write,commands",
        "bot_user_id": installed["user_id"],
        "app_id": "A1",
        "team": {"id": installed["team_id"], "name": installed["team"]},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": "UINSTALLER"},
    }


_DEFAULTS: dict[str, Handler] = {
    "auth.test": _auth_test,
    "oauth.v2.access": _oauth_access,
    "chat.postMessage": _post,
    "chat.update": _update,
    "chat.postEphemeral": lambda fake, call: {"ok": True, "message_ts": fake.next_ts()},
    "views.open": _view,
    "views.publish": _view,
    "views.update": _view,
    **dict.fromkeys(
        (
            "reactions.add",
            "assistant.threads.setStatus",
            "assistant.threads.setSuggestedPrompts",
            "assistant.threads.setTitle",
        ),
        lambda fake, call: {"ok": True},
    ),
    "conversations.info": _channel,
    "users.info": _user,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
    "conversations.members": lambda fake, call: {
        "ok": True,
        "members": [BOT["user_id"], "U1"],
        "response_metadata": {"next_cursor": ""},
    },
    **dict.fromkeys(("chat.startStream", "chat.appendStream", "chat.stopStream"), _stream_call),
}


@pytest.fixture
def fake_slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """A running FakeSlack, with the bot's SLACK_API_URL and SLACK_BOT_TOKEN pointing at it.

    Every test can ask for it: tests/conftest.py loads this module as a plugin.
    """
    keep_traffic_local(monkeypatch)
    with FakeSlack() as fake:
        monkeypatch.setenv("SLACK_API_URL", fake.url + "/api/")
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        yield fake
