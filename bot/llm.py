"""The local model, wherever it runs: Ollama, or any OpenAI-compatible server.

Shared by the parser's assisted reading and the writer; imported only when a
model is used, so rules-only answers never load langchain.

Every call has a deadline. The model is read in a worker thread that hands
over what arrives through a queue, and the caller waits on the queue with the
time left: a model that blocks between chunks, or trickles bytes that never
make a chunk, is cut off on time all the same.
"""

from __future__ import annotations

import queue
import ssl
import threading
import time
from collections.abc import Callable, Generator
from contextlib import closing
from functools import cache
from typing import Any, TypeVar

from bot.settings import Settings, hide_credentials

T = TypeVar("T")
_END = object()


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
        client_kwargs={"timeout": settings.llm_timeout_s, "verify": _tls_context()},
    )


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context, made once: each model client would otherwise read the CA certificates
    again (twice per model, ~30 ms of CPU), most of an answer's cost when Slack's questions come in bursts."""
    import httpx

    return httpx.create_ssl_context()


def stream_reply(model: Any, messages: list[Any], deadline: float) -> Generator[str, None, None]:
    """The reply's text as it arrives; raises TooSlow at `deadline` (a time.monotonic() value).

    Closing the iterator early (or the deadline passing) tells the worker to
    stop reading and close the connection at its next chunk.
    """
    handover: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue()
    stop = threading.Event()

    def read() -> None:
        try:
            with closing(model.stream(messages)) as chunks:
                for chunk in chunks:
                    if stop.is_set():
                        return
                    handover.put((chunk.content, None))
            handover.put((_END, None))
        except BaseException as error:  # noqa: BLE001 - handed to the caller, who decides
            handover.put((None, error))

    threading.Thread(target=read, name="model-stream", daemon=True).start()
    try:
        while (content := _take(handover, deadline)) is not _END:
            if isinstance(content, str) and content:
                yield content
    finally:
        stop.set()


def call_before(deadline: float, call: Callable[[], T]) -> T:
    """`call()` run in a worker thread; raises TooSlow if it has not returned by `deadline`.

    The worker is a daemon: one the model keeps busy past the deadline never
    holds up the caller, nor the process's exit.
    """
    handover: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue()

    def run() -> None:
        try:
            handover.put((call(), None))
        except BaseException as error:  # noqa: BLE001 - handed to the caller, who decides
            handover.put((None, error))

    threading.Thread(target=run, name="model-call", daemon=True).start()
    result: T = _take(handover, deadline)
    return result


def _take(handover: queue.Queue[tuple[Any, BaseException | None]], deadline: float) -> Any:
    try:
        value, error = handover.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        raise TooSlow from None
    if error is not None:
        raise error
    return value


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
