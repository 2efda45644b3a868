"""`localcheck doctor` against fakes of Ollama and Slack on 127.0.0.1: each check, each fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CliRun
from tests.fakes.ollama import FakeOllama
from tests.fakes.slack_api import FakeSlack


def doctor(cli: CliRun, **env: str) -> tuple[int, str]:
    result = cli("doctor", env=env)
    return result.exit_code, result.output


def line(output: str, name: str) -> str:
    lines = output.splitlines()
    index = next(i for i, text in enumerate(lines) if text.startswith(name))
    return "\n".join(lines[index : index + 2])


def test_all_well(cli: CliRun, fake_ollama: FakeOllama) -> None:
    with FakeSlack() as slack:
        code, output = doctor(
            cli, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", SLACK_API_URL=slack.url + "/api/"
        )
    assert code == 0, output
    assert "ok" in line(output, "knowledge base") and "ok" in line(output, "decision log")
    assert "llama3.1:8b available" in line(output, "model")
    assert "bot token valid as localcheck in Test; HTTP mode" in line(output, "slack")
    assert [call.method for call in slack.calls] == ["auth.test"]


def test_a_model_that_is_not_pulled(cli: CliRun, fake_ollama: FakeOllama) -> None:
    fake_ollama.models = ["qwen2.5:7b"]
    code, output = doctor(cli)
    assert code == 1 and "fix: run `ollama pull llama3.1:8b`" in line(output, "model")


def test_no_ollama(cli: CliRun) -> None:
    code, output = doctor(cli)  # OLLAMA_HOST points at a closed port in tests
    assert code == 1 and "fix: start Ollama" in line(output, "model")
    assert "not configured" in line(output, "slack")


def test_an_invalid_slack_token(cli: CliRun, fake_ollama: FakeOllama) -> None:
    with FakeSlack() as slack:
        code, output = doctor(
            cli, SLACK_BOT_TOKEN="xoxb-revoked", SLACK_APP_TOKEN="xapp-1", SLACK_API_URL=slack.url + "/api/"
        )
    assert code == 1 and "invalid_auth" in line(output, "slack") and "SLACK_BOT_TOKEN" in line(output, "slack")


def test_a_broken_knowledge_base(cli: CliRun, fake_ollama: FakeOllama, knowledge_copy: Path) -> None:
    (knowledge_copy / "models.yaml").write_text("- id: [broken\n")
    code, output = doctor(cli, LOCALCHECK_KNOWLEDGE_DIR=str(knowledge_copy))
    assert code == 1 and "models.yaml" in line(output, "knowledge base")


def test_a_log_that_cannot_be_written(cli: CliRun, fake_ollama: FakeOllama, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, output = doctor(cli, LOCALCHECK_DB=str(blocker / "decisions.db"))
    assert code == 1 and "fix: set LOCALCHECK_DB" in line(output, "decision log")


@pytest.mark.parametrize(
    ("env", "mode", "fix"),
    [
        # deploy/GUIDE.md's .env for HTTP mode leaves SLACK_APP_TOKEN empty: that is HTTP mode.
        ({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": ""}, "HTTP mode", "set SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": ""}, "HTTP mode", "set SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xoxb-pasted"}, "Socket Mode", "set SLACK_APP_TOKEN"),
        ({"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": ""}, "Socket Mode", "set SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "s"}, "HTTP mode", "set SLACK_BOT_TOKEN"),
    ],
)
def test_slack_says_what_the_mode_it_would_run_in_needs(
    cli: CliRun, fake_ollama: FakeOllama, env: dict[str, str], mode: str, fix: str
) -> None:
    with FakeSlack() as slack:
        code, output = doctor(cli, SLACK_API_URL=slack.url + "/api/", **env)
    found = line(output, "slack")
    assert code == 1 and "FAILED" in found and f"{mode} (SLACK_APP_TOKEN is" in found and f"fix: {fix}" in found
    other = "SLACK_APP_TOKEN" if mode == "HTTP mode" else "SLACK_SIGNING_SECRET"
    assert other not in found.split("fix:")[1].split("(or")[0], "the fix is for this mode; the other is an aside"
