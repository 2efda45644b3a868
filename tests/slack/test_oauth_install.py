"""Installing in many workspaces through OAuth, through the real HTTP app and a fake Slack on 127.0.0.1.

A browser asks /slack/install for Slack's authorize link, Slack sends it back to /slack/oauth_redirect
with a code, the app trades the code with the fake's oauth.v2.access, and from then on that
workspace's signed events are answered with its own bot token.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.slack.app import SetupError, build_app
from bot.slack.installations import LogInstallationStore
from bot.slack.oauth import BOT_SCOPES
from bot.slack.services import Services
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.slack.harness import QUESTION, Bot, Reply, send, start_bot, wait_until

COOKIE = "slack-app-oauth-state"


@pytest.fixture
def oauth_bot(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    running = start_bot(
        kb,
        slack,
        tmp_path / "decisions.db",
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    )
    yield running
    running.finish()


def browse(bot: Bot, path: str, cookie: str | None = None) -> Reply:
    return send(bot.url + path, b"", {"Cookie": cookie} if cookie else {}, method="GET")


def start_install(bot: Bot) -> tuple[str, str]:
    """Open /slack/install as a browser: Slack's authorize link, and the cookie it was handed."""
    page = browse(bot, "/slack/install")
    assert page.status == 200
    link = html.unescape(re.search(r'<a href="([^"]+)"', page.body).group(1))  # type: ignore[union-attr]
    cookie = page.headers["set-cookie"].split(";")[0]
    return link, cookie


def finish_install(bot: Bot, state: str, code: str, cookie: str | None) -> Reply:
    return browse(bot, "/slack/oauth_redirect?" + urlencode({"code": code, "state": state}), cookie)


def install(bot: Bot, slack: FakeSlack, team: str) -> str:
    """Install in `team` the way a person does; returns the bot token Slack gave that workspace."""
    link, cookie = start_install(bot)
    state = parse_qs(urlsplit(link).query)["state"][0]
    done = finish_install(bot, state, slack.install_code(team, f"Workspace {team}"), cookie)
    assert done.status == 200, done.body
    bot_row = LogInstallationStore(bot.log).find_bot(enterprise_id=None, team_id=team)
    assert bot_row is not None
    return bot_row.bot_token


