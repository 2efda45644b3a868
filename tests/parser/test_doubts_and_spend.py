"""What a message leaves in doubt, and a spend read as a volume: phrasings of each class, not the corpus's."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.prices import request_cost_usd
from bot.parse import parse
from bot.units import DAYS_PER_MONTH


@pytest.mark.parametrize(
    ("text", "field", "first", "other"),
    [
        (
            "Roughly 8k tickets/day per Jira. Finance's sheet claims 80k tickets a day though.",
            "requests_per_day",
            8e3,
            8e4,
        ),
        ("~1.5M tokens/day (or 15M, depending who you ask)", "tokens_per_day", 1.5e6, 1.5e7),
        ("we push 600 reqs per hour... the LB logs say 6000 req/hour", "requests_per_day", 14_400, 144_000),
    ],
)
def test_two_volumes_that_disagree_are_a_doubt_with_the_other_reading(
    kb: KnowledgeBase, text: str, field: str, first: float, other: float
) -> None:
    parsed = parse(text, kb)
    assert getattr(parsed.workload, field) == pytest.approx(first), "priced as first said meanwhile"
    [doubt] = parsed.doubts
    assert doubt.field == field and doubt.alternative == pytest.approx(other)
    assert doubt.question.startswith("You gave two volumes") and doubt.question.endswith("which is it?")


@pytest.mark.parametrize(
    ("text", "volume"),
    [
        ("it was 30k requests a day, sorry, I mean 3k requests a day", 3_000),
        ("5k chats a day. correction: 7k", 7_000),
        ("around 2k queries a day now, will be 20k queries a day after the launch", 2_000),
        ("10k requests/day today; we expect 50k requests/day by Q3", 10_000),
        ("~4k requests a day, maybe 4.5k requests a day on a busy one", 4_000),
    ],
)
def test_a_correction_a_projection_or_a_close_figure_is_no_doubt(kb: KnowledgeBase, text: str, volume: float) -> None:
    parsed = parse(text, kb)
    assert parsed.workload.requests_per_day == pytest.approx(volume)
    assert parsed.doubts == []


@pytest.mark.parametrize(
    "text",
    [
        "the corpus is public web pages, but some include people's home addresses and personal data",
        "nothing sensitive in there apart from patient records, lol",
        "no customer data, only the support transcripts with customer names and phone numbers",
    ],
)
def test_data_said_to_be_free_and_sensitive_is_read_the_careful_way_and_doubted(kb: KnowledgeBase, text: str) -> None:
    parsed = parse(text, kb)
    assert parsed.workload.data_policy == "must-stay"
    [doubt] = parsed.doubts
    assert doubt.field == "data_policy" and doubt.alternative == "may-leave"
    assert "may this data leave your systems" in doubt.question


@pytest.mark.parametrize(
    ("text", "field", "why"),
    [
        ("-1,000 requests a day", "requests_per_day", "negative"),
        ("uptime 250%", "availability", "out of range"),
        ("2M tickets over 0 days", "requests_per_day", "a period of 0 days"),
        ("prompts are 10^9 tokens", "input_tokens", "out of range"),
    ],
)
def test_a_value_that_cannot_be_is_a_question(kb: KnowledgeBase, text: str, field: str, why: str) -> None:
    parsed = parse(text, kb)
    [doubt] = parsed.doubts
    assert doubt.field == field and doubt.alternative is None and why in doubt.question
    assert "cannot be right" in doubt.question


def test_a_value_that_cannot_be_beside_one_that_can_is_no_question(kb: KnowledgeBase) -> None:
    parsed = parse("-5M tokens a day, I mean 5M tokens a day", kb)
    assert parsed.workload.tokens_per_day == 5e6 and parsed.doubts == []


def test_a_busiest_hour_bigger_than_the_day_is_a_doubt_but_a_minute_burst_is_not(kb: KnowledgeBase) -> None:
    assert parse("6k requests per hour at peak, and ~3k requests a day", kb).doubts[0].field == "requests_per_day"
    assert parse("bursts of 600 requests/min, ~30k requests a day", kb).doubts == []


def test_doubts_quote_the_message_as_written_and_come_once_a_field(kb: KnowledgeBase) -> None:
    parsed = parse("About 3K Requests A Day, or maybe 30K. " * 50, kb)
    assert len(parsed.doubts) == 1
    assert "'About 3K Requests A Day'" in parsed.doubts[0].question


def per_request(kb: KnowledgeBase, api: str, size_in: int = 800, size_out: int = 250) -> float:
    return request_cost_usd(kb.api_models[api].ref, size_in, size_out)


@pytest.mark.parametrize(
    ("text", "api", "usd_a_day"),
    [
        ("We're spending about 450 dollars a week on gpt-4o", "gpt-4o", 450 / 7),
        ("gpt-4.1 costs us ~£900/month", "gpt-4.1", 900 * 1.27 / DAYS_PER_MONTH),
        ("annual budget for claude haiku 4.5: we paid $36k last year", "claude-haiku-4-5", 36_000 / 365),
        ("invoice: $120/day, all o4-mini", "o4-mini", 120),
    ],
)
def test_a_spend_is_requests_at_the_apis_price(kb: KnowledgeBase, text: str, api: str, usd_a_day: float) -> None:
    parsed = parse(text, kb)
    assert parsed.workload.api_model == api
    assert parsed.workload.requests_per_day == pytest.approx(usd_a_day / per_request(kb, api), rel=0.01)
    said = parsed.workload.provenance["requests_per_day"]
    assert said.how == "inferred" and "list price" in (said.reason or "")


def test_a_spend_uses_the_request_size_said(kb: KnowledgeBase) -> None:
    parsed = parse("$3k a month on gpt-4o-mini; prompts ~6k tokens, answers ~500 tokens", kb)
    expected = 3_000 / DAYS_PER_MONTH / per_request(kb, "gpt-4o-mini", 6_000, 500)
    assert parsed.workload.requests_per_day == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(
    "text",
    [
        "an engineer costs us $150k a year; we run gpt-4o-mini",
        "the quote for 2x H100 was $60k, vs gpt-4o-mini",
        "our spend is $5k a month on gpt-4o-mini but we do 20k requests a day",
    ],
)
def test_a_salary_a_quote_or_a_volume_said_outright_is_not_read_from_a_spend(kb: KnowledgeBase, text: str) -> None:
    parsed = parse(text, kb)
    said = parsed.workload.provenance.get("requests_per_day")
    assert said is None or said.how == "stated"


def test_a_spend_with_no_api_named_says_what_would_price_it(kb: KnowledgeBase) -> None:
    parsed = parse("our OpenAI bill is around $4k a month", kb)
    assert parsed.workload.requests_per_day is None
    assert any("no API model to price it with" in note for note in parsed.notes)
