"""Any text at all: the parser never raises, and says what it left unread."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.parse.text import MAX_CHARS

fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
words = st.sampled_from(
    [
        "2M",
        "tokens",
        "a",
        "day",
        "per",
        "k",
        "requests",
        "/s",
        "peak",
        "4090",
        "llama",
        "70b",
        "gpt-4o-mini",
        "PII",
        "GDPR",
        "99.9%",
        "under",
        "2",
        "seconds",
        "€0.30/kWh",
        "nobody",
        "runs",
        "servers",
        "two",
        "of",
        "them",
        "(",
        ")",
        ",",
        ".",
        "\n",
        "*",
        "_",
        "<@U1>",
        ":rocket:",
        "1'000",
        "2,5",
        "Mio",
        "x",
        "%",
        "$",
        "a pair of",
        "each",
    ]
)


@fuzz
@given(st.text())
def test_arbitrary_text_never_raises(kb: KnowledgeBase, text: str) -> None:
    parse(text, kb)


@fuzz
@given(st.lists(words, max_size=60).map(" ".join))
def test_arbitrary_workload_words_never_raise(kb: KnowledgeBase, text: str) -> None:
    result = parse(text, kb)
    for field, provenance in result.workload.provenance.items():
        assert provenance.span, field
        # A model the rules cannot name stands in for one they don't know, and says so.
        assert provenance.how == "stated" or (provenance.reason or "").startswith("the closest we know to"), field


def test_a_100_kb_message_is_read_with_a_note(kb: KnowledgeBase) -> None:
    message = "We push about 2M tokens a day through gpt-4o-mini. " + "lorem ipsum 12 dolor 3.4 sit amet, " * 3_000
    assert len(message) > 100_000
    result = parse(message, kb)
    assert result.workload.tokens_per_day == 2_000_000
    assert any(f"first {MAX_CHARS:,}" in note for note in result.notes)


def test_empty_and_wordless_messages_are_understood_as_nothing(kb: KnowledgeBase) -> None:
    for text in ("", "   ", "hello there :wave:", "<@U123> thanks!"):
        assert not parse(text, kb).understood


def test_a_nonsense_value_is_set_aside_and_the_rest_kept(kb: KnowledgeBase) -> None:
    result = parse("2M tokens a day on gpt-4o-mini, answers under 0 ms and 99.9% uptime", kb)
    assert result.workload.tokens_per_day == 2_000_000 and result.workload.availability == 0.999
    assert result.workload.latency_s is None
    assert any("latency" in note for note in result.notes)
