"""Model-assisted reading against a fake Ollama on 127.0.0.1: fills gaps only, and fails soft."""

from __future__ import annotations

import json
import os
import time

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.parse.assist import assist
from bot.settings import Settings
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai_compatible import FakeOpenAI


def settings_for(url: str, timeout: float = 5.0) -> Settings:
    return Settings(ollama_host=url, model="llama3.1:8b", llm_timeout_s=timeout)


TEXT = "Our support desk drowns in tickets, the whole team of agents answers them with gpt-4o-mini."


def test_the_model_fills_only_what_the_rules_missed(kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [json.dumps({"requests_per_day": 5000, "api_model": "claude-3-haiku", "ops_staff": 0})]
    parsed = parse(TEXT, kb)
    assert parsed.workload.api_model == "gpt-4o-mini" and parsed.workload.requests_per_day is None
    helped = assist(parsed, TEXT, kb, settings_for(fake_ollama.url))
    assert helped.workload.requests_per_day == 5000 and helped.workload.ops_staff == 0
    assert helped.workload.api_model == "gpt-4o-mini", "a stated fact is never overridden"
    assert helped.workload.provenance["requests_per_day"].how == "inferred"
    assert helped.workload.provenance["requests_per_day"].reason == "read by llama3.1:8b"
    asked = fake_ollama.chat_requests()[0]
    prompt = " ".join(message["content"] for message in asked["messages"])
    assert "requests_per_day" in prompt and "api_model" not in prompt.split("Text:")[0], "asks only for what is missing"
    assert TEXT in prompt and "format" in asked


def test_nothing_is_asked_when_the_rules_read_everything(kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    text = (
        "2M tokens a day, 800 tokens in, 200 out, gpt-4o-mini, we'd run llama 8b, public data only, "
        "2 SREs, nightly batch"
    )
    parsed = parse(text, kb)
    assert assist(parsed, text, kb, settings_for(fake_ollama.url)) is parsed
    assert fake_ollama.chat_requests() == []


def test_a_wrong_value_or_an_unknown_name_is_set_aside(kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = [json.dumps({"requests_per_day": -3, "model": "totally-made-up-70b"})]
    helped = assist(parse(TEXT, kb), TEXT, kb, settings_for(fake_ollama.url))
    assert helped.workload.requests_per_day is None and helped.workload.model is None
    assert any("requests per day" in note for note in helped.notes)
    assert any("totally-made-up-70b" in note for note in helped.notes)


def test_a_refused_connection_costs_no_waiting(kb: KnowledgeBase) -> None:
    parsed = parse(TEXT, kb)
    started = time.perf_counter()
    helped = assist(parsed, TEXT, kb, settings_for(os.environ["OLLAMA_HOST"], timeout=30))  # nothing listens there
    assert time.perf_counter() - started < 2
    assert helped.workload == parsed.workload
    assert any("no model server answered at" in note for note in helped.notes)


SLOWNESS = [{"delay_s": 5}, {"chunk_delay_s": 0.3}, {"byte_delay_s": 0.01}]
SLOWNESS_IDS = ["silent", "a chunk now and then", "trickling bytes"]


@pytest.mark.parametrize("slowness", SLOWNESS, ids=SLOWNESS_IDS)
def test_a_slow_model_is_cut_off_at_the_timeout(
    kb: KnowledgeBase, fake_ollama: FakeOllama, slowness: dict[str, float]
) -> None:
    """However the model is slow, reading gets LOCALCHECK_LLM_TIMEOUT seconds in all, not per chunk."""
    fake_ollama.replies = [json.dumps({"requests_per_day": 5000, "ops_staff": 0, "batch": False, "model": None})]
    for name, value in slowness.items():
        setattr(fake_ollama, name, value)
    parsed = parse(TEXT, kb)
    started = time.perf_counter()
    helped = assist(parsed, TEXT, kb, settings_for(fake_ollama.url, timeout=0.5))
    assert time.perf_counter() - started < 0.5 + 1
    assert helped.workload == parsed.workload and any("within 0.5 s" in note for note in helped.notes)


@pytest.mark.parametrize("slowness", [{"delay_s": 5}, {"byte_delay_s": 0.01}], ids=["silent", "trickling bytes"])
def test_a_slow_openai_compatible_server_is_cut_off_too(kb: KnowledgeBase, slowness: dict[str, float]) -> None:
    """Its structured answer comes in one piece, not streamed: a trickle of it is cut off all the same."""
    reply = json.dumps({"requests_per_day": 5000, "ops_staff": 0, "batch": False})
    with FakeOpenAI(replies=[reply], **slowness) as fake:  # type: ignore[arg-type]
        settings = Settings(llm="openai", openai_base_url=fake.url + "/v1", llm_timeout_s=0.5)
        started = time.perf_counter()
        helped = assist(parse(TEXT, kb), TEXT, kb, settings)
        assert time.perf_counter() - started < 0.5 + 1
    assert any("within 0.5 s" in note for note in helped.notes)


def test_a_model_that_is_not_pulled_says_how_to_pull_it(kb: KnowledgeBase, fake_ollama: FakeOllama) -> None:
    fake_ollama.models = ["qwen2.5:7b"]
    helped = assist(parse(TEXT, kb), TEXT, kb, settings_for(fake_ollama.url))
    assert any("ollama pull llama3.1:8b" in note for note in helped.notes)


@pytest.mark.parametrize("reply", ["not json at all", json.dumps(["a", "list"])])
def test_a_garbled_reply_leaves_the_rules_answer(kb: KnowledgeBase, fake_ollama: FakeOllama, reply: str) -> None:
    fake_ollama.replies = [reply]
    parsed = parse(TEXT, kb)
    helped = assist(parsed, TEXT, kb, settings_for(fake_ollama.url))
    assert helped.workload == parsed.workload and helped.notes


def test_ask_uses_the_model_unless_told_not_to(cli, fake_ollama: FakeOllama) -> None:  # type: ignore[no-untyped-def]
    fake_ollama.replies = [json.dumps({"requests_per_day": 5000})]
    answer = json.loads(cli("ask", TEXT, "--json").output)
    assert answer["workload"]["requests_per_day"]["how"] == "inferred"
    answer = json.loads(cli("ask", TEXT, "--json", "--no-llm").output)
    assert answer["workload"]["requests_per_day"]["how"] == "assumed"
    readings = [r for r in fake_ollama.chat_requests() if "Fields to fill" in r["messages"][-1]["content"]]
    assert len(readings) == 1, "with --no-llm no model is asked to read"


def reads(fields: dict[str, object]) -> object:
    """A model that reads `fields` from any question, and writes nothing worth showing."""

    def reply(request: dict) -> str:  # type: ignore[type-arg]
        return json.dumps(fields) if "Fields to fill" in request["messages"][-1]["content"] else "{}"

    return reply


BATCH = "we push 3 billion tokens a day of nightly batch summarisation, 2 SREs run our servers, public data only"


@pytest.mark.parametrize(
    ("text", "read", "leaning", "question", "rule"),
    [
        (TEXT, {"data_policy": "must-stay"}, "local", "the data must stay on your premises", "data-must-stay"),
        (BATCH, {"api_model": "gpt-5"}, "cloud", "you use GPT-5", "frontier-quality"),
    ],
    ids=["data must stay", "a frontier API"],
)
def test_a_fact_only_the_model_read_never_decides_the_verdict(
    cli,  # type: ignore[no-untyped-def]
    fake_ollama: FakeOllama,
    text: str,
    read: dict[str, object],
    leaning: str,
    question: str,
    rule: str,
) -> None:
    fake_ollama.replies = [reads(read)]
    answer = json.loads(cli("ask", text, "--json").output)
    field = next(iter(read))
    assert answer["workload"][field]["how"] == "inferred"
    assert answer["verdict"] == "need-more-info" and answer["leaning"] == leaning
    assert answer["question"] == f"You may have said {question}; is that so?"
    assert [f["decisive"] for f in answer["findings"] if f["rule"] == rule] == [False]
    assert answer["recommendation"].endswith(answer["question"]), "the words ask it too"
    readable = cli("ask", text).output
    assert f"Question: You may have said {question}; is that so?" in readable
    assert f"Under our assumptions it leans {leaning}." in readable


def test_the_same_fact_read_by_the_rules_decides(cli, fake_ollama: FakeOllama) -> None:  # type: ignore[no-untyped-def]
    fake_ollama.replies = [reads({"data_policy": "must-stay"})]
    answer = json.loads(cli("ask", TEXT + " The tickets contain customer PII.", "--json").output)
    assert answer["workload"]["data_policy"]["how"] == "stated"
    assert answer["verdict"] == "local" and answer["question"] is None
    assert [f["decisive"] for f in answer["findings"] if f["rule"] == "data-must-stay"] == [True]


def test_a_model_read_fact_the_rules_confirm_another_way_leaves_the_verdict(
    cli,  # type: ignore[no-untyped-def]
    fake_ollama: FakeOllama,
) -> None:
    """Offline, as stated, rules the API out anyway: the model's reading is not needed to decide."""
    fake_ollama.replies = [reads({"data_policy": "must-stay"})]
    answer = json.loads(
        cli("ask", "5000 tickets a day, and it must work offline on the factory floor", "--json").output
    )
    assert answer["workload"]["data_policy"]["how"] == "inferred"
    assert answer["verdict"] == "local" and answer["question"] is None
    decisive = {f["rule"]: f["decisive"] for f in answer["findings"]}
    assert decisive["offline"] is True and decisive["data-must-stay"] is False
