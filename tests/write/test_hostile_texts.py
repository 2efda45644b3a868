"""Hostile model texts never reach a reader; good ones pass whole. Served by a fake Ollama to the real writer."""

from __future__ import annotations

from typing import get_args

import pytest

from bot.assessment import Verdict
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.write import TEMPLATE, Delta, Done, Event, Reset, write_events
from bot.write.check import TextCheck, problems
from bot.write.units import split_units
from tests.fakes.ollama import FakeOllama
from tests.write.corpus import Hostile, assessment, good_texts, hostile_texts

HOSTILE = hostile_texts()
GOOD = good_texts()


def test_the_corpora_cover_every_verdict_the_writer_explains() -> None:
    # No base text in hostile_texts.yaml is a rent answer yet: a gap, named here so it stays in sight.
    explained = set(get_args(Verdict)) - {"rent"}
    assert {h.against for h in HOSTILE} == explained and {kind for kind, _ in GOOD} == explained
    assert len({h.id for h in HOSTILE}) == len(HOSTILE), "a repeated id hides which case failed"


@pytest.mark.parametrize("case", HOSTILE, ids=[h.id for h in HOSTILE])
def test_the_check_names_what_is_wrong(case: Hostile, kb: KnowledgeBase) -> None:
    found = problems(case.reply, assessment(case.against), kb)
    assert any(case.problem in problem for problem in found), found
    assert all(case.unit not in problem for problem in found), "a problem describes the text, never repeats it"


@pytest.mark.parametrize("case", HOSTILE, ids=[h.id for h in HOSTILE])
def test_a_hostile_unit_is_never_shown(case: Hostile, kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [case.reply]  # the first try and the retry both send it
    seen = list(write_events(assessment(case.against), kb, Settings(ollama_host=fake_ollama.url, llm_timeout_s=5)))
    shown = "".join(e.text for e in seen if isinstance(e, Delta))
    assert case.unit not in shown
    done = seen[-1]
    assert isinstance(done, Done) and done.written.writer == TEMPLATE and case.unit not in done.written.text
    assert case.problem in (done.written.fallback_reason or "")
    assert_everything_shown_passed(seen, case.against, kb)


@pytest.mark.parametrize(("kind", "text"), GOOD, ids=[f"{kind}-{i}" for i, (kind, _) in enumerate(GOOD)])
def test_a_good_text_passes_and_is_shown_whole(
    kind: str, text: str, kb: KnowledgeBase, fake_ollama: FakeOllama
) -> None:
    a = assessment(kind)
    assert problems(text, a, kb) == []
    fake_ollama.replies = [text]
    seen = list(write_events(a, kb, Settings(ollama_host=fake_ollama.url, llm_timeout_s=5)))
    done = seen[-1]
    assert isinstance(done, Done) and done.written.writer == "ollama:llama3.1:8b" and done.written.text == text
    assert [e.text for e in seen if isinstance(e, Delta)] == split_units(text)


def test_each_unit_is_checked_in_the_light_of_the_ones_before(kb: KnowledgeBase) -> None:
    a = assessment("local")
    check = TextCheck(a, kb)
    assert check.offer("Here is my take on this.\n"), "the first unit must open with the verdict"
    assert check.offer("Verdict: run it locally.\n") == []
    assert check.offer("Verdict: run it locally.\n") == [], "the verdict again is fine"
    assert check.offer("Then again, you should use the cloud API.\n"), "another is not, wherever it comes"
    assert check.text == "Verdict: run it locally.\n" * 2, "what failed never joins the text"


def assert_everything_shown_passed(seen: list[Event], kind: str, kb: KnowledgeBase) -> None:
    """Every stretch shown before a Reset or Done passes the check, but for the ending's own."""
    shown = ""
    for event in seen:
        if isinstance(event, Delta):
            shown += event.text
        else:
            ending = TextCheck(assessment(kind), kb).ending_problems()
            assert [p for p in problems(shown, assessment(kind), kb) if p not in ending] == []
            shown = ""
            assert isinstance(event, Reset | Done)