def cards_in(slack: FakeSlack, channel: str) -> list[str | None]:
    """The token of each answer card posted in `channel`."""
    return [c.token for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def test_the_install_page_links_to_slacks_authorize_page_with_a_state(oauth_bot: Bot, slack: FakeSlack) -> None:
    link, cookie = start_install(oauth_bot)
    url = urlsplit(link)
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == slack.url + "/oauth/v2/authorize"  # beside SLACK_API_URL
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(BOT_SCOPES)
    assert cookie == f"{COOKIE}={query['state'][0]}"  # the state is bound to this browser
    assert start_install(oauth_bot)[1] != cookie  # a new state for every visit


def test_an_installed_workspace_is_answered_with_its_own_token(oauth_bot: Bot, slack: FakeSlack) -> None:
    token = install(oauth_bot, slack, "T1")
    (exchange,) = slack.calls_to("oauth.v2.access")
    assert exchange.params["client_id"] == CLIENT_ID and exchange.params["code"].startswith("code-T1-")
    assert token.startswith("xoxb-T1-")

    oauth_bot.mention(QUESTION, channel="C1", team="T1")
    slack.wait_for("chat.stopStream")
    assert cards_in(slack, "C1") and set(cards_in(slack, "C1")) == {token}
    calls_after_install = slack.calls[slack.calls.index(exchange) + 2 :]  # after oauth.v2.access and its auth.test
    assert {c.token for c in calls_after_install} == {token}, "a call of that workspace went out with another token"
    assert wait_until(lambda: oauth_bot.log.list(team="T1"))


def test_each_workspace_is_answered_with_its_own_token(oauth_bot: Bot, slack: FakeSlack) -> None:
    first, second = install(oauth_bot, slack, "T1"), install(oauth_bot, slack, "T2")
    assert first != second
    oauth_bot.mention(QUESTION, channel="C2", team="T2")
    slack.wait_for("chat.stopStream")
    oauth_bot.mention("we have 3 SREs and 10k requests a day on llama3.1:8b", channel="C1", team="T1")
    slack.wait_for("chat.stopStream", count=2)
    assert set(cards_in(slack, "C1")) == {first}
    assert set(cards_in(slack, "C2")) == {second}
    assert {d.slack_channel for d in oauth_bot.log.list(team="T2")} == {"C2"}

    # A reinstall replaces the workspace's token: later answers use the new one.
    renewed = install(oauth_bot, slack, "T2")
    oauth_bot.mention(QUESTION, channel="C3", team="T2")
    slack.wait_for("chat.stopStream", count=3)
    assert set(cards_in(slack, "C3")) == {renewed} and renewed != second


@pytest.mark.parametrize(
    "revocation",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["UBOTT2"]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
def test_a_workspace_that_uninstalls_is_forgotten(
    oauth_bot: Bot, slack: FakeSlack, revocation: dict[str, object]
) -> None:
    kept = install(oauth_bot, slack, "T1")
    install(oauth_bot, slack, "T2")
    store = LogInstallationStore(oauth_bot.log)
    slack.uninstall("T2")
    assert oauth_bot.event({**revocation, "event_ts": f"{time.time():.6f}"}, team="T2").status == 200
    assert wait_until(lambda: store.find_bot(enterprise_id=None, team_id="T2") is None)

    reply, _ = oauth_bot.mention(QUESTION, channel="C2", team="T2")
    assert reply.status == 200
    oauth_bot.mention(QUESTION, channel="C1", team="T1")  # the other workspace still answered
    slack.wait_for("chat.stopStream")
    time.sleep(0.3)  # an answer in T2, were there one, would be under way by now
    assert cards_in(slack, "C2") == []
    assert set(cards_in(slack, "C1")) == {kept}
    assert not oauth_bot.log.list(team="T2")


def test_a_workspace_never_installed_is_not_answered(oauth_bot: Bot, slack: FakeSlack) -> None:
    install(oauth_bot, slack, "T1")
    assert oauth_bot.mention(QUESTION, channel="C9", team="T9")[0].status == 200
    oauth_bot.mention(QUESTION, channel="C1", team="T1")
    slack.wait_for("chat.stopStream")
    assert cards_in(slack, "C9") == []
    assert not oauth_bot.log.list(team="T9")


def test_an_install_that_does_not_hold_stores_nothing(oauth_bot: Bot, slack: FakeSlack) -> None:
    link, cookie = start_install(oauth_bot)
    state = parse_qs(urlsplit(link).query)["state"][0]
    other_state = parse_qs(urlsplit(start_install(oauth_bot)[0]).query)["state"][0]
    refused = [
        finish_install(oauth_bot, state, slack.install_code("T5"), None),  # another browser: no cookie
        finish_install(oauth_bot, other_state, slack.install_code("T5"), cookie),  # a state not this browser's
        finish_install(oauth_bot, "made-up", slack.install_code("T5"), f"{COOKIE}=made-up"),  # never issued
        finish_install(oauth_bot, state, "code-nobody-gave", cookie),  # Slack refuses the code
        finish_install(oauth_bot, state, slack.install_code("T5"), cookie),  # the state was used up just now
        browse(oauth_bot, "/slack/oauth_redirect?error=access_denied&state=" + state, cookie),  # the person said no
    ]
    assert [r.status for r in refused] == [400, 400, 401, 401, 401, 200]
    assert all("Traceback" not in r.body for r in refused)
    assert "code-nobody-gave" in slack.calls_to("oauth.v2.access")[0].params["code"]
    assert len(slack.calls_to("oauth.v2.access")) == 1  # only the one state that held reached Slack
    assert not list(oauth_bot.log.db.query("select * from slack_installations"))


def test_with_one_token_there_is_no_install_page(bot: Bot) -> None:
    assert browse(bot, "/slack/install").status == 404
    assert browse(bot, "/slack/oauth_redirect?code=x&state=y").status == 404


def test_oauth_installs_need_http_mode(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path) -> None:
    settings = Settings(
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_app_token="xapp-1",
        slack_api_url=slack.url + "/api/",
        db=tmp_path / "d.db",
    )
    with pytest.raises(SetupError, match="needs HTTP mode"):
        build_app(Services(settings, kb, DecisionLog(settings.db)), socket_mode=True)


def test_the_scheduled_recheck_posts_with_each_workspaces_own_token(oauth_bot: Bot, slack: FakeSlack) -> None:
    """Outside any request the re-check still speaks for a workspace with its token, and not at all for one
    that uninstalled."""
    from bot.slack.oauth import workspace_clients

    assert oauth_bot.services is not None and oauth_bot.app is not None
    kept, gone = install(oauth_bot, slack, "T1"), install(oauth_bot, slack, "T2")
    clients = workspace_clients(oauth_bot.services, oauth_bot.app)
    assert clients("T1").token == kept and clients("T2").token == gone  # type: ignore[union-attr]
    assert clients("T9") is None and clients(None) is None

    slack.uninstall("T2")
    oauth_bot.event({"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"}, team="T2")
    assert wait_until(lambda: clients("T2") is None)
    assert clients("T1").token == kept  # type: ignore[union-attr]


def test_the_rechecks_client_for_a_workspace_rides_out_rate_limits(oauth_bot: Bot, slack: FakeSlack) -> None:
    """Slack limits the re-check's posts as it limits the app's: the workspace's client waits and tries again,
    twice here, as the app's own client would."""
    from bot.slack.oauth import workspace_clients

    assert oauth_bot.services is not None and oauth_bot.app is not None
    install(oauth_bot, slack, "T1")
    client = workspace_clients(oauth_bot.services, oauth_bot.app)("T1")
    assert client is not None
    before = len(slack.calls_to("chat.postMessage"))
    slack.rate_limit("chat.postMessage", times=2, retry_after=0)
    assert client.chat_postMessage(channel="C1", text="What moved since")["ok"] is True
    assert len(slack.calls_to("chat.postMessage")) == before + 3


def test_serve_and_doctor_take_oauth_without_a_bot_token(tmp_path: Path) -> None:
    from bot.doctor import slack_check
    from bot.slack.modes import setup_problem

    settings = Settings(
        slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET, slack_signing_secret="s", db=tmp_path / "d.db"
    )
    assert setup_problem(settings, "http") is None  # each workspace brings its token when it installs
    check = slack_check(settings)
    assert check.state == "ok" and "0 workspace(s) installed" in check.detail and "/slack/install" in (check.fix or "")
    unsigned = Settings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET, db=tmp_path / "d.db")
    assert "SLACK_SIGNING_SECRET" in (setup_problem(unsigned, "http") or "")
    assert "--http" in (setup_problem(settings, "socket") or "")
