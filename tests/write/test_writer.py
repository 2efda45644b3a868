"""The writer against a fake Ollama on 127.0.0.1: checked units stream, anything else falls back, on time."""

from __future__ import annotations

import pytest

from bot.assessment import Assessment
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.settings import Settings
from bot.workload import Provenance
from bot.write import TEMPLATE, Delta, Done, Reset, checked_template, write, write_events
from bot.write.check import MAX_CHARS
from bot.write.facts import approx_tokens, prompt_facts
from bot.write.figures import Known, figure_problems
from bot.write.template import template_text
from tests.fakes.ollama import FakeOllama

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


def test_a_good_answer_streams_a_checked_line_at_a_time_and_is_kept(
    assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama
) -> None:
    fake_ollama.replies = [good_answer(assessment)]
    seen = events(assessment, kb, settings(fake_ollama))
    deltas = [e for e in seen if isinstance(e, Delta)]
    assert [d.text for d in deltas] == good_answer(assessment).splitlines(keepends=True), "whole lines, in order"
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
    ("spoil", "reason", "shown_before"),
    [
        (lambda text: text.replace("[economies-of-scale]", "[made-up-study]"), "cites [made-up-study]", 3),
        (lambda text: text.replace("Verdict: run it locally", "Verdict: use the cloud API"), "verdict 'cloud'", 0),
        (lambda text: text.replace("Next step:", "Savings of $48,000 a year. Next step:"), "states $48,000", 6),
    ],
    ids=["unknown citation", "contrary verdict", "invented figure"],
)
def test_a_wrong_answer_twice_ends_in_the_template_and_its_wrong_line_is_never_shown(
    assessment: Assessment,
    kb: KnowledgeBase,
    fake_ollama: FakeOllama,
    spoil,
    reason: str,
    shown_before: int,  # type: ignore[no-untyped-def]
) -> None:
    fake_ollama.replies = [spoil(good_answer(assessment))]
    seen = events(assessment, kb, settings(fake_ollama))
    done = seen[-1]
    assert isinstance(done, Done) and done.written.writer == TEMPLATE
    assert reason in (done.written.fallback_reason or "")
    assert done.written.text == template_text(assessment)
    shown = [e.text for e in seen[:-2] if isinstance(e, Delta)]
    good_lines = good_answer(assessment).splitlines(keepends=True)
    assert shown == 2 * good_lines[:shown_before], "the lines before the wrong one, and nothing of it or after"
    assert sum(isinstance(e, Reset) for e in seen) == (2 if shown_before else 0), "withdrawn only if shown"
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


def test_a_flood_never_reaches_the_reader(assessment: Assessment, kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    """500 KB of well-formed sentences: the text stops at its length limit, and what was shown is withdrawn."""
    line = f"- The API would cost only ${assessment.cloud.monthly_usd:,.2f} a month [economies-of-scale].\n"
    fake_ollama.replies = [good_answer(assessment).split("\n", 1)[0] + "\n" + line * (500_000 // len(line))]
    seen = events(assessment, kb, settings(fake_ollama, timeout=10))
    shown = [e.text for e in seen[:-2] if isinstance(e, Delta)]
    assert len("".join(shown)) <= 2 * MAX_CHARS
    done = seen[-1]
    assert isinstance(done, Done) and "300 words" in (done.written.fallback_reason or "")


def test_no_llm_is_the_template_with_no_reason(assessment: Assessment, kb: KnowledgeBase) -> None:
    written = write(assessment, kb, settings(), use_model=False)
    assert written == type(written)(template_text(assessment), TEMPLATE, None)


def test_the_template_itself_passes_the_check(kb: KnowledgeBase) -> None:
    """Over generated workloads, some with facts only a model read: the fallback never fails its own check."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    from bot.write.check import problems
    from tests.strategies import workloads

    @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(workloads(), st.sets(st.sampled_from(["data_policy", "model", "requests_per_day", "ops_staff"])))
    def check(workload, read_by_model) -> None:  # type: ignore[no-untyped-def]
        inferred = {f: Provenance(how="inferred", reason="read by a model") for f in read_by_model}
        a = assess(workload.model_copy(update={"provenance": {**workload.provenance, **inferred}}), kb)
        text = template_text(a)
        assert problems(text, a, kb) == [], text
        assert checked_template(a, kb) == text
        assert len(text.split()) <= 220

    check()


def test_a_number_after_a_long_name_is_not_counted_as_the_name(kb: KnowledgeBase) -> None:
    """Names are blanked where they stand: a small number after them is not read as a count of the
    hardware (a failure hypothesis found: "counts 3 Workstation" after a 50-character hardware name)."""
    from bot.write.figures import Known, figure_problems

    text = (
        "Next step: rent one NVIDIA RTX PRO 6000 Blackwell Workstation Edition for a few days and load-test "
        "Mistral Small 3 24B Instruct (2501) at your peak."
    )
    known = Known(numbers=(23.6, 2501), money=(), counts=frozenset({1}))  # figures of the model named, one card
    assert list(figure_problems(text, known, kb)) == []


@pytest.mark.parametrize(
    ("question", "written_as"),
    [
        ("20M tokens a day, customer PII, so nothing may leave", "{:.1f} million"),
        ("300M tokens a day on llama3.1:8b, ITAR data", "{:.1f} million"),
    ],
)
def test_a_break_even_in_millions_is_a_figure_the_check_accepts(
    kb: KnowledgeBase, question: str, written_as: str
) -> None:
    """'884.1 million tokens a day' is one figure, not 884.1 and a million: the template's own break-even
    line must pass the check that guards a model's text, whatever else the answer lists."""
    found = assess(parse(question, kb).workload, kb)
    assert found.break_even_tokens_per_day
    line = f"Break-even at about {written_as.format(found.break_even_tokens_per_day / 1e6)} tokens a day."
    assert "Break-even" in write(found, kb, settings(), use_model=False).text
    known = Known.of(found, kb)
    assert list(figure_problems(line, known, kb)) == []
    assert list(figure_problems("Break-even at about 123.4 million tokens a day.", known, kb)) == [
        "states 123.4 million, which the assessment does not"
    ]
