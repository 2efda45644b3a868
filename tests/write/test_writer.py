"""The writer against a fake Ollama on 127.0.0.1: checked text streams, anything else falls back."""

from __future__ import annotations

import time

import pytest

from bot.assessment import Assessment
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings
from bot.write import TEMPLATE, Delta, Done, Reset, write, write_events
from bot.write.facts import approx_tokens, prompt_facts
from bot.write.template import template_text
from tests.fakes import ollama as fakes
from tests.fakes.ollama import FakeOllama

fake_ollama = fakes.fake_ollama
QUESTION = "we push about 2M tokens a day through gpt-4o-mini for support tickets; the tickets contain customer PII"


@pytest.fixture
def assessment(kb: KnowledgeBase) -> Assessment:
    return assess(parse(QUESTION, kb).workload, kb)


def settings(fake: FakeOllama | None = None, timeout: float = 5) -> Settings:
    return Settings(ollama_host=fake.url if fake else Settings().ollama_host, llm_timeout_s=timeout)


def good_answer(a: Assessment) -> str:
    """What a well-behaved model writes: the facts, in its own words."""
    return (
        "Verdict: run it locally, because the data may not leave.\n"
        "Tradeoffs:\n"
        "- The tickets contain PII, so a third-party API is out [data-residency-and-regulation].\n"
        f"- The API would cost only ${a.cloud.monthly_usd:,.2f} a month [economies-of-scale].\n"
        f"- Upkeep dominates the ${a.local.monthly_usd:,.0f} local bill [labor-is-the-real-cost].\n"  # type: ignore[union-attr]
        f"Key numbers: local ${a.local.monthly_usd:,.0f}/month, cloud ${a.cloud.monthly_usd:,.2f}/month.\n"  # type: ignore[union-attr]
        "Next step: pilot on one rented GPU."
    )


def events(a: Assessment, kb: KnowledgeBase, s: Settings) -> list[object]:
    return list(write_events(a, kb, s))


def test_a_good_answer_streams_and_is_kept(assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [good_answer(assessment)]
    seen = events(assessment, kb, settings(fake_ollama))
    deltas = [e for e in seen if isinstance(e, Delta)]
    assert len(deltas) > 5, "the text arrives in pieces, as it is generated"
    assert not any(isinstance(e, Reset) for e in seen)
    done = seen[-1]
    assert isinstance(done, Done) and done.written.writer == "ollama:llama3.1:8b"
    assert done.written.text == good_answer(assessment) == "".join(d.text for d in deltas)
    assert done.written.fallback_reason is None


def test_the_model_sees_only_the_facts_and_the_cited_arguments(
    assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama
) -> None:
    fake_ollama.replies = [good_answer(assessment)]
    write(assessment, kb, settings(fake_ollama))
    sent = " ".join(m["content"] for m in fake_ollama.chat_requests()[0]["messages"])
    assert "[data-residency-and-regulation]" in sent and kb.arguments["labor-is-the-real-cost"].claim in sent
    assert kb.arguments["no-state-to-lose"].claim not in sent, "arguments no finding cites stay out"
    assert approx_tokens(prompt_facts(assessment, kb)) <= 1500


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda text: text.replace("[economies-of-scale]", "[made-up-study]"), "cites [made-up-study]"),
        (lambda text: text.replace("Verdict: run it locally", "Verdict: use the cloud API"), "verdict 'cloud'"),
        (lambda text: text.replace("Next step:", "Savings of $48,000 a year. Next step:"), "states $48,000"),
    ],
    ids=["unknown citation", "contrary verdict", "invented figure"],
)
def test_a_wrong_answer_twice_ends_in_the_template_with_the_reason(
    assessment: Assessment,
    kb: KnowledgeBase,
    fake_ollama: FakeOllama,
    spoil,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    fake_ollama.replies = [spoil(good_answer(assessment))]
    seen = events(assessment, kb, settings(fake_ollama))
    done = seen[-1]
    assert isinstance(done, Done) and done.written.writer == TEMPLATE
    assert reason in (done.written.fallback_reason or "")
    assert done.written.text == template_text(assessment)
    assert sum(isinstance(e, Reset) for e in seen) == 2, "each failed text is withdrawn, never left half-shown"
    requests = fake_ollama.chat_requests()
    assert len(requests) == 2, "one retry, no more"
    assert reason.split()[-1].strip("'") in requests[1]["messages"][-1]["content"], "the retry says what was wrong"


def test_a_retry_that_fixes_it_is_kept(assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [
        good_answer(assessment).replace("[economies-of-scale]", "[made-up]"),
        good_answer(assessment),
    ]
    seen = events(assessment, kb, settings(fake_ollama))
    assert [type(e) for e in seen].count(Reset) == 1
    assert isinstance(seen[-1], Done) and seen[-1].written.writer == "ollama:llama3.1:8b"


def test_a_server_slower_than_the_timeout_falls_back_in_time(
    assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama
) -> None:
    fake_ollama.delay_s = 5
    started = time.perf_counter()
    written = write(assessment, kb, settings(fake_ollama, timeout=0.5))
    assert time.perf_counter() - started < 3
    assert written.writer == TEMPLATE and "no answer within 0.5 s" in (written.fallback_reason or "")


def test_a_model_that_keeps_trickling_is_cut_off(
    assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama
) -> None:
    fake_ollama.replies = [good_answer(assessment)]
    fake_ollama.chunk_delay_s = 0.2
    started = time.perf_counter()
    seen = events(assessment, kb, settings(fake_ollama, timeout=1))
    assert time.perf_counter() - started < 3
    assert isinstance(seen[-1], Done) and seen[-1].written.writer == TEMPLATE
    assert any(isinstance(e, Reset) for e in seen), "the partial text shown is withdrawn"


def test_a_model_that_is_not_pulled_says_how_to_pull_it(
    assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama
) -> None:
    fake_ollama.models = ["qwen2.5:7b"]
    written = write(assessment, kb, settings(fake_ollama))
    assert written.writer == TEMPLATE and "ollama pull llama3.1:8b" in (written.fallback_reason or "")


def test_a_refused_connection_gives_the_template_at_once(assessment: Assessment, kb: KnowledgeBase) -> None:
    started = time.perf_counter()
    written = write(assessment, kb, settings(timeout=30))  # OLLAMA_HOST points at a closed port in tests
    assert time.perf_counter() - started < 1.5
    assert written.writer == TEMPLATE and "no model server answered" in (written.fallback_reason or "")


def test_no_llm_is_the_template_with_no_reason(assessment: Assessment, kb: KnowledgeBase) -> None:
    written = write(assessment, kb, settings(), use_model=False)
    assert written == type(written)(template_text(assessment), TEMPLATE, None)


def test_the_template_itself_passes_the_check(kb: KnowledgeBase) -> None:
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings

    from bot.write.check import problems
    from tests.strategies import workloads

    @hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(workloads())
    def check(workload) -> None:  # type: ignore[no-untyped-def]
        a = assess(workload, kb)
        text = template_text(a)
        assert problems(text, a, kb) == [], text
        assert len(text.split()) <= 220

    check()
