"""The second backend: any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio), faked on 127.0.0.1.

How it fails is in test_model_failures.py, beside Ollama's."""

from __future__ import annotations

from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings
from bot.write import Delta, Done, write_events
from tests.fakes.openai_compatible import FakeOpenAI
from tests.write.test_writer import QUESTION, good_answer


def openai_settings(fake: FakeOpenAI, timeout: float = 5) -> Settings:
    return Settings(llm="openai", openai_base_url=fake.url + "/v1", openai_model="local-model", llm_timeout_s=timeout)


def test_a_good_answer_streams_from_an_openai_compatible_server(kb: KnowledgeBase) -> None:
    a = assess(parse(QUESTION, kb).workload, kb)
    with FakeOpenAI(replies=[good_answer(a)]) as fake:
        seen = list(write_events(a, kb, openai_settings(fake)))
    assert sum(isinstance(e, Delta) for e in seen) > 5
    done = seen[-1]
    assert (
        isinstance(done, Done) and done.written.writer == "openai:local-model" and done.written.text == good_answer(a)
    )
    assert fake.chat_requests()[0]["stream"] is True
