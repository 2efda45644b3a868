"""The one settings object, read from the environment and `.env`.

Our own settings are `LOCALCHECK_*`; the rest keep the names their ecosystems
use (`SLACK_BOT_TOKEN`, `OLLAMA_HOST`, ...) so existing deployments just work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.resources import data_dir


def _default_db() -> Path:
    return Path(user_data_dir("localcheck", appauthor=False)) / "decisions.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOCALCHECK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    model: str = Field("llama3.1:8b", description="Ollama model that reads questions and writes the recommendation.")
    llm_timeout_s: float = Field(
        20.0,
        gt=0,
        le=600,
        validation_alias=AliasChoices("LOCALCHECK_LLM_TIMEOUT", "llm_timeout_s"),
        description="Seconds to wait for the model before answering without it.",
    )
    db: Path = Field(
        default_factory=_default_db,
        description=(
            "SQLite file of the decision log. Default: decisions.db in the user data folder "
            "(~/.local/share/localcheck on Linux, ~/Library/Application Support/localcheck on macOS)."
        ),
    )
    db_timeout_s: float = Field(
        10.0,
        gt=0,
        le=600,
        validation_alias=AliasChoices("LOCALCHECK_DB_TIMEOUT", "db_timeout_s"),
        description=(
            "Seconds a write waits while another process holds the decision log; after that the change is kept "
            "in the spool beside the log and written on its next open."
        ),
    )
    llm: Literal["ollama", "openai"] = Field(
        "ollama",
        description="Which server runs the model: Ollama, or any OpenAI-compatible one (vLLM, llama.cpp, LM Studio).",
    )
    openai_base_url: str = Field(
        "http://127.0.0.1:8000/v1", description="With LOCALCHECK_LLM=openai: the server's base URL, ending in /v1."
    )
    openai_model: str = Field("local-model", description="With LOCALCHECK_LLM=openai: the model name it serves.")
    openai_api_key: SecretStr | None = Field(
        None, description="With LOCALCHECK_LLM=openai: an API key, if it needs one."
    )
    redact_questions: bool = Field(
        False, description="Store questions with free text dropped: only the words facts were read from."
    )
    knowledge_dir: Path = Field(
        default_factory=lambda: data_dir("knowledge"),
        description="Folder of the knowledge base. Default: the one shipped with the package.",
    )
    ollama_host: str = Field(
        "http://127.0.0.1:11434",
        validation_alias=AliasChoices("OLLAMA_HOST", "ollama_host"),
        description="Where Ollama listens; Ollama's own variable.",
    )
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "slack_bot_token"), description="xoxb- bot token."
    )
    slack_app_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_APP_TOKEN", "slack_app_token"),
        description="xapp- token; when set, the bot uses Socket Mode.",
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "slack_signing_secret"),
        description="Verifies requests in HTTP mode.",
    )
    slack_api_url: str = Field(
        "https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_URL", "slack_api_url"),
        description="Base URL of Slack's Web API.",
    )

    @field_validator("ollama_host")
    @classmethod
    def _ollama_url(cls, value: str) -> str:
        # Ollama itself accepts OLLAMA_HOST=0.0.0.0:11434 without a scheme.
        value = value.strip().rstrip("/")
        return value if "://" in value else f"http://{value}"

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins method names onto the base URL, which needs the slash.
        return value if value.endswith("/") else value + "/"


def environment_name(field_name: str) -> str:
    """The variable a setting is read from, as the README and `.env.example` list it."""
    info = Settings.model_fields[field_name]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"LOCALCHECK_{field_name.upper()}"
