"""Absurd, signed and unknown values are set aside (or stood in for) with a note, never misread.

Each class of misreading has its own test: a sign read off, an exponent truncated,
a share or uptime over 100%, a period of zero, a number too long to be a figure,
a model name we do not know. The phrasings are varied on purpose: the fix is for
the class, not for the example in the issue.
"""

from __future__ import annotations

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.parse import MAX_NOTES, Parsed, parse
from bot.parse.refine import refine
from bot.units import DAYS_PER_MONTH


def notes_about(result: Parsed, *words: str) -> list[str]:
    return [note for note in result.notes if all(word in note for word in words)]


@pytest.mark.parametrize(
    ("text", "field", "span"),
    [
        ("we push -5M tokens a day through gpt-4o-mini", "tokens_per_day", "-5M tokens a day"),
        ("about -200 requests per day, mostly short prompts", "requests_per_day", "-200 requests per day"),
        ("(\u22123k tickets daily)", "requests_per_day", "\u22123k tickets daily"),
        ("we have -3 SREs who could run it", "ops_staff", "-3 SREs"),
        ("electricity costs -0.2 $/kWh here", "electricity_usd_per_kwh", "-0.2 $/kWh"),
        ("power is -€0.25 per kWh", "electricity_usd_per_kwh", "-€0.25 per kWh"),
        ("engineers cost -$80/h fully loaded", "engineer_hourly_usd", "-$80/h"),
        ("a platform engineer's salary is -$150k a year", "engineer_hourly_usd", "-$150k a year"),
        ("answers under -2 seconds please", "latency_s", "under -2 seconds"),
        ("-10% need frontier reasoning", "frontier_share", "-10% need frontier reasoning"),
        ("we own -2 RTX 4090s", "owned", "-2 RTX 4090s"),
        ("a one-off backfill, done in -3 weeks", "one_off_months", "-3 weeks"),
    ],
)
def test_a_negative_value_is_set_aside_with_a_note(kb: KnowledgeBase, text: str, field: str, span: str) -> None:
    result = parse(text, kb)
    assert getattr(result.workload, field) in (None, []), "the value without its sign was taken"
    assert notes_about(result, span, "negative"), result.notes


@pytest.mark.parametrize(
    "text",
    [
        "covid-19 triage bot, about 2k requests a day",
        "ticket ABC-123: 2k requests a day",
        "order 7-2 shipped; 2k requests a day",
    ],
)
def test_a_hyphen_after_a_word_is_no_sign(kb: KnowledgeBase, text: str) -> None:
    result = parse(text, kb)
    assert result.workload.requests_per_day == 2_000
    assert not notes_about(result, "negative")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("10^30 tokens a day", "tokens_per_day"),
        ("1e30 tokens a day", "tokens_per_day"),
        ("10**30 tokens a day", "tokens_per_day"),
        ("roughly 1.5 x 10^30 tokens/day", "tokens_per_day"),
        ("10³⁰ tokens a day", "tokens_per_day"),
        ("10 ^ 20 requests per day", "requests_per_day"),
        ("peaks at 10^12 requests per second", "peak_requests_per_s"),
        ("prompts are 1e9 tokens", "input_tokens"),
    ],
)
def test_an_absurd_exponent_is_set_aside_not_truncated(kb: KnowledgeBase, text: str, field: str) -> None:
    result = parse(text, kb)
    assert getattr(result.workload, field) is None, "a part of the number was taken"
    assert notes_about(result, "out of range", "at most"), result.notes


def test_an_exponent_beyond_any_float_is_far_too_large(kb: KnowledgeBase) -> None:
    result = parse("10^400 tokens a day, and prompts of 10^999 tokens; 0^-1 requests per second at peak", kb)
    assert result.workload.tokens_per_day is None and result.workload.input_tokens is None
    assert result.workload.peak_requests_per_s is None
    assert len(notes_about(result, "far too large")) == 3, result.notes


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("1.5e6 tokens a day", "tokens_per_day", 1_500_000),
        ("2 x 10^6 requests a day", "requests_per_day", 2_000_000),
        ("10⁶ tokens daily", "tokens_per_day", 1_000_000),
        ("2^20 tokens a day", "tokens_per_day", 1_048_576),
    ],
)
def test_a_sensible_exponent_is_read_whole(kb: KnowledgeBase, text: str, field: str, value: float) -> None:
    result = parse(text, kb)
    assert getattr(result.workload, field) == value
    assert not result.notes


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("150% need frontier reasoning", "frontier_share"),
        ("hard multi-step reasoning for 250% of tickets", "frontier_share"),
        ("we promise 199.9% uptime", "availability"),
        ("an availability target of 120%", "availability"),
    ],
)
def test_a_share_over_100_percent_is_set_aside(kb: KnowledgeBase, text: str, field: str) -> None:
    result = parse(text, kb)
    assert getattr(result.workload, field) is None, "the last digits of the share were taken"
    assert notes_about(result, "out of range"), result.notes


def test_all_of_them_needing_frontier_is_the_quality_needed(kb: KnowledgeBase) -> None:
    result = parse("100% need frontier reasoning", kb)
    assert result.workload.quality == "frontier" and result.workload.frontier_share is None


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("4M documents over 0 months", "4M documents over 0 months"),
        ("2M tokens over -3 weeks", "2M tokens over -3 weeks"),
        ("500k emails spread over 0 days", "500k emails spread over 0 days"),
    ],
)
def test_a_volume_over_no_time_at_all_is_set_aside(kb: KnowledgeBase, text: str, span: str) -> None:
    result = parse(text, kb)
    assert result.workload.tokens_per_day is None and result.workload.requests_per_day is None
    assert notes_about(result, span, "a period of"), result.notes


