"""The local model, wherever it runs: Ollama, or any OpenAI-compatible server.

Shared by the parser's assisted reading and the writer; imported only when a
model is used, so rules-only answers never load langchain.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from bot.settings import Settings, hide_credentials


class TooSlow(TimeoutError):
    """The model did not finish within the time allowed."""


def writer_name(settings: Settings) -> str:
    return f"openai:{settings.openai_model}" if settings.llm == "openai" else f"ollama:{settings.model}"


def chat_model(settings: Settings, *, temperature: float = 0.2) -> Any:
    """The langchain chat model the settings name."""
    if settings.llm == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
        return ChatOpenAI(
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            api_key=key,
            temperature=temperature,
            timeout=settings.llm_timeout_s,
            max_retries=0,
        )
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.model,
        base_url=settings.ollama_host,
        temperature=temperature,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )


def stream_reply(model: Any, messages: list[Any], deadline: float) -> Iterator[str]:
    """The reply's text as it arrives; raises TooSlow past `deadline` (a time.monotonic() value).

    The client's own timeout bounds each wait for bytes; the deadline bounds a
    model that keeps sending, slowly, for too long.
    """
    for chunk in model.stream(messages):
        if time.monotonic() > deadline:
            raise TooSlow
        text = chunk.content if isinstance(chunk.content, str) else ""
        if text:
            yield text


def why_unavailable(error: BaseException, settings: Settings) -> str:
    """A model failure in words, with the fix where there is one; never a secret."""
    text = str(error)
    name = type(error).__name__
    model = settings.openai_model if settings.llm == "openai" else settings.model
    if "not found" in text.lower() or "does not exist" in text or "NotFound" in name or "model_not_found" in text:
        fix = f"run `ollama pull {model}`" if settings.llm == "ollama" else "check LOCALCHECK_OPENAI_MODEL"
        return f"model {model} is not available: {fix}"
    if "Connect" in name or isinstance(error, ConnectionError):
        where = settings.openai_base_url if settings.llm == "openai" else settings.ollama_host
        return f"no model server answered at {hide_credentials(where)}"
    if "Timeout" in name or isinstance(error, TimeoutError):
        return f"no answer within {settings.llm_timeout_s:g} s"
    return f"{name}: {settings.redact(text)[:160]}"
