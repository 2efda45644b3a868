"""Every way the model can fail, on both backends: the reader gets the template on time, told why.

One table, one body: each row is a fake that fails one way (or nothing listening at all), and the
reason the answer gives is the one a person could act on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bot.assessment import Assessment
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings
from bot.write import TEMPLATE, Delta, Done, Reset, checked_template, write_events
from tests.conftest import _closed_port
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai_compatible import FakeOpenAI
from tests.write.test_writer import QUESTION, good_answer

TIMEOUT_S = 1.5  # a server that fails at once is never taken for a slow one on a busy machine
NOT_SERVED = {
    "ollama": "model llama3.1:8b is not available: run `ollama pull llama3.1:8b`",
    "openai": "model local-model is not available: check LOCALCHECK_OPENAI_MODEL",
}
SLOW = f"no answer within {TIMEOUT_S:g} s"

# (how the server fails, the knobs of its fake or None for nothing listening, the reason by backend)
FAILURES: list[tuple[str, dict[str, Any] | None, dict[str, str]]] = [
    ("silent before answering", {"delay_s": 10}, {"ollama": SLOW, "openai": SLOW}),
    ("a chunk every 0.5 s", {"chunk_delay_s": 0.5}, {"ollama": SLOW, "openai": SLOW}),
    ("blocking between chunks", {"chunk_delay_s": 1.2}, {"ollama": SLOW, "openai": SLOW}),
    ("trickling bytes", {"byte_delay_s": 0.03}, {"ollama": SLOW, "openai": SLOW}),
    ("model not served", {"models": ["some-other-model"]}, NOT_SERVED),
    ("server error", {"fail_with": 500}, {"ollama": "fake failure (500)", "openai": "fake failure (500)"}),
    ("nothing listening", None, {"ollama": "no model server answered at", "openai": "no model server answered at"}),
]


@contextmanager
def failing_server(backend: str, knobs: dict[str, Any] | None, reply: str) -> Iterator[Settings]:
    """Settings pointing `backend` at a fake that fails as `knobs` say, or at a port nothing listens on."""
    fake_class = FakeOllama if backend == "ollama" else FakeOpenAI
    if knobs is None:
        url = f"http://127.0.0.1:{_closed_port()}"
        yield settings_for(backend, url)
        return
    with fake_class(replies=[reply], **knobs) as fake:
        yield settings_for(backend, fake.url)


def settings_for(backend: str, url: str) -> Settings:
    if backend == "ollama":
        return Settings(ollama_host=url, llm_timeout_s=TIMEOUT_S)
    return Settings(llm="openai", openai_base_url=url + "/v1", openai_model="local-model", llm_timeout_s=TIMEOUT_S)


@pytest.fixture(scope="module")
def assessment(kb: KnowledgeBase) -> Assessment:
    return assess(parse(QUESTION, kb).workload, kb)


@pytest.mark.parametrize("backend", ["ollama", "openai"])
@pytest.mark.parametrize(("failure", "knobs", "reasons"), FAILURES, ids=[row[0] for row in FAILURES])
def test_a_failing_model_gives_the_template_on_time_and_says_why(
    assessment: Assessment,
    kb: KnowledgeBase,
    backend: str,
    failure: str,
    knobs: dict[str, Any] | None,
    reasons: dict[str, str],
) -> None:
    with failing_server(backend, knobs, good_answer(assessment)) as settings:
        started = time.perf_counter()
        seen = list(write_events(assessment, kb, settings))
        took = time.perf_counter() - started
    assert took < TIMEOUT_S * 2 + 1, f"{failure}: the deadline did not hold ({took:.1f} s)"
    done = seen[-1]
    assert isinstance(done, Done) and done.written.writer == TEMPLATE
    writer = f"ollama:{settings.model}" if backend == "ollama" else "openai:local-model"
    reason = done.written.fallback_reason or ""
    assert reason.startswith(f"{writer} unavailable: ") and reasons[backend] in reason, reason
    assert done.written.text == checked_template(assessment, kb)
    # Whatever the model got out before failing is withdrawn, and the template replaces it.
    *before, template = [e for e in seen[:-1] if isinstance(e, Delta)]
    assert template.text == done.written.text
    assert sum(isinstance(e, Reset) for e in seen) == (1 if before else 0)
