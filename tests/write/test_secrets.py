"""Secrets are never printed, logged or stored: keys a server echoes, tokens, credentials inside URLs."""

from __future__ import annotations

import base64
import json
import logging
import sys

import pytest

from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings, redact_logs
from bot.write import TEMPLATE, write
from tests.conftest import CliRun
from tests.fakes.http import keep_traffic_local
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai_compatible import FakeOpenAI
from tests.fakes.slack_api import FakeSlack

QUESTION = "we push about 2M tokens a day through gpt-4o-mini for support tickets; the tickets contain customer PII"
KEYS = ["sk-live-4f9a8b7c6d5e4f3a2b1c", "correct-horse-battery-staple"]
"""One key shaped like an API key, one that is not: both are hidden."""
SLACK_SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-secretbot",
    "SLACK_APP_TOKEN": "xapp-1-A111-secretapp",
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
}


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("failure", [{"fail_with": 500}, {"api_key": "the-right-one"}], ids=["500", "401"])
def test_a_key_the_server_echoes_stays_out_of_the_fallback_reason(
    key: str, failure: dict[str, object], kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_traffic_local(monkeypatch)
    with FakeOpenAI(echo_key=True, **failure) as fake:  # type: ignore[arg-type]
        settings = Settings(llm="openai", openai_base_url=fake.url + "/v1", openai_api_key=key, llm_timeout_s=5)
        written = write(assess(parse(QUESTION, kb).workload, kb), kb, settings)
    assert fake.chat_requests(), "the server was asked, and echoed the key in its error"
    assert written.writer == TEMPLATE and written.fallback_reason
    assert key not in written.fallback_reason and key[:12] not in written.fallback_reason
    assert "***" in written.fallback_reason


@pytest.mark.parametrize("key", KEYS)
def test_ask_prints_logs_and_stores_no_key(key: str, cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_traffic_local(monkeypatch)
    with FakeOpenAI(echo_key=True, fail_with=500) as fake:
        env = {"LOCALCHECK_LLM": "openai", "LOCALCHECK_OPENAI_BASE_URL": fake.url + "/v1"}
        env |= {"LOCALCHECK_OPENAI_API_KEY": key, **SLACK_SECRETS}
        answer = cli("ask", "an internal tool on gpt-4o-mini", "--json", env=env)
        shown = cli("decisions", "show", json.loads(answer.output)["decision_id"], "--json", env=env)
    assert len(fake.chat_requests()) >= 2, "both the reading and the writing failed with the key echoed"
    assert "fake failure" in json.loads(shown.output)["fallback_reason"], "the log keeps the reason, not the key"
    for output in (answer.output, shown.output):
        assert key not in output and "fake failure" in output
        assert not any(secret in output for secret in SLACK_SECRETS.values())


def test_every_configured_secret_and_token_shape_is_redacted() -> None:
    settings = Settings(openai_api_key=KEYS[1], **{name.lower(): value for name, value in SLACK_SECRETS.items()})
    text = (
        f"boom: {KEYS[1]} {' '.join(SLACK_SECRETS.values())} sk-proj-abc123def456 xoxp-99-88-77 "
        "Authorization: Bearer eyJhbGciOi.payload.sig https://bob:pa55word@proxy:8080/v1?api_key=zzz&x=1"
    )
    redacted = settings.redact(text)
    for secret in [KEYS[1], *SLACK_SECRETS.values(), "sk-proj-abc123def456", "xoxp-99-88-77", "eyJhbGciOi", "pa55word"]:
        assert secret not in redacted
    assert "zzz" not in redacted and "x=1" in redacted and "proxy:8080" in redacted


def test_log_lines_hide_secrets_in_messages_arguments_and_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(**{name.lower(): value for name, value in SLACK_SECRETS.items()})
    handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redact_logs(settings)
        logger = logging.getLogger("localcheck.test")
        logger.warning("token %s and url %s", SLACK_SECRETS["SLACK_BOT_TOKEN"], "http://u:hunter22@h/")
        try:
            raise RuntimeError(f"slack said no to {SLACK_SECRETS['SLACK_APP_TOKEN']}")
        except RuntimeError:
            logger.exception("a listener failed")
    finally:
        root.removeHandler(handler)
    logged = capsys.readouterr().err
    assert "a listener failed" in logged and "RuntimeError" in logged
    assert not any(secret in logged for secret in [*SLACK_SECRETS.values(), "hunter22"])


URL_SETTINGS = {
    "OLLAMA_HOST": "http://ops:hunter2-ollama@127.0.0.1:{port}",
    "LOCALCHECK_OPENAI_BASE_URL": "https://ops:hunter2-openai@127.0.0.1:{port}/v1",
    "SLACK_API_URL": "https://xoxb-in-the-user@127.0.0.1:{port}/api/",
}


def test_settings_hides_credentials_inside_urls(cli: CliRun) -> None:
    output = cli("settings", env={name: url.format(port=1) for name, url in URL_SETTINGS.items()}).output
    assert "hunter2" not in output and "xoxb-in-the-user" not in output
    assert "http://***@127.0.0.1:1" in output and "https://***@127.0.0.1:1/api/" in output


def test_doctor_sends_url_credentials_as_a_header_and_never_prints_them(cli: CliRun, fake_ollama: FakeOllama) -> None:
    port = fake_ollama.url.rsplit(":", 1)[1]
    with FakeSlack() as slack:
        env = {name: url.format(port=port) for name, url in URL_SETTINGS.items()}
        env["SLACK_API_URL"] = slack.url.replace("://", "://bob:hunter2-slack@") + "/api/"
        result = cli("doctor", env={**env, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s" * 32})
    assert "llama3.1:8b available at http://***@127.0.0.1" in result.output
    assert "SLACK_API_URL" in result.output, "slack_sdk takes no credentials in its URL; doctor says which setting"
    assert "hunter2" not in result.output and "xoxb-test" not in result.output
    basic = base64.b64encode(b"ops:hunter2-ollama").decode()
    assert fake_ollama.requests[0].headers["authorization"] == f"Basic {basic}"


def test_an_unreachable_server_is_named_without_its_credentials(cli: CliRun) -> None:
    env = {"OLLAMA_HOST": URL_SETTINGS["OLLAMA_HOST"].format(port=1)}
    answer = json.loads(cli("ask", QUESTION, "--json", env=env).output)
    assert "no model server answered at http://***@127.0.0.1:1" in answer["fallback_reason"]
    assert "hunter2" not in json.dumps(answer)
    output = cli("doctor", env=env).output
    assert "nothing answered at http://***@127.0.0.1:1" in output and "hunter2" not in output