def test_a_volume_over_a_fraction_of_a_month_is_read(kb: KnowledgeBase) -> None:
    assert parse("3M documents over 1.5 months", kb).workload.requests_per_day == pytest.approx(
        3e6 / (1.5 * DAYS_PER_MONTH)
    )


@pytest.mark.parametrize("text", ["one-off, done in 0 days", "a one-time migration over 0 weeks"])
def test_a_one_off_job_of_no_length_is_set_aside(kb: KnowledgeBase, text: str) -> None:
    result = parse(text, kb)
    assert result.workload.one_off_months is None
    assert notes_about(result, "one off months", "more than 0"), result.notes


@pytest.mark.parametrize(
    "number", ["7" * 31, "9" * 10_000, "1,000" + ",000" * 10, "12 345 678 901 234 567 890 123 456 789 012 345"]
)
def test_a_number_too_long_to_be_a_figure_is_set_aside_whole(kb: KnowledgeBase, number: str) -> None:
    result = parse(f"we push {number} tokens a day", kb)
    assert result.workload.tokens_per_day is None, "a part of the digits was read as a volume"
    (note,) = notes_about(result, "digits is no figure of a workload")
    assert len(note) < 200, "the note quotes the whole number"


def test_a_number_of_30_digits_is_still_read_and_judged(kb: KnowledgeBase) -> None:
    result = parse("1" + "0" * 29 + " tokens a day", kb)
    assert result.workload.tokens_per_day is None
    assert notes_about(result, "out of range"), result.notes


def test_a_follow_up_with_a_signed_or_absurd_factor_is_set_aside(kb: KnowledgeBase) -> None:
    previous = parse("2M tokens a day through gpt-4o-mini", kb).workload
    for text in ("what if traffic is -2x?", "what if the volume grows 10^20 times?"):
        after = refine(previous, text, kb)
        assert after.workload.tokens_per_day == 2_000_000, text
        assert notes_about(after, "tokens per day"), (text, after.notes)
    assert refine(previous, "we have -3 engineers now", kb).workload.ops_staff is None


def test_a_thousand_bad_values_make_a_dozen_notes(kb: KnowledgeBase) -> None:
    result = parse("-1 requests a day, " * 400, kb)
    assert len(result.notes) == MAX_NOTES
    assert "more notes like these" in result.notes[-1]


@pytest.mark.parametrize(
    ("text", "field", "name", "stand_in"),
    [
        ("we'd run llama3.1:405b on prem", "model", "llama3.1:405b", "llama-3.1-70b"),
        ("thinking of qwen9:70b for 2M tokens a day", "model", "qwen9:70b", None),
        ("we pay for the gpt-7-turbo API", "api_model", "gpt-7-turbo", None),
        # The closest Sonnet by name: the newest since Sonnet 5.5 joined the knowledge base.
        ("currently on claude-sonnet-9, 3k chats a day", "api_model", "claude-sonnet-9", "claude-sonnet-5-5"),
        ("we use Llama 3 70B for summaries", "model", "llama 3 70b", None),
        ("mistral-large-2 via the API", "api_model", "mistral-large-2", None),
    ],
)
def test_an_unknown_model_is_named_with_the_closest_and_what_stood_in(
    kb: KnowledgeBase, text: str, field: str, name: str, stand_in: str | None
) -> None:
    result = parse(text, kb)
    (note,) = notes_about(result, f"'{name}'", "I don't know the")
    used = getattr(result.workload, field)
    assert used is not None, "the name was dropped"
    entries = kb.models if field == "model" else kb.api_models
    assert "the closest" in note and f"answered with {entries[used].name} instead" in note
    assert stand_in is None or used == stand_in
    provenance = result.workload.provenance[field]
    assert provenance.how == "inferred" and name in (provenance.reason or "")


def test_an_unknown_model_nothing_resembles_is_said_and_set_aside(kb: KnowledgeBase) -> None:
    result = parse("we'd try zzyzx:7b for the bot", kb)
    assert result.workload.model is None
    assert notes_about(result, "'zzyzx:7b'", "nor one close to it"), result.notes


def test_a_known_name_next_to_an_unknown_one_wins(kb: KnowledgeBase) -> None:
    result = parse("we run llama3.1:70b today, maybe llama3.1:405b later", kb)
    assert result.workload.model == "llama-3.1-70b"
    assert result.workload.provenance["model"].how == "stated"
    assert notes_about(result, "'llama3.1:405b'", "answered with Llama 3.1 70B Instruct instead")


@pytest.mark.parametrize("text", ["we use gpt-4o-mini", "llama3.1:70b on a 4090", "gpt-4o's price is fine"])
def test_known_names_bring_no_note(kb: KnowledgeBase, text: str) -> None:
    assert not parse(text, kb).notes


def test_an_unknown_model_tag_is_never_a_volume(kb: KnowledgeBase) -> None:
    result = parse("nightly job on qwen9:70b summarising 5k docs", kb)
    assert result.workload.requests_per_day == 5_000


def test_many_unknown_names_are_counted_not_each_looked_up(kb: KnowledgeBase) -> None:
    result = parse(" ".join(f"qwen{i}:7b" for i in range(100, 140)), kb)
    assert len(notes_about(result, "I don't know the")) == 3
    assert notes_about(result, "37 more model names")
