"""The one settings object, read from the environment and `.env`.

Our own settings are `LOCALCHECK_*`; the rest keep the names their ecosystems
use (`SLACK_BOT_TOKEN`, `OLLAMA_HOST`, ...) so existing deployments just work.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.resources import data_dir

HIDDEN = "***"
MIN_SECRET_CHARS = 5
TOKEN_SHAPED = re.compile(
    r"\b(?:sk|xox[a-z]|xapp|xoxe\.xox[a-z])-[\w*.-]{4,}|\bBearer\s+[\w*.~+/=-]{4,}", re.IGNORECASE
)
"""API keys (sk-...), Slack tokens (xoxb-, xoxp-, xapp-...) and bearer credentials, however they got into a text."""
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/\s@]+@")
_SECRET_QUERY = re.compile(
    r"(?<=[?&])((?:api[_-]?)?(?:key|token|secret|password|auth)[^=&#\s]*)=[^&#\s]+", re.IGNORECASE
)


def _default_db() -> Path:
    return Path(user_data_dir("localcheck", appauthor=False)) / "decisions.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOCALCHECK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        # `SLACK_APP_TOKEN=` left empty in .env (as deploy/GUIDE.md's template has it) means unset, not ''.
        env_ignore_empty=True,
    )

    model: str = Field("llama3.1:8b", description="Ollama model that reads questions and writes the recommendation.")
    llm_timeout_s: float = Field(
        20.0,
        gt=0,
        le=600,
        validation_alias=AliasChoices("LOCALCHECK_LLM_TIMEOUT", "llm_timeout_s"),
        description="Seconds each model call (reading, writing) may take in all before answering without it.",
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
    answer_workers: int = Field(
        8,
        ge=1,
        le=64,
        description="Answers written at once in Slack; more wait in the queue (each may hold a model call).",
    )
    answer_queue: int = Field(
        1000,
        ge=1,
        le=100_000,
        description="Answers that may wait for a worker in Slack; past that a question gets 'busy, try again'.",
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
        description="xapp- token for Socket Mode; when set, `localcheck serve` uses Socket Mode unless given --http.",
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "slack_signing_secret"),
        description="Verifies requests in HTTP mode.",
    )
    recheck_hours: float = Field(
        24.0,
        ge=0,
        le=24 * 365,
        description=(
            "How often `serve` re-checks the logged decisions against today's prices and posts in a decision's "
            "thread when its verdict flips or its costs move past LOCALCHECK_RECHECK_THRESHOLD; 0 turns it off."
        ),
    )
    recheck_threshold: float = Field(
        0.2, gt=0, le=10, description="Cost change that counts as moved when re-checking (0.2 = 20%)."
    )
    refresh_prices: bool = Field(
        False,
        description=(
            "Fetch genai-prices' newest price list (needs the network) before each re-check, instead of pricing "
            "with the snapshot the package ships."
        ),
    )
    prices_url: str | None = Field(
        None,
        description="With LOCALCHECK_REFRESH_PRICES: where to fetch the price list. Default: genai-prices' own.",
    )
    slack_api_url: str = Field(
        "https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_URL", "slack_api_url"),
        description="Base URL of Slack's Web API.",
    )
    slack_client_id: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_CLIENT_ID", "slack_client_id"),
        description="With SLACK_CLIENT_SECRET: install in many workspaces through OAuth (HTTP mode), not one token.",
    )
    slack_client_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_CLIENT_SECRET", "slack_client_secret"),
        description="The app's Client Secret, for OAuth installs.",
    )
    slack_scopes: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_SCOPES", "slack_scopes"),
        description="Comma-separated bot scopes an OAuth install asks for. Default: those the bot uses.",
    )

    def secrets(self) -> list[str]:
        """Every secret the settings hold, to keep out of anything printed, logged or stored."""
        fields = (
            self.openai_api_key,
            self.slack_bot_token,
            self.slack_app_token,
            self.slack_signing_secret,
            self.slack_client_secret,
        )
        secrets = [field.get_secret_value() for field in fields if field is not None]
        for url in (self.ollama_host, self.openai_base_url, self.slack_api_url):
            secrets += url_and_credentials(url)[1] or ()  # a URL's user may be a token too
        # Hiding a shorter string would hide ordinary words with it; no real secret is that short.
        return [secret for secret in secrets if len(secret) >= MIN_SECRET_CHARS]

    def redact(self, text: str) -> str:
        """`text` without our secrets, token-shaped strings, or credentials inside URLs."""
        for secret in sorted(self.secrets(), key=len, reverse=True):
            text = text.replace(secret, HIDDEN)
        return hide_credentials(TOKEN_SHAPED.sub(HIDDEN, text))

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


def hide_credentials(text: str) -> str:
    """URLs in `text` with user, password and key-like query values hidden: https://***@host/."""
    return _SECRET_QUERY.sub(rf"\1={HIDDEN}", _URL_CREDENTIALS.sub(f"{HIDDEN}@", text))


def url_and_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """A URL without its user:password part, and that part, for a client that sends it as a header."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=host)), (unquote(parts.username or ""), unquote(parts.password or ""))


class RedactSecrets(logging.Filter):
    """Hides secrets in every record a handler writes: messages, arguments and tracebacks.

    On a handler (a logger's own filters miss records from its children), so a
    library logging a URL with credentials, or an error echoing a key, is covered too.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.settings.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.settings.redact(record.exc_text)
        return True


def redact_logs(settings: Settings) -> None:
    """Every handler of the root logger hides `settings`' secrets from then on."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets(settings))
