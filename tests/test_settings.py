"""One settings object, from the environment and `.env`, documented where users look."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.settings import env_example
from bot.settings import Settings, environment_name
from tests.conftest import REPO, CliRun


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OLLAMA_HOST")
    settings = Settings()
    assert settings.model == "llama3.1:8b"
    assert settings.ollama_host == "http://127.0.0.1:11434"
    assert settings.slack_bot_token is None
    assert settings.db.name == "decisions.db"
    assert (settings.knowledge_dir / "arguments.yaml").is_file()


def test_our_settings_use_the_prefix_and_the_ecosystems_keep_their_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALCHECK_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("OLLAMA_HOST", "0.0.0.0:11500")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    settings = Settings()
    assert settings.model == "qwen2.5:7b"
    assert settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value() == "xoxb-test"
    assert settings.ollama_host == "http://0.0.0.0:11500", "Ollama accepts a host without a scheme; so do we"
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"


def test_a_dot_env_file_in_the_working_directory_is_read() -> None:
    Path(".env").write_text("LOCALCHECK_MODEL=gemma3:4b\nSLACK_SIGNING_SECRET=shh\n")
    settings = Settings()
    assert settings.model == "gemma3:4b"
    assert settings.slack_signing_secret is not None and settings.slack_signing_secret.get_secret_value() == "shh"


def test_the_environment_wins_over_dot_env(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("LOCALCHECK_MODEL=gemma3:4b\n")
    monkeypatch.setenv("LOCALCHECK_MODEL", "phi4")
    assert Settings().model == "phi4"


def test_dot_env_example_lists_every_setting_with_its_default() -> None:
    assert (REPO / ".env.example").read_text() == env_example(), "regenerate: localcheck settings --env-example"
    for name in Settings.model_fields:
        assert environment_name(name) in env_example()


def test_the_readme_settings_table_lists_every_variable_with_its_default() -> None:
    readme = (REPO / "README.md").read_text()
    for name, info in Settings.model_fields.items():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{environment_name(name)}`")), None)
        assert row, f"README settings table lacks {environment_name(name)}"
        default = info.get_default() if not info.default_factory else None
        if default:
            assert f"`{default}`" in row, f"README gives another default for {environment_name(name)}"


def test_settings_command_hides_secrets(cli: CliRun) -> None:
    result = cli("settings", env={"SLACK_BOT_TOKEN": "xoxb-very-secret", "LOCALCHECK_MODEL": "phi4"})
    assert result.exit_code == 0
    assert "xoxb-very-secret" not in result.output
    assert re.search(r"SLACK_BOT_TOKEN\s+\(set, hidden\)", result.output)
    assert re.search(r"LOCALCHECK_MODEL\s+phi4", result.output)
